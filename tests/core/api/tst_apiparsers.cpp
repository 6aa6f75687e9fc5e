// Golden-folder tests for every method's parser: tests/data/api/<method>/<case>.json
// is a raw answer body, <case>.expected.json the reviewed domain values (or the
// typed error) it must turn into. A new case is a new file pair. Run with
// FLEET_UPDATE_GOLDEN=1 to write missing/changed expectations, then review them.

#include "api/apiparsers.h"
#include "domain/domainjson.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QtTest>

using namespace Fleet;

namespace {

template<typename T>
QJsonObject listJson(const ApiList<T> &list)
{
    QJsonObject o;
    o.insert(QStringLiteral("items"), DomainJson::toJsonArray(list.items));
    if (!list.skipped.isEmpty())
        o.insert(QStringLiteral("skipped"), QJsonArray::fromStringList(list.skipped));
    if (!list.warnings.isEmpty())
        o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(list.warnings));
    if (list.totalRows)
        o.insert(QStringLiteral("totalRows"), *list.totalRows);
    return o;
}

QJsonObject errorJson(const ApiError &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("error"), ApiError::kindName(e.kind));
    if (e.apiCode)
        o.insert(QStringLiteral("code"), e.apiCode);
    if (!e.detail.isEmpty())
        o.insert(QStringLiteral("detail"), e.detail);
    o.insert(QStringLiteral("message"), e.message);
    return o;
}

template<typename T, typename ToJson>
QJsonValue render(const Result<T> &r, ToJson toJson)
{
    return r.ok() ? QJsonValue(toJson(r.value())) : QJsonValue(errorJson(r.error()));
}

template<typename T>
QJsonValue renderList(const Result<ApiList<T>> &r)
{
    return render(r, [](const ApiList<T> &l) { return listJson(l); });
}

using Parser = std::function<QJsonValue(const ApiEnvelope &)>;

QHash<QString, Parser> parsers()
{
    const QString imei = QStringLiteral("862798051058689");
    auto str = [](const QString &s) { return QJsonObject{{QStringLiteral("value"), s}}; };
    auto url = [](const QUrl &u) { return QJsonObject{{QStringLiteral("url"), u.toString()}}; };
    auto done = [](const Done &) { return QJsonObject{{QStringLiteral("done"), true}}; };
    auto token = [](const TokenInfo &t) {
        return QJsonObject{{QStringLiteral("accessToken"), t.accessToken},
                           {QStringLiteral("refreshToken"), t.refreshToken},
                           {QStringLiteral("expiresInSecs"), t.expiresInSecs},
                           {QStringLiteral("account"), t.account},
                           {QStringLiteral("appKey"), t.appKey},
                           {QStringLiteral("serverTime"), DomainJson::time(t.serverTime)}};
    };
    auto ack = [done](const ApiEnvelope &e) { return render(ApiParse::acknowledgement(e), done); };
    QHash<QString, Parser> p;
    p.insert(QStringLiteral("jimi.oauth.token.get"),
             [token](const ApiEnvelope &e) { return render(ApiParse::token(e), token); });
    p.insert(QStringLiteral("jimi.oauth.token.refresh"),
             [token](const ApiEnvelope &e) { return render(ApiParse::token(e), token); });
    p.insert(QStringLiteral("jimi.user.device.list"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::deviceList(e)); });
    p.insert(QStringLiteral("jimi.track.device.detail"), [](const ApiEnvelope &e) {
        return render(ApiParse::deviceDetail(e), [](const Device &d) { return DomainJson::toJson(d); });
    });
    p.insert(QStringLiteral("jimi.user.device.expiration.update"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::expirationUpdate(e)); });
    p.insert(QStringLiteral("jimi.open.device.update"), ack);
    p.insert(QStringLiteral("jimi.open.device.move"), [](const ApiEnvelope &e) {
        return render(ApiParse::deviceMove(e), [](const QStringList &l) {
            return QJsonObject{{QStringLiteral("imeis"), QJsonArray::fromStringList(l)}};
        });
    });
    p.insert(QStringLiteral("jimi.open.device.bind"), ack);
    p.insert(QStringLiteral("jimi.open.device.unbind"), ack);
    p.insert(QStringLiteral("jimi.device.group.create"), [](const ApiEnvelope &e) {
        return render(ApiParse::groupCreate(e), [](const DeviceGroup &g) { return DomainJson::toJson(g); });
    });
    p.insert(QStringLiteral("jimi.device.group.update"), ack);
    p.insert(QStringLiteral("jimi.device.group.delete"), ack);
    p.insert(QStringLiteral("jimi.device.group.list"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::groupList(e)); });
    p.insert(QStringLiteral("jimi.user.device.location.list"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::locations(e)); });
    p.insert(QStringLiteral("jimi.device.location.get"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::locations(e)); });
    p.insert(QStringLiteral("jimi.device.location.URL.share"),
             [url](const ApiEnvelope &e) { return render(ApiParse::shareUrl(e), url); });
    p.insert(QStringLiteral("jimi.device.track.mileage"), [](const ApiEnvelope &e) {
        return render(ApiParse::mileage(e), [](const MileageReport &m) {
            QJsonObject o = listJson(m.trips);
            o.insert(QStringLiteral("totals"), DomainJson::toJsonArray(m.totals));
            return o;
        });
    });
    p.insert(QStringLiteral("jimi.device.track.list"),
             [imei](const ApiEnvelope &e) { return renderList(ApiParse::track(e, imei)); });
    p.insert(QStringLiteral("jimi.lbs.address.get"), [](const ApiEnvelope &e) {
        return render(ApiParse::lbsAddress(e), [](const LbsLocation &l) { return DomainJson::toJson(l); });
    });
    p.insert(QStringLiteral("jimi.open.platform.report.parking"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::parking(e)); });
    p.insert(QStringLiteral("jimi.device.location.getTagMsg"),
             [imei](const ApiEnvelope &e) { return renderList(ApiParse::tagLocation(e, imei)); });
    p.insert(QStringLiteral("jimi.device.alarm.list"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::alarms(e)); });
    p.insert(QStringLiteral("jimi.device.live.page.url"), [](const ApiEnvelope &e) {
        return render(ApiParse::livePage(e), [](const LivePage &l) { return DomainJson::toJson(l); });
    });
    auto mediaAck = [](const ApiEnvelope &e) {
        return render(ApiParse::mediaCommand(e), [](const MediaCommandAck &a) { return DomainJson::toJson(a); });
    };
    p.insert(QStringLiteral("jimi.device.meida.cmd.send"), mediaAck);
    p.insert(QStringLiteral("jimi.device.history.cmd.send"), mediaAck);
    p.insert(QStringLiteral("jimi.device.jimi.media.URL"),
             [imei](const ApiEnvelope &e) { return renderList(ApiParse::mediaFiles(e, imei)); });
    p.insert(QStringLiteral("jimi.device.media.event.URL"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::mediaEvents(e)); });
    p.insert(QStringLiteral("jimi.device.media.live.stream"),
             [url](const ApiEnvelope &e) { return render(ApiParse::streamUrl(e), url); });
    p.insert(QStringLiteral("jimi.device.media.history.stream"),
             [url](const ApiEnvelope &e) { return render(ApiParse::streamUrl(e), url); });
    p.insert(QStringLiteral("jimi.device.media.history.list.cmd"), ack);
    p.insert(QStringLiteral("jimi.device.media.history.list.get"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::videoSegments(e)); });
    p.insert(QStringLiteral("jimi.device.media.close.stream"), ack);
    p.insert(QStringLiteral("jimi.open.instruction.list"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::commandTemplates(e)); });
    p.insert(QStringLiteral("jimi.open.instruction.send"), ack);
    p.insert(QStringLiteral("jimi.open.instruction.result"),
             [](const ApiEnvelope &e) { return renderList(ApiParse::commandResults(e)); });
    p.insert(QStringLiteral("jimi.open.instruction.raw.send"), ack);
    p.insert(QStringLiteral("jimi.open.device.fence.create"),
             [str](const ApiEnvelope &e) { return render(ApiParse::fenceId(e), str); });
    p.insert(QStringLiteral("jimi.open.device.fence.delete"), ack);
    p.insert(QStringLiteral("jimi.open.platform.fence.create"),
             [str](const ApiEnvelope &e) { return render(ApiParse::fenceId(e), str); });
    p.insert(QStringLiteral("jimi.open.platform.fence.delete"), ack);
    p.insert(QStringLiteral("jimi.open.platform.fence.bind"), [](const ApiEnvelope &e) {
        return render(ApiParse::fenceBindCount(e), [](int n) { return QJsonObject{{QStringLiteral("count"), n}}; });
    });
    p.insert(QStringLiteral("sendInstruct"), [](const ApiEnvelope &e) {
        return render(ApiParse::instruct(e), [](const InstructResult &r) { return DomainJson::toJson(r); });
    });
    return p;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestApiParsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyMethodHasFixtures();
    void golden_data();
    void golden();
};

void TestApiParsers::everyMethodHasFixtures()
{
    const QDir dir(QStringLiteral(FLEET_TEST_DATA_DIR "/api"));
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    const QHash<QString, Parser> known = parsers();
    for (auto it = known.cbegin(); it != known.cend(); ++it) {
        QVERIFY2(folders.contains(it.key()), qPrintable(QStringLiteral("no fixtures for ") + it.key()));
        const QStringList cases = QDir(dir.filePath(it.key())).entryList({QStringLiteral("sample.json")});
        QVERIFY2(!cases.isEmpty(), qPrintable(QStringLiteral("no sample.json for ") + it.key()));
    }
    for (const QString &folder : folders)
        QVERIFY2(known.contains(folder), qPrintable(QStringLiteral("fixtures for an unknown method: ") + folder));
}

void TestApiParsers::golden_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(FLEET_TEST_DATA_DIR "/api"));
    for (const QString &method : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir sub(dir.filePath(method));
        for (const QString &file : sub.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            if (file.endsWith(QLatin1String(".expected.json")))
                continue;
            const QString tag = method + QLatin1Char('/') + file.chopped(5);
            QTest::newRow(qPrintable(tag)) << method << sub.filePath(file);
        }
    }
}

void TestApiParsers::golden()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    static const QHash<QString, Parser> table = parsers();
    QVERIFY(table.contains(method));

    const Result<ApiEnvelope> env = ApiEnvelope::parse(readFile(path), method);
    QJsonValue actual;
    if (!env.ok())
        actual = errorJson(env.error());
    else if (env.value().code != ApiCode::Success) {
        QJsonObject e{{QStringLiteral("apiError"), env.value().code}, {QStringLiteral("message"), env.value().message}};
        if (!env.value().detailCode().isEmpty())
            e.insert(QStringLiteral("detail"), env.value().detailCode());
        actual = e;
    } else
        actual = table.value(method)(env.value());

    const QString expectedPath = path.chopped(5) + QStringLiteral(".expected.json");
    const QByteArray actualText = QJsonDocument(actual.toObject()).toJson(QJsonDocument::Indented);
    if (qEnvironmentVariableIsSet("FLEET_UPDATE_GOLDEN")) {
        QFile out(expectedPath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(actualText);
        return;
    }
    const QByteArray expectedText = readFile(expectedPath);
    QVERIFY2(!expectedText.isEmpty(), qPrintable(QStringLiteral("missing ") + expectedPath));
    const QJsonObject expected = QJsonDocument::fromJson(expectedText).object();
    if (expected != actual.toObject()) {
        qWarning().noquote() << "actual:\n" << actualText;
        QFAIL(qPrintable(QStringLiteral("parsed value differs from ") + expectedPath));
    }
}

QTEST_GUILESS_MAIN(TestApiParsers)
#include "tst_apiparsers.moc"
