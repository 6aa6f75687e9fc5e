// Every typed call of JimiApi against the simulated cloud: batching, paging,
// range splitting, ground truth, and faults survived.

#include "util/apitime.h"
#include "api/jimiapi.h"
#include "net/httpserver.h"
#include "sim/simserver.h"
#include "util/clock.h"

#include <QJsonObject>
#include <QUuid>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestJimiApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void batches120ImeisIntoThreeCalls();
    void everyMethodAnswers();
    void positionsMatchGroundTruth();
    void tripsMatchGroundTruthInKilometres();
    void alarmsAcrossThreeMonthsAreSplitAndPaged();
    void alarmsWhenTheCloudIgnoresPageNo();
    void alarmsThatCannotBeFetchedWholeAreSaid();
    void trackLongerThanSevenDaysIsSplit();
    void pagerIsFreedWhenItsContextGoesMidway();
    void parkingAlwaysSendsAccType();
    void invalidArgumentsAreRefusedLocally();
    void survivesInjectedFaults();

private:
    template<typename T, typename Fn>
    Result<T> wait(Fn start);
    QString imeiWhere(const std::function<bool(const SimDevice &)> &pred) const;

    ManualClock m_clock;
    std::unique_ptr<SimServer> m_server;
    MemoryTokenStore m_store;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<JimiApi> m_api;
};

template<typename T, typename Fn>
Result<T> TestJimiApi::wait(Fn start)
{
    std::optional<Result<T>> out;
    start([&out](const Result<T> &r) { out = r; });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, 60000))
        return ApiError{ApiError::Kind::Timeout, 0, 0, QStringLiteral("test"), QStringLiteral("no answer in 60 s")};
    return *out;
}

QString TestJimiApi::imeiWhere(const std::function<bool(const SimDevice &)> &pred) const
{
    for (int i = 0; i < m_server->fleet().size(); ++i)
        if (pred(m_server->fleet().device(i)))
            return m_server->fleet().device(i).imei;
    return {};
}

void TestJimiApi::initTestCase()
{
    // A Wednesday morning; client and cloud share this clock.
    m_clock.set(QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc()));
    SimServerConfig config;
    config.vehicles = 130;
    config.seed = 11;
    config.historyListDelayMs = 0;
    m_server = std::make_unique<SimServer>(config, &m_clock);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    const ApiAccount a = m_server->account();
    ApiClientOptions o;
    o.backoffBaseMs = 10;
    o.maxAttempts = 8;
    o.jitterSeed = 5;
    m_client = std::make_unique<ApiClient>(a, &m_store, &m_clock, o);
    m_api = std::make_unique<JimiApi>(m_client.get());
}

void TestJimiApi::cleanupTestCase()
{
    m_api.reset();
    m_client.reset();
    m_server.reset();
}

void TestJimiApi::batches120ImeisIntoThreeCalls()
{
    QStringList imeis;
    for (int i = 0; i < 120; ++i)
        imeis.append(m_server->fleet().device(i).imei);
    const QString method = QStringLiteral("jimi.device.location.get");
    const int before = m_server->requestCount(method);
    const auto r = wait<ApiList<DeviceLocation>>([&](auto done) { m_api->locations(imeis, this, done); });
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(m_server->requestCount(method) - before, 3);
    // Devices without a fix are left out by the cloud, never returned empty.
    int withFix = 0;
    for (int i = 0; i < 120; ++i)
        withFix += m_server->fleet().lastFix(i, m_server->fleetNow()).has_value() ? 1 : 0;
    QVERIFY(r.value().items.size() >= withFix - 1 && r.value().items.size() <= 120);
    QCOMPARE(JimiApi::batches(imeis + imeis).size(), 3); // duplicates dropped
}

void TestJimiApi::everyMethodAnswers()
{
    const QString any = m_server->fleet().device(0).imei;
    // A GT06-family tracker (template 163) that answers within seconds.
    const QString online = imeiWhere([&](const SimDevice &d) {
        return !d.offline && !d.expired && !d.dashcam && !d.model.startsWith(QLatin1String("VL")) && d.index % 8 != 5;
    });
    const QString dvr = imeiWhere([&](const SimDevice &d) { return d.dashcam && !d.offline && !d.expired; });
    QVERIFY(!online.isEmpty());
    QVERIFY(!dvr.isEmpty());
    const QDateTime now = m_server->fleetNow();
    const QDateTime dayAgo = now.addDays(-1);
    QStringList failures;
    auto check = [&failures](const char *what, const auto &r) {
        if (!r.ok())
            failures.append(QLatin1String(what) + QStringLiteral(": ") + r.error().toString());
    };

    check("deviceList", wait<ApiList<Device>>([&](auto d) { m_api->deviceList({}, this, d); }));
    check("deviceDetail", wait<Device>([&](auto d) { m_api->deviceDetail(any, this, d); }));
    check("updateExpiration",
          wait<ApiList<ExpirationUpdate>>([&](auto d) { m_api->updateExpiration({any}, QDate(2030, 1, 1), this, d); }));
    DeviceUpdate u;
    u.driverName = QStringLiteral("Zoë Müller");
    u.plate = QStringLiteral("AB-123+CD #1");
    check("updateDevice", wait<Done>([&](auto d) { m_api->updateDevice(any, u, this, d); }));
    const auto detail = wait<Device>([&](auto d) { m_api->deviceDetail(any, this, d); });
    QVERIFY(detail.ok());
    QCOMPARE(detail.value().driverName, QStringLiteral("Zoë Müller")); // survived encoding and signing
    QCOMPARE(detail.value().plate, QStringLiteral("AB-123+CD #1"));
    check("bindAppUser", wait<Done>([&](auto d) { m_api->bindAppUser(any, QStringLiteral("app-user-1"), this, d); }));
    check("unbindAppUser",
          wait<Done>([&](auto d) { m_api->unbindAppUser(any, QStringLiteral("app-user-1"), this, d); }));
    const auto group = wait<DeviceGroup>(
        [&](auto d) { m_api->createGroup({}, QStringLiteral("Night shift"), this, d); });
    check("createGroup", group);
    if (group.ok()) {
        check("renameGroup",
              wait<Done>([&](auto d) { m_api->renameGroup(group.value().id, QStringLiteral("Late shift"), this, d); }));
        check("deleteGroup", wait<Done>([&](auto d) { m_api->deleteGroup(group.value().id, this, d); }));
    }
    check("groupList", wait<ApiList<DeviceGroup>>([&](auto d) { m_api->groupList({}, this, d); }));
    check("moveDevices", wait<QStringList>([&](auto d) {
              m_api->moveDevices(QStringLiteral("demo"), QStringLiteral("demo-sub"),
                                 {m_server->fleet().device(129).imei}, false, this, d);
          }));

    check("locationList", wait<ApiList<DeviceLocation>>([&](auto d) { m_api->locationList({}, this, d); }));
    check("shareLocationUrl", wait<QUrl>([&](auto d) { m_api->shareLocationUrl(online, this, d); }));
    check("mileage", wait<MileageReport>([&](auto d) { m_api->mileage({online}, dayAgo, now, this, d); }));
    check("track", wait<ApiList<Position>>([&](auto d) {
              m_api->track(online, now.addSecs(-3600), now.addSecs(-60), this, d);
          }));
    check("lbsLocate", wait<LbsLocation>([&](auto d) {
              m_api->lbsLocate(online, QStringLiteral("208,1,1234,5678,-70"), {}, this, d);
          }));
    check("parking", wait<ApiList<StopPeriod>>([&](auto d) {
              m_api->parking({}, {online}, dayAgo, now, ParkingFilter::AllStops, this, d);
          }));
    check("tagLocation", wait<ApiList<Position>>([&](auto d) { m_api->tagLocation(online, this, d); }));
    check("alarms", wait<ApiList<Alarm>>([&](auto d) { m_api->alarms({online}, dayAgo, now, this, d); }));

    const QString appId = JimiApi::newAppId();
    QCOMPARE(appId.size(), 15);
    check("livePage", wait<LivePage>([&](auto d) { m_api->livePage(dvr, StreamKind::Live, false, this, d); }));
    check("captureMedia",
          wait<MediaCommandAck>([&](auto d) { m_api->captureMedia(dvr, 1, MediaKind::Photo, 0, this, d); }));
    check("requestHistoryUpload", wait<MediaCommandAck>([&](auto d) {
              m_api->requestHistoryUpload(dvr, QStringLiteral("1"), 1, {}, {}, this, d);
          }));
    check("mediaFiles", wait<ApiList<MediaFile>>([&](auto d) {
              m_api->mediaFiles(dvr, 1, MediaKind::Video, dayAgo, now, 0, 10, this, d);
          }));
    check("mediaEvents", wait<ApiList<MediaEvent>>([&](auto d) {
              m_api->mediaEvents({dvr}, MediaKind::Video, dayAgo, now, 1, 10, {}, this, d);
          }));
    const auto live = wait<QUrl>([&](auto d) { m_api->liveStream(dvr, 1, appId, this, d); });
    check("liveStream", live);
    const QString instruction = QUuid::createUuid().toString(QUuid::WithoutBraces);
    check("requestVideoList",
          wait<Done>([&](auto d) { m_api->requestVideoList(dvr, 1, now.date(), instruction, appId, this, d); }));
    check("videoList", wait<ApiList<VideoSegment>>([&](auto d) { m_api->videoList(instruction, this, d); }));
    check("historyStream", wait<QUrl>([&](auto d) {
              m_api->historyStream(dvr, 1, appId, now.addSecs(-1800), now.addSecs(-600), {}, this, d);
          }));
    check("closeStream", wait<Done>([&](auto d) { m_api->closeStream(dvr, 1, StreamKind::Live, appId, this, d); }));

    const auto templates = wait<ApiList<CommandTemplate>>([&](auto d) { m_api->commandTemplates(online, this, d); });
    check("commandTemplates", templates);
    CommandRequest cmd;
    cmd.templateId = QStringLiteral("163");
    cmd.templateText = QStringLiteral("RELAY,{0}#");
    cmd.params = {QStringLiteral("1")};
    check("sendCommand", wait<Done>([&](auto d) { m_api->sendCommand(online, cmd, this, d); }));
    m_clock.advanceSecs(61); // the result list lags a minute
    const auto results = wait<ApiList<CommandResult>>([&](auto d) { m_api->commandResults(online, this, d); });
    check("commandResults", results);
    if (results.ok())
        QVERIFY(std::any_of(results.value().items.cbegin(), results.value().items.cend(),
                            [](const CommandResult &c) { return c.code.contains(QLatin1String("RELAY,1#")); }));
    check("sendRawCommand",
          wait<Done>([&](auto d) { m_api->sendRawCommand(online, QStringLiteral("0b02c3a4"), this, d); }));

    DeviceFenceSpec fence;
    fence.imei = online;
    fence.name = QStringLiteral("Depot");
    fence.centre = {48.85, 2.35};
    fence.radiusM = 500;
    const auto serial = wait<QString>([&](auto d) { m_api->createDeviceFence(fence, this, d); });
    check("createDeviceFence", serial);
    if (serial.ok())
        check("deleteDeviceFence",
              wait<Done>([&](auto d) { m_api->deleteDeviceFence(online, serial.value(), this, d); }));
    PlatformFenceSpec zone;
    zone.name = QStringLiteral("Centre, zone #1");
    zone.points = {{48.85, 2.34}, {48.86, 2.35}, {48.85, 2.36}};
    zone.color = QStringLiteral("#3B7AFF");
    const auto fenceId = wait<QString>([&](auto d) { m_api->createPlatformFence(zone, this, d); });
    check("createPlatformFence", fenceId);
    if (fenceId.ok()) {
        FenceBinding b{fenceId.value(), {online}, QStringLiteral("in,out"), std::nullopt, std::nullopt};
        const auto bound = wait<int>([&](auto d) { m_api->bindPlatformFence(b, this, d); });
        check("bindPlatformFence", bound);
        check("deletePlatformFence",
              wait<Done>([&](auto d) { m_api->deletePlatformFence({}, fenceId.value(), this, d); }));
    }
    const auto instruct = wait<InstructResult>([&](auto d) {
        m_api->sendInstruct(dvr, 37121, QJsonObject{{QStringLiteral("channel"), 1}, {QStringLiteral("dataType"), 0}},
                            this, d);
    });
    check("sendInstruct", instruct);

    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    QVERIFY(live.value().isValid());
}

void TestJimiApi::positionsMatchGroundTruth()
{
    const auto r = wait<ApiList<DeviceLocation>>([&](auto d) { m_api->locationList({}, this, d); });
    QVERIFY(r.ok());
    QVERIFY(r.value().skipped.isEmpty());
    const QDateTime now = m_server->fleetNow();
    int compared = 0;
    for (const DeviceLocation &l : r.value().items) {
        const int i = m_server->fleet().indexOf(l.imei);
        QVERIFY(i >= 0);
        const SimDevice &dev = m_server->fleet().device(i);
        const std::optional<SimFix> truth = m_server->fleet().lastFix(i, now);
        QVERIFY2(truth, "the cloud must omit devices without a fix");
        if (dev.expired) {
            QVERIFY2(!l.fix, "expired devices report 0,0, which is no fix");
            continue;
        }
        QVERIFY(l.fix);
        QCOMPARE(l.fix->gpsTime, truth->gpsTime);
        QVERIFY(qAbs(l.fix->lat - truth->lat) < 1e-6);
        QVERIFY(qAbs(l.fix->lng - truth->lng) < 1e-6);
        QCOMPARE(l.fix->acc, std::optional<bool>(truth->acc));
        ++compared;
    }
    QVERIFY(compared > 100);
}

void TestJimiApi::tripsMatchGroundTruthInKilometres()
{
    const QDateTime now = m_server->fleetNow();
    const QDateTime begin = now.addDays(-2);
    const QDateTime end = now.addDays(-1);
    QStringList imeis;
    for (int i = 0; i < 10; ++i)
        imeis.append(m_server->fleet().device(i).imei);
    const auto r = wait<MileageReport>([&](auto d) { m_api->mileage(imeis, begin, end, this, d); });
    QVERIFY(r.ok());
    int expected = 0;
    for (int i = 0; i < 10; ++i)
        expected += int(m_server->fleet().trips(i, begin, end).size());
    QVERIFY(expected > 0);
    QCOMPARE(int(r.value().trips.items.size()), expected);
    for (const Trip &t : r.value().trips.items) {
        const int i = m_server->fleet().indexOf(t.imei);
        const QList<SimTrip> truth = m_server->fleet().trips(i, t.start, t.start);
        QCOMPARE(truth.size(), 1);
        QVERIFY(t.distanceKm && qAbs(*t.distanceKm - truth.first().distanceKm) < 0.01);
        QVERIFY(t.maxSpeedKmh && qAbs(*t.maxSpeedKmh - truth.first().maxSpeedKmh) < 1.0);
        QVERIFY(*t.distanceKm < 300); // kilometres, not metres scaled up
    }
}

void TestJimiApi::alarmsAcrossThreeMonthsAreSplitAndPaged()
{
    const QDateTime now = m_server->fleetNow();
    const QDateTime begin = now.addDays(-58);
    QStringList imeis;
    for (int i = 0; i < 60; ++i)
        imeis.append(m_server->fleet().device(i).imei);
    const QString method = QStringLiteral("jimi.device.alarm.list");
    const int before = m_server->requestCount(method);
    const int rangeErrors = m_server->codeCount(1001);
    const auto r = wait<ApiList<Alarm>>([&](auto d) { m_api->alarms(imeis, begin, now, this, d); });
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(m_server->codeCount(1001), rangeErrors); // never asked for more than a month
    QVERIFY(m_server->requestCount(method) - before >= 2 * 2); // 2 batches x >= 2 months
    int expected = 0;
    for (int i = 0; i < 60; ++i)
        expected += int(m_server->fleet().alarms(i, begin, now).size());
    QVERIFY(expected > 1000); // the 1000-row cap had to be worked around
    QCOMPARE(int(r.value().items.size()), expected);
    for (const Alarm &a : r.value().items) {
        QVERIFY(!a.typeId.isEmpty()); // BUG-01: alertTypeId mapped
        QVERIFY(!a.typeName.isEmpty());
        QVERIFY(a.time.isValid());
    }
}

void TestJimiApi::alarmsWhenTheCloudIgnoresPageNo()
{
    // The same fleet from a cloud that answers page 1 to every page_no (the
    // reference's parameter table has none).
    SimServerConfig config = m_server->config();
    config.ignorePageNo = true;
    config.realStart = QDateTime();
    SimServer cloud(config, &m_clock);
    QVERIFY(cloud.listen(QHostAddress::LocalHost, 0) != 0);
    ApiAccount a = m_client->account();
    a.baseUrl = cloud.baseUrl();
    MemoryTokenStore store;
    ApiClientOptions o = m_client->options();
    ApiClient client(a, &store, &m_clock, o);
    JimiApi api(&client);

    const QDateTime now = cloud.fleetNow();
    const QDateTime begin = now.addDays(-20);
    QStringList imeis;
    QSet<QString> truth;
    for (int i = 0; i < 60; ++i) {
        imeis.append(cloud.fleet().device(i).imei);
        for (const SimAlarm &s : cloud.fleet().alarms(i, begin, now))
            truth.insert(cloud.fleet().device(i).imei + QLatin1Char('|') + s.typeId + QLatin1Char('|')
                         + QString::number(s.time.toSecsSinceEpoch()));
    }
    QVERIFY(truth.size() > 300); // several pages' worth for a batch
    const auto r = wait<ApiList<Alarm>>([&](auto d) { api.alarms(imeis, begin, now, this, d); });
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QVERIFY(api.alarmPagingIgnored());
    QVERIFY(r.value().incomplete.isEmpty());
    QSet<QString> got;
    for (const Alarm &al : r.value().items)
        got.insert(al.imei + QLatin1Char('|') + al.typeId + QLatin1Char('|')
                   + QString::number(al.time.toSecsSinceEpoch()));
    QCOMPARE(int(r.value().items.size()), int(truth.size()));
    QCOMPARE(got, truth);
}

void TestJimiApi::alarmsThatCannotBeFetchedWholeAreSaid()
{
    // A cloud with 150 alarms of one device in one second that answers page
    // 1 whatever page_no says: no window and no device list is small enough.
    const QDateTime burst(QDate(2026, 12, 2), QTime(8, 30, 17), QTimeZone::utc());
    const QString imei = QStringLiteral("860000000000001");
    const QString quiet = QStringLiteral("860000000000002");
    int alarmCalls = 0;
    Http::Server cloud([&](const Http::Request &request, const Http::Responder &responder) {
        const ApiParams p = FormCodec::decode(request.body).value_or(ApiParams());
        QJsonObject body{{QStringLiteral("code"), 0}, {QStringLiteral("message"), QStringLiteral("success")}};
        if (p.value(QStringLiteral("method")) == QLatin1String("jimi.oauth.token.get")) {
            body.insert(QStringLiteral("result"),
                        QJsonObject{{QStringLiteral("accessToken"), QStringLiteral("t0ken")},
                                    {QStringLiteral("refreshToken"), QStringLiteral("r")},
                                    {QStringLiteral("expiresIn"), 7200},
                                    {QStringLiteral("account"), QStringLiteral("demo")}});
        } else {
            ++alarmCalls;
            const QDateTime from = ApiTime::parse(p.value(QStringLiteral("begin_time")));
            const QDateTime to = ApiTime::parse(p.value(QStringLiteral("end_time")));
            QJsonArray rows;
            if (p.value(QStringLiteral("imeis")).split(QLatin1Char(',')).contains(imei) && from <= burst
                && burst <= to) {
                for (int k = 0; k < 150 && k < p.value(QStringLiteral("page_size")).toInt(); ++k)
                    rows.append(QJsonObject{{QStringLiteral("imei"), imei},
                                            {QStringLiteral("alertTypeId"), QString::number(1000 + k)},
                                            {QStringLiteral("alarmTypeName"), QStringLiteral("Burst")},
                                            {QStringLiteral("alertTime"), ApiTime::format(burst)}});
            }
            body.insert(QStringLiteral("result"), rows);
        }
        Http::Response response;
        response.contentType = "application/json";
        response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        responder.answer(response);
    });
    QVERIFY(cloud.listen(QHostAddress::LocalHost, 0));
    ApiAccount a = m_client->account();
    a.baseUrl = QUrl(cloud.url().toString() + QStringLiteral("/route/rest"));
    MemoryTokenStore store;
    ApiClient client(a, &store, &m_clock, m_client->options());
    JimiApi api(&client);
    const QDateTime begin = burst.addSecs(-3600);
    const QDateTime end = burst.addSecs(3600);
    const auto r = wait<ApiList<Alarm>>([&](auto d) { api.alarms({imei, quiet}, begin, end, this, d); });
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    // What could be had is kept, and the one second of the one device that
    // could not be fetched whole is named, never dropped in silence.
    QCOMPARE(r.value().items.size(), qsizetype(100));
    QCOMPARE(r.value().incomplete.size(), qsizetype(1));
    const IncompleteWindow &w = r.value().incomplete.first();
    QCOMPARE(w.imeis, QStringList{imei});
    QCOMPARE(w.begin, burst);
    QCOMPARE(w.end, burst);
    QVERIFY2(w.reason.contains(QLatin1String("page_no")), qPrintable(w.reason));
    QVERIFY(alarmCalls < 60); // halves, not a flood
}

void TestJimiApi::trackLongerThanSevenDaysIsSplit()
{
    const QString imei = imeiWhere([](const SimDevice &d) { return !d.offline && !d.expired; });
    const QString method = QStringLiteral("jimi.device.track.list");
    const int before = m_server->requestCount(method);
    const QDateTime end = m_server->fleetNow().addSecs(-60);
    const auto r = wait<ApiList<Position>>([&](auto d) { m_api->track(imei, end.addDays(-10), end, this, d); });
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(m_server->requestCount(method) - before, 2);
    const int i = m_server->fleet().indexOf(imei);
    QCOMPARE(r.value().items.size(), m_server->fleet().fixes(i, end.addDays(-10), end).size());
}

void TestJimiApi::pagerIsFreedWhenItsContextGoesMidway()
{
    // A 20-day track is three requests. The caller goes away after the
    // first: the rest is dropped, and nothing of the request is kept (its
    // callback, holding `alive`, is freed).
    const QString imei = imeiWhere([](const SimDevice &d) { return !d.offline && !d.expired; });
    const QDateTime end = m_server->fleetNow().addSecs(-60);
    auto alive = std::make_shared<int>(0);
    auto caller = std::make_unique<QObject>();
    QSignalSpy finished(m_client.get(), &ApiClient::requestFinished);
    bool called = false;
    m_api->track(imei, end.addDays(-20), end, caller.get(),
                 [alive, &called](const Result<ApiList<Position>> &) { called = true; });
    QVERIFY(finished.wait(10000)); // the first window is answered; the second is asked for
    caller.reset();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
    QTRY_COMPARE(alive.use_count(), 1L);
    QVERIFY(!called);
}

void TestJimiApi::parkingAlwaysSendsAccType()
{
    const QString imei = imeiWhere([](const SimDevice &d) { return !d.offline && !d.expired; });
    const QDateTime now = m_server->fleetNow();
    const auto r = wait<ApiList<StopPeriod>>(
        [&](auto d) { m_api->parking({}, {imei}, now.addDays(-3), now, ParkingFilter::AllStops, this, d); });
    QVERIFY(r.ok());
    QVERIFY(!r.value().items.isEmpty());
    for (const StopPeriod &s : r.value().items) {
        QVERIFY(s.durationSeconds.has_value()); // POLL-02: durSecond
        QCOMPARE(*s.durationSeconds, int(s.start.secsTo(s.end)));
    }
    // The same request without acc_type: the cloud answers no rows at all.
    std::optional<Result<ApiEnvelope>> raw;
    m_client->call(QStringLiteral("jimi.open.platform.report.parking"),
                   {{QStringLiteral("account"), QStringLiteral("demo")},
                    {QStringLiteral("imeis"), imei},
                    {QStringLiteral("start_time"), ApiTime::format(now.addDays(-3))},
                    {QStringLiteral("end_time"), ApiTime::format(now)},
                    {QStringLiteral("start_row"), QStringLiteral("0")},
                    {QStringLiteral("page_size"), QStringLiteral("100")}},
                   this, [&raw](const Result<ApiEnvelope> &e) { raw = e; });
    QTRY_VERIFY(raw.has_value());
    QVERIFY(raw->ok());
    QVERIFY(ApiParse::parking(raw->value()).value().items.isEmpty());
}

void TestJimiApi::invalidArgumentsAreRefusedLocally()
{
    const int before = m_server->requestCount();
    const auto a = wait<Device>([&](auto d) { m_api->deviceDetail(QStringLiteral("12,34"), this, d); });
    QCOMPARE(a.error().kind, ApiError::Kind::InvalidArgument);
    const auto b = wait<Done>(
        [&](auto d) { m_api->sendRawCommand(m_server->fleet().device(0).imei, QStringLiteral("XYZ"), this, d); });
    QCOMPARE(b.error().kind, ApiError::Kind::InvalidArgument);
    const auto c = wait<ApiList<Alarm>>([&](auto d) { m_api->alarms({}, QDateTime(), QDateTime(), this, d); });
    QCOMPARE(c.error().kind, ApiError::Kind::InvalidArgument);
    // Platform circles: 200 m to 5 km, checked before sending.
    PlatformFenceSpec circle;
    circle.name = QStringLiteral("Too small");
    circle.shape = PlatformFenceSpec::Shape::Circle;
    circle.points = {{48.85, 2.35}};
    for (const int radius : {199, 5001}) {
        circle.radiusM = radius;
        const auto e = wait<QString>([&](auto d) { m_api->createPlatformFence(circle, this, d); });
        QCOMPARE(e.error().kind, ApiError::Kind::InvalidArgument);
        QVERIFY2(e.error().message.contains(QStringLiteral("200 m to 5000 m, not %1 m").arg(radius)),
                 qPrintable(e.error().message));
    }
    QCOMPARE(m_server->requestCount(), before);
    circle.radiusM = 200;
    circle.name = QStringLiteral("Smallest");
    const auto smallest = wait<QString>([&](auto d) { m_api->createPlatformFence(circle, this, d); });
    QVERIFY2(smallest.ok(), qPrintable(smallest.ok() ? QString() : smallest.error().toString()));
}

void TestJimiApi::survivesInjectedFaults()
{
    SimFaultConfig faults;
    faults.errorRate = 0.3;
    faults.errorCode = -1;
    faults.latencyMs = 5;
    faults.latencyJitterMs = 20;
    faults.seed = 99;
    m_server->setFaults(faults);
    int ok = 0;
    for (int i = 0; i < 15; ++i) {
        const auto r = wait<ApiList<DeviceLocation>>([&](auto d) { m_api->locationList({}, this, d); });
        ok += r.ok() ? 1 : 0;
    }
    m_server->setFaults(SimFaultConfig());
    QCOMPARE(ok, 15);
    QVERIFY(m_server->codeCount(-1) > 0);
}

QTEST_GUILESS_MAIN(TestJimiApi)
#include "tst_jimiapi.moc"
