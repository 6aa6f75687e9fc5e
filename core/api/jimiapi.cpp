#include "jimiapi.h"

#include "domain/gcj02.h"
#include "util/apitime.h"
#include "util/gather.h"
#include "util/logging.h"

#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <array>

namespace Fleet {

namespace {

const QString kMethodAlarmList = QStringLiteral("jimi.device.alarm.list");

QString mediaKindParam(MediaKind kind)
{
    return kind == MediaKind::Photo ? QStringLiteral("photo") : QStringLiteral("video");
}

template<typename T>
void mergeList(ApiList<T> &into, const ApiList<T> &from)
{
    into.items += from.items;
    into.skipped += from.skipped;
    into.warnings += from.warnings;
    into.incomplete += from.incomplete;
}

// The answers of several calls made for one request, joined (gather()):
// one arrival per call. done gets their merge, in call order, or the first
// call's error; never, when a call's context is gone.
template<typename T>
QList<JimiApi::Callback<T>> fanIn(qsizetype count, JimiApi::Callback<T> done,
                                  std::function<void(T &, const T &)> combine)
{
    return gather<Result<T>>(count,
                             [done = std::move(done), combine = std::move(combine)](const QList<Result<T>> &all) {
                                 T merged{};
                                 for (const Result<T> &r : all) {
                                     if (!r.ok()) {
                                         done(r.error());
                                         return;
                                     }
                                 }
                                 for (const Result<T> &r : all)
                                     combine(merged, r.value());
                                 done(merged);
                             });
}

// A request that continues with the next page or window: start() runs step,
// which issues a request whose handler, to go on, calls chain->next(). Only
// that handler holds the chain (it captures the pointer step is given), so a
// chain whose handler is never called (its context or the client gone) is
// freed with the handler. The step itself never holds the chain: no cycle.
template<typename Arg>
class Chain : public std::enable_shared_from_this<Chain<Arg>>
{
public:
    using Step = std::function<void(Arg, const std::shared_ptr<Chain> &)>;

    static void start(Arg first, Step step)
    {
        auto chain = std::make_shared<Chain>();
        chain->m_step = std::move(step);
        chain->next(std::move(first));
    }
    void next(Arg arg) { m_step(std::move(arg), this->shared_from_this()); }

private:
    Step m_step;
};

// [begin, end] cut into consecutive windows of at most maxDays.
QList<std::pair<QDateTime, QDateTime>> splitRange(const QDateTime &begin, const QDateTime &end, int maxDays)
{
    QList<std::pair<QDateTime, QDateTime>> out;
    for (QDateTime from = begin; from <= end;) {
        const QDateTime to = qMin(end, from.addDays(maxDays));
        out.append({from, to});
        if (to >= end)
            break;
        from = to.addSecs(1);
    }
    return out;
}

QString idKey(const Alarm &a)
{
    return a.imei + QLatin1Char('|') + a.typeId + QLatin1Char('|') + QString::number(a.time.toSecsSinceEpoch());
}

} // namespace

JimiApi::JimiApi(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{ }

bool JimiApi::isValidImei(const QString &imei)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]{5,20}$"));
    return re.match(imei).hasMatch();
}

QList<QStringList> JimiApi::batches(const QStringList &imeis, int size)
{
    QList<QStringList> out;
    QSet<QString> seen;
    QStringList current;
    for (const QString &imei : imeis) {
        if (seen.contains(imei))
            continue;
        seen.insert(imei);
        current.append(imei);
        if (current.size() == size) {
            out.append(current);
            current.clear();
        }
    }
    if (!current.isEmpty())
        out.append(current);
    return out;
}

QString JimiApi::newAppId()
{
    static const QLatin1String alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    QString id;
    for (int i = 0; i < 15; ++i)
        id.append(QLatin1Char(alphabet.at(QRandomGenerator::system()->bounded(int(alphabet.size())))));
    return id;
}

template<typename T>
void JimiApi::fail(QObject *ctx, Callback<T> done, const QString &method, const QString &why)
{
    // Reported asynchronously, like every other outcome.
    QPointer<QObject> guard(ctx);
    const bool hadContext = ctx != nullptr;
    QTimer::singleShot(0, this, [guard, hadContext, done, method, why] {
        if (hadContext && !guard)
            return;
        done(ApiError{ApiError::Kind::InvalidArgument, 0, 0, method, why});
    });
}

template<typename T, typename Parse>
void JimiApi::request(const QString &method, const ApiParams &params, QObject *ctx, Callback<T> done, Parse parse,
                      const CallOptions &options)
{
    m_client->call(
        method, params, ctx,
        [done, parse](const Result<ApiEnvelope> &r) {
            if (!r.ok()) {
                done(r.error());
                return;
            }
            done(parse(r.value()));
        },
        options);
}

// ---- §4 device management ---------------------------------------------------

void JimiApi::deviceList(const QString &target, QObject *ctx, Callback<ApiList<Device>> done)
{
    request<ApiList<Device>>(QStringLiteral("jimi.user.device.list"),
                             {{QStringLiteral("target"), target.isEmpty() ? defaultTarget() : target}}, ctx, done,
                             &ApiParse::deviceList);
}

void JimiApi::deviceDetail(const QString &imei, QObject *ctx, Callback<Device> done)
{
    const QString method = QStringLiteral("jimi.track.device.detail");
    if (!isValidImei(imei))
        return fail(ctx, done, method, QStringLiteral("invalid IMEI"));
    request<Device>(method, {{QStringLiteral("imei"), imei}}, ctx, done, &ApiParse::deviceDetail,
                    CallOptions{0, true, true, false});
}

void JimiApi::updateExpiration(const QStringList &imeis, const QDate &newExpiration, QObject *ctx,
                               Callback<ApiList<ExpirationUpdate>> done)
{
    const QString method = QStringLiteral("jimi.user.device.expiration.update");
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty() || !newExpiration.isValid())
        return fail(ctx, done, method, QStringLiteral("no devices or no valid date"));
    const auto arrivals = fanIn<ApiList<ExpirationUpdate>>(int(chunks.size()), done, &mergeList<ExpirationUpdate>);
    qsizetype next = 0;
    for (const QStringList &chunk : chunks) {
        ApiParams p{{QStringLiteral("imei_list"), chunk.join(QLatin1Char(','))},
                    {QStringLiteral("new_expiration"),
                     newExpiration.toString(Qt::ISODate) + QStringLiteral(" 23:59:59")}};
        request<ApiList<ExpirationUpdate>>(method, p, ctx, arrivals[next++], &ApiParse::expirationUpdate,
                                           CallOptions{0, false, false, false});
    }
}

void JimiApi::updateDevice(const QString &imei, const DeviceUpdate &u, QObject *ctx, Callback<Done> done)
{
    const QString method = QStringLiteral("jimi.open.device.update");
    if (!isValidImei(imei))
        return fail(ctx, done, method, QStringLiteral("invalid IMEI"));
    ApiParams p{{QStringLiteral("imei"), imei}};
    auto put = [&p](const char *key, const std::optional<QString> &v) {
        if (v)
            p.insert(QLatin1String(key), *v);
    };
    put("device_name", u.deviceName);
    put("vehicle_name", u.vehicleName);
    put("vehicle_icon", u.vehicleIcon);
    put("vehicle_number", u.plate);
    put("driver_name", u.driverName);
    put("driver_phone", u.driverPhone);
    put("device_status", u.deviceStatus);
    put("sim", u.sim);
    put("remarks", u.remarks);
    if (u.mileageKm)
        p.insert(QStringLiteral("mileage"), QString::number(*u.mileageKm, 'f', 3));
    request<Done>(method, p, ctx, done, &ApiParse::acknowledgement, CallOptions{0, false, false, false});
}

void JimiApi::moveDevices(const QString &fromAccount, const QString &toAccount, const QStringList &imeis,
                          bool clearBindings, QObject *ctx, Callback<QStringList> done)
{
    const QString method = QStringLiteral("jimi.open.device.move");
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty() || fromAccount.isEmpty() || toAccount.isEmpty())
        return fail(ctx, done, method, QStringLiteral("accounts and devices are required"));
    const auto arrivals = fanIn<QStringList>(int(chunks.size()), done,
                                             [](QStringList &a, const QStringList &b) { a += b; });
    qsizetype next = 0;
    for (const QStringList &chunk : chunks) {
        ApiParams p{{QStringLiteral("src_account"), fromAccount},
                    {QStringLiteral("dest_account"), toAccount},
                    {QStringLiteral("imeis"), chunk.join(QLatin1Char(','))}};
        if (clearBindings)
            p.insert(QStringLiteral("cleanBindFlag"), QStringLiteral("true"));
        request<QStringList>(method, p, ctx, arrivals[next++], &ApiParse::deviceMove,
                             CallOptions{0, false, false, false});
    }
}

void JimiApi::bindAppUser(const QString &imei, const QString &userId, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.open.device.bind"),
                  {{QStringLiteral("imei"), imei}, {QStringLiteral("user_id"), userId}}, ctx, done,
                  &ApiParse::acknowledgement, CallOptions{0, false, false, false});
}

void JimiApi::unbindAppUser(const QString &imei, const QString &userId, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.open.device.unbind"),
                  {{QStringLiteral("imei"), imei}, {QStringLiteral("user_id"), userId}}, ctx, done,
                  &ApiParse::acknowledgement, CallOptions{0, false, false, false});
}

void JimiApi::createGroup(const QString &account, const QString &name, QObject *ctx, Callback<DeviceGroup> done)
{
    request<DeviceGroup>(QStringLiteral("jimi.device.group.create"),
                         {{QStringLiteral("account"), account.isEmpty() ? defaultTarget() : account},
                          {QStringLiteral("group_name"), name}},
                         ctx, done, &ApiParse::groupCreate, CallOptions{0, false, false, false});
}

void JimiApi::renameGroup(const QString &groupId, const QString &name, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.device.group.update"),
                  {{QStringLiteral("group_id"), groupId}, {QStringLiteral("group_name"), name}}, ctx, done,
                  &ApiParse::acknowledgement);
}

void JimiApi::deleteGroup(const QString &groupId, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.device.group.delete"), {{QStringLiteral("group_id"), groupId}}, ctx, done,
                  &ApiParse::acknowledgement);
}

void JimiApi::groupList(const QString &account, QObject *ctx, Callback<ApiList<DeviceGroup>> done)
{
    request<ApiList<DeviceGroup>>(QStringLiteral("jimi.device.group.list"),
                                  {{QStringLiteral("account"), account.isEmpty() ? defaultTarget() : account}}, ctx,
                                  done, &ApiParse::groupList);
}

// ---- §5 tracking --------------------------------------------------------------

void JimiApi::locationList(const QString &target, QObject *ctx, Callback<ApiList<DeviceLocation>> done)
{
    request<ApiList<DeviceLocation>>(QStringLiteral("jimi.user.device.location.list"),
                                     {{QStringLiteral("target"), target.isEmpty() ? defaultTarget() : target}}, ctx,
                                     done, &ApiParse::locations);
}

void JimiApi::locations(const QStringList &imeis, QObject *ctx, Callback<ApiList<DeviceLocation>> done)
{
    const QString method = QStringLiteral("jimi.device.location.get");
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty())
        return fail(ctx, done, method, QStringLiteral("no devices given"));
    const auto arrivals = fanIn<ApiList<DeviceLocation>>(int(chunks.size()), done, &mergeList<DeviceLocation>);
    qsizetype next = 0;
    for (const QStringList &chunk : chunks) {
        request<ApiList<DeviceLocation>>(method, {{QStringLiteral("imeis"), chunk.join(QLatin1Char(','))}}, ctx,
                                         arrivals[next++], &ApiParse::locations);
    }
}

void JimiApi::shareLocationUrl(const QString &imei, QObject *ctx, Callback<QUrl> done)
{
    request<QUrl>(QStringLiteral("jimi.device.location.URL.share"), {{QStringLiteral("imei"), imei}}, ctx, done,
                  &ApiParse::shareUrl);
}

void JimiApi::mileage(const QStringList &imeis, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                      Callback<MileageReport> done)
{
    const QString method = QStringLiteral("jimi.device.track.mileage");
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty() || !begin.isValid() || !end.isValid() || end < begin)
        return fail(ctx, done, method, QStringLiteral("devices and a valid time range are required"));
    const auto ranges = splitRange(begin, end, kReportMaxDays);
    // The totals of the windows add up to the total of the whole range.
    auto stamped = [done, begin, end](const Result<MileageReport> &r) {
        if (!r.ok()) {
            done(r);
            return;
        }
        MileageReport report = r.value();
        for (MileageTotal &t : report.totals) {
            t.begin = begin;
            t.end = end;
        }
        done(report);
    };
    const auto arrivals = fanIn<MileageReport>(int(chunks.size() * ranges.size()), stamped,
                                               [](MileageReport &a, const MileageReport &b) {
                                                   mergeList(a.trips, b.trips);
                                                   for (const MileageTotal &t : b.totals) {
                                                       auto it = std::find_if(a.totals.begin(), a.totals.end(),
                                                                              [&t](const MileageTotal &x) {
                                                                                  return x.imei == t.imei;
                                                                              });
                                                       if (it == a.totals.end())
                                                           a.totals.append(t);
                                                       else
                                                           it->totalKm += t.totalKm;
                                                   }
                                               });
    qsizetype next = 0;
    for (const auto &range : ranges)
        for (const QStringList &chunk : chunks) {
            const QDateTime from = range.first;
            const QDateTime to = range.second;
            // Pages of kReportPageSize rows until a short page.
            auto state = std::make_shared<MileageReport>();
            QPointer<JimiApi> self(this);
            Chain<int>::start(0,
                              [self, method, chunk, from, to, ctx, state,
                               arrive = arrivals[next++]](int startRow, const std::shared_ptr<Chain<int>> &chain) {
                                  if (!self)
                                      return;
                                  ApiParams p{{QStringLiteral("imeis"), chunk.join(QLatin1Char(','))},
                                              {QStringLiteral("begin_time"), ApiTime::format(from)},
                                              {QStringLiteral("end_time"), ApiTime::format(to)},
                                              {QStringLiteral("start_row"), QString::number(startRow)},
                                              {QStringLiteral("page_size"), QString::number(kReportPageSize)}};
                                  self->request<MileageReport>(
                                      method, p, ctx,
                                      [state, chain, arrive, startRow](const Result<MileageReport> &r) {
                                          if (!r.ok()) {
                                              arrive(r.error());
                                              return;
                                          }
                                          mergeList(state->trips, r.value().trips);
                                          if (startRow == 0)
                                              state->totals = r.value().totals;
                                          const qsizetype rows = r.value().trips.items.size()
                                              + r.value().trips.skipped.size();
                                          if (rows >= kReportPageSize && startRow < 100 * kReportPageSize)
                                              chain->next(startRow + kReportPageSize);
                                          else
                                              arrive(*state);
                                      },
                                      &ApiParse::mileage);
                              });
        }
}

void JimiApi::track(const QString &imei, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                    Callback<ApiList<Position>> done)
{
    const QString method = QStringLiteral("jimi.device.track.list");
    if (!isValidImei(imei) || !begin.isValid() || !end.isValid() || end < begin)
        return fail(ctx, done, method, QStringLiteral("a valid IMEI and time range are required"));
    // The cloud takes windows of at most 7 days; walk longer ranges in order.
    auto state = std::make_shared<ApiList<Position>>();
    QPointer<JimiApi> self(this);
    Chain<QDateTime>::start(begin,
                            [self, method, imei, end, ctx, done,
                             state](QDateTime from, const std::shared_ptr<Chain<QDateTime>> &chain) {
                                if (!self)
                                    return;
                                const QDateTime to = qMin(end, from.addDays(kTrackMaxDays));
                                ApiParams p{{QStringLiteral("imei"), imei},
                                            {QStringLiteral("begin_time"), ApiTime::format(from)},
                                            {QStringLiteral("end_time"), ApiTime::format(to)}};
                                self->request<ApiList<Position>>(
                                    method, p, ctx,
                                    [state, chain, done, to, end](const Result<ApiList<Position>> &r) {
                                        if (!r.ok()) {
                                            done(r.error());
                                            return;
                                        }
                                        mergeList(*state, r.value());
                                        if (to < end)
                                            chain->next(to.addSecs(1));
                                        else
                                            done(*state);
                                    },
                                    [imei](const ApiEnvelope &env) { return ApiParse::track(env, imei); },
                                    CallOptions{0, true, true, false});
                            });
}

void JimiApi::lbsLocate(const QString &imei, const QString &lbs, const QString &wifi, QObject *ctx,
                        Callback<LbsLocation> done)
{
    request<LbsLocation>(QStringLiteral("jimi.lbs.address.get"),
                         {{QStringLiteral("imei"), imei}, {QStringLiteral("lbs"), lbs}, {QStringLiteral("wifi"), wifi}},
                         ctx, done, &ApiParse::lbsAddress, CallOptions{0, true, true, false});
}

void JimiApi::parking(const QString &account, const QStringList &imeis, const QDateTime &begin, const QDateTime &end,
                      ParkingFilter filter, QObject *ctx, Callback<ApiList<StopPeriod>> done)
{
    const QString method = QStringLiteral("jimi.open.platform.report.parking");
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty() || !begin.isValid() || !end.isValid() || end < begin)
        return fail(ctx, done, method, QStringLiteral("devices and a valid time range are required"));
    // POLL-02: acc_type must be explicit; an omitted or empty one yields no rows.
    const QString accType = filter == ParkingFilter::AllStops ? QStringLiteral("0")
        : filter == ParkingFilter::ParkingOnly                ? QStringLiteral("off")
                                                              : QStringLiteral("on");
    const QString acct = account.isEmpty() ? defaultTarget() : account;
    const auto ranges = splitRange(begin, end, kReportMaxDays);
    const auto arrivals = fanIn<ApiList<StopPeriod>>(int(chunks.size() * ranges.size()), done, &mergeList<StopPeriod>);
    qsizetype next = 0;
    for (const auto &range : ranges)
        for (const QStringList &chunk : chunks) {
            const QDateTime from = range.first;
            const QDateTime to = range.second;
            auto state = std::make_shared<ApiList<StopPeriod>>();
            QPointer<JimiApi> self(this);
            Chain<int>::start(0,
                              [self, method, acct, chunk, from, to, accType, ctx, state,
                               arrive = arrivals[next++]](int startRow, const std::shared_ptr<Chain<int>> &chain) {
                                  if (!self)
                                      return;
                                  ApiParams p{{QStringLiteral("account"), acct},
                                              {QStringLiteral("imeis"), chunk.join(QLatin1Char(','))},
                                              {QStringLiteral("start_time"), ApiTime::format(from)},
                                              {QStringLiteral("end_time"), ApiTime::format(to)},
                                              {QStringLiteral("start_row"), QString::number(startRow)},
                                              {QStringLiteral("page_size"), QString::number(kReportPageSize)},
                                              {QStringLiteral("acc_type"), accType}};
                                  self->request<ApiList<StopPeriod>>(
                                      method, p, ctx,
                                      [state, chain, arrive, startRow](const Result<ApiList<StopPeriod>> &r) {
                                          if (!r.ok()) {
                                              arrive(r.error());
                                              return;
                                          }
                                          mergeList(*state, r.value());
                                          const qsizetype rows = r.value().items.size() + r.value().skipped.size();
                                          const int fetched = startRow + int(rows);
                                          const bool more = rows >= kReportPageSize
                                              && (!r.value().totalRows || fetched < *r.value().totalRows)
                                              && startRow < 100 * kReportPageSize;
                                          if (more) {
                                              chain->next(startRow + kReportPageSize);
                                          } else {
                                              state->totalRows = r.value().totalRows;
                                              arrive(*state);
                                          }
                                      },
                                      &ApiParse::parking);
                              });
        }
}

void JimiApi::tagLocation(const QString &imei, QObject *ctx, Callback<ApiList<Position>> done)
{
    request<ApiList<Position>>(QStringLiteral("jimi.device.location.getTagMsg"), {{QStringLiteral("imei"), imei}}, ctx,
                               done, [imei](const ApiEnvelope &env) { return ApiParse::tagLocation(env, imei); });
}

// ---- §6 alarms ----------------------------------------------------------------

void JimiApi::alarms(const QStringList &imeis, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                     Callback<ApiList<Alarm>> done)
{
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty() || !begin.isValid() || !end.isValid() || end < begin)
        return fail(ctx, done, kMethodAlarmList, QStringLiteral("devices and a valid time range are required"));
    // Ranges of at most one calendar month, as the cloud requires.
    QList<std::pair<QDateTime, QDateTime>> ranges;
    for (QDateTime from = begin; from <= end;) {
        const QDateTime to = qMin(end, from.addMonths(1));
        ranges.append({from, to});
        if (to >= end)
            break;
        from = to.addSecs(1);
    }
    auto seen = std::make_shared<QSet<QString>>();
    const auto arrivals = fanIn<ApiList<Alarm>>(
        int(chunks.size() * ranges.size()), [done, seen](const Result<ApiList<Alarm>> &r) { done(r); },
        [seen](ApiList<Alarm> &a, const ApiList<Alarm> &b) {
            for (const Alarm &alarm : b.items) {
                if (!seen->contains(idKey(alarm))) {
                    seen->insert(idKey(alarm));
                    a.items.append(alarm);
                }
            }
            a.skipped += b.skipped;
            a.warnings += b.warnings;
            a.incomplete += b.incomplete;
        });
    qsizetype next = 0;
    for (const QStringList &chunk : chunks)
        for (const auto &range : ranges)
            alarmRange(chunk, range.first, range.second, ctx, arrivals[next++]);
}

// One window of alarm.list: pages of kAlarmPageSize until a short page. The
// cloud serves at most kAlarmMaxRows of a query, and the reference lists no
// page_no at all, so a cloud may answer page 1 to every page_no. Both end in
// the same way: the window is cut in two halves (in time, then by device)
// that are fetched on their own, until each fits in one page or in the cap.
// What cannot be cut any further is returned as an IncompleteWindow, never
// dropped silently.
struct JimiApi::AlarmWindow : std::enable_shared_from_this<AlarmWindow>
{
    QPointer<JimiApi> api;
    QStringList imeis;
    QDateTime begin;
    QDateTime end;
    QPointer<QObject> ctx;
    bool hasContext = false;
    Callback<ApiList<Alarm>> done;
    ApiList<Alarm> rows;
    QSet<QString> seen;

    void page(int pageNo)
    {
        if (!api || (hasContext && !ctx))
            return;
        ApiParams p{{QStringLiteral("imeis"), imeis.join(QLatin1Char(','))},
                    {QStringLiteral("begin_time"), ApiTime::format(begin)},
                    {QStringLiteral("end_time"), ApiTime::format(end)},
                    {QStringLiteral("page_no"), QString::number(pageNo)},
                    {QStringLiteral("page_size"), QString::number(kAlarmPageSize)}};
        // The request holds this window alive, and nothing holds the request.
        auto self = shared_from_this();
        api->request<ApiList<Alarm>>(
            kMethodAlarmList, p, ctx, [self, pageNo](const Result<ApiList<Alarm>> &r) { self->arrived(pageNo, r); },
            &ApiParse::alarms);
    }

    void arrived(int pageNo, const Result<ApiList<Alarm>> &r)
    {
        if (!r.ok()) {
            done(r.error());
            return;
        }
        const ApiList<Alarm> &answer = r.value();
        const qsizetype count = answer.items.size() + answer.skipped.size();
        const bool full = count >= kAlarmPageSize;
        // A page whose rows were all on earlier pages: page_no is ignored.
        bool repeated = pageNo > 1 && !answer.items.isEmpty();
        for (const Alarm &a : answer.items)
            repeated = repeated && seen.contains(idKey(a));
        if (repeated) {
            if (api)
                api->m_alarmPagingIgnored = true;
            qCInfo(lcApi).noquote() << "alarm.list repeats page 1 for page" << pageNo
                                    << "(page_no ignored): cutting the window instead";
            split(QStringLiteral("the cloud repeats page 1 whatever page_no asks for"));
            return;
        }
        for (const Alarm &a : answer.items)
            seen.insert(idKey(a));
        mergeList(rows, answer);
        if (!full) {
            done(rows);
            return;
        }
        const bool capped = pageNo * kAlarmPageSize >= kAlarmMaxRows;
        if (!capped && !(api && api->m_alarmPagingIgnored)) {
            page(pageNo + 1);
            return;
        }
        split(capped ? QStringLiteral("more than %1 alarms, the most the cloud serves of one query").arg(kAlarmMaxRows)
                     : QStringLiteral("a full page, and the cloud repeats page 1 whatever page_no asks for"));
    }

    // Fetches the two halves anew; the rows so far are only kept when the
    // window cannot be cut (they are all there is of it).
    void split(const QString &why)
    {
        if (!api)
            return;
        const qint64 span = begin.secsTo(end);
        std::array<std::pair<QStringList, std::pair<QDateTime, QDateTime>>, 2> halves;
        if (span >= 1) {
            const QDateTime mid = begin.addSecs(span / 2);
            halves = {{{imeis, {begin, mid}}, {imeis, {mid.addSecs(1), end}}}};
        } else if (imeis.size() > 1) {
            const qsizetype cut = imeis.size() / 2;
            halves = {{{imeis.mid(0, cut), {begin, end}}, {imeis.mid(cut), {begin, end}}}};
        } else {
            rows.incomplete.append(IncompleteWindow{imeis, begin, end, why});
            qCWarning(lcApi).noquote() << "alarm.list: the alarms of" << imeis.join(QLatin1Char(',')) << "from"
                                       << begin.toString(Qt::ISODate) << "to" << end.toString(Qt::ISODate)
                                       << "cannot all be fetched:" << why;
            done(rows);
            return;
        }
        const auto arrivals = fanIn<ApiList<Alarm>>(2, done, &mergeList<Alarm>);
        qsizetype next = 0;
        for (const auto &[devices, range] : halves)
            api->alarmRange(devices, range.first, range.second, hasContext ? ctx.data() : nullptr, arrivals[next++]);
    }
};

void JimiApi::alarmRange(const QStringList &imeis, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                         Callback<ApiList<Alarm>> done)
{
    auto window = std::make_shared<AlarmWindow>();
    window->api = this;
    window->imeis = imeis;
    window->begin = begin;
    window->end = end;
    window->ctx = ctx;
    window->hasContext = ctx != nullptr;
    window->done = std::move(done);
    window->page(1);
}

// ---- §7 media -------------------------------------------------------------------

void JimiApi::livePage(const QString &imei, StreamKind kind, bool voice, QObject *ctx, Callback<LivePage> done)
{
    request<LivePage>(QStringLiteral("jimi.device.live.page.url"),
                      {{QStringLiteral("imei"), imei},
                       {QStringLiteral("type"), kind == StreamKind::Live ? QStringLiteral("1") : QStringLiteral("2")},
                       {QStringLiteral("voice"), voice ? QStringLiteral("1") : QStringLiteral("0")}},
                      ctx, done, &ApiParse::livePage, CallOptions{0, true, true, false});
}

void JimiApi::captureMedia(const QString &imei, int camera, MediaKind kind, int videoSeconds, QObject *ctx,
                           Callback<MediaCommandAck> done)
{
    ApiParams p{{QStringLiteral("imei"), imei},
                {QStringLiteral("camera"), QString::number(camera)},
                {QStringLiteral("mediaType"), kind == MediaKind::Photo ? QStringLiteral("1") : QStringLiteral("2")}};
    if (kind == MediaKind::Video)
        p.insert(QStringLiteral("shootTime"), QString::number(qBound(3, videoSeconds, 10)));
    // "meida" is the method's real spelling.
    request<MediaCommandAck>(QStringLiteral("jimi.device.meida.cmd.send"), p, ctx, done, &ApiParse::mediaCommand,
                             CallOptions{0, false, true, false});
}

void JimiApi::requestHistoryUpload(const QString &imei, const QString &type, int camera, const QString &fileName,
                                   const QString &time, QObject *ctx, Callback<MediaCommandAck> done)
{
    request<MediaCommandAck>(QStringLiteral("jimi.device.history.cmd.send"),
                             {{QStringLiteral("imei"), imei},
                              {QStringLiteral("type"), type},
                              {QStringLiteral("camera"), QString::number(camera)},
                              {QStringLiteral("fileName"), fileName},
                              {QStringLiteral("time"), time}},
                             ctx, done, &ApiParse::mediaCommand, CallOptions{0, false, true, false});
}

void JimiApi::mediaFiles(const QString &imei, int camera, MediaKind kind, const QDateTime &begin, const QDateTime &end,
                         int pageNo, int pageSize, QObject *ctx, Callback<ApiList<MediaFile>> done)
{
    if (begin.isValid() && end.isValid() && (end < begin || begin.secsTo(end) > qint64(kReportMaxDays) * 86400))
        return fail(ctx, done, QStringLiteral("jimi.device.jimi.media.URL"),
                    QStringLiteral("the time range must be at most 31 days"));
    ApiParams p{{QStringLiteral("imei"), imei},
                {QStringLiteral("camera"), QString::number(camera)},
                {QStringLiteral("media_type"), mediaKindParam(kind)},
                {QStringLiteral("page_no"), QString::number(qMax(0, pageNo))}, // zero-based here
                {QStringLiteral("page_size"), QString::number(qBound(1, pageSize, 100))}};
    if (begin.isValid())
        p.insert(QStringLiteral("start_time"), ApiTime::format(begin));
    if (end.isValid())
        p.insert(QStringLiteral("end_time"), ApiTime::format(end));
    request<ApiList<MediaFile>>(
        QStringLiteral("jimi.device.jimi.media.URL"), p, ctx, done,
        [imei](const ApiEnvelope &env) { return ApiParse::mediaFiles(env, imei); }, CallOptions{0, true, true, false});
}

void JimiApi::mediaEvents(const QStringList &imeis, MediaKind kind, const QDateTime &begin, const QDateTime &end,
                          int pageNo, int pageSize, const QString &eventType, QObject *ctx,
                          Callback<ApiList<MediaEvent>> done)
{
    const QString method = QStringLiteral("jimi.device.media.event.URL");
    const QList<QStringList> chunks = batches(imeis);
    if (chunks.isEmpty() || !begin.isValid() || !end.isValid() || end < begin
        || begin.secsTo(end) > qint64(kReportMaxDays) * 86400)
        return fail(ctx, done, method, QStringLiteral("devices and a time range of at most 31 days are required"));
    const auto arrivals = fanIn<ApiList<MediaEvent>>(int(chunks.size()), done, &mergeList<MediaEvent>);
    qsizetype next = 0;
    for (const QStringList &chunk : chunks) {
        request<ApiList<MediaEvent>>(method,
                                     {{QStringLiteral("imeis"), chunk.join(QLatin1Char(','))},
                                      {QStringLiteral("media_type"), mediaKindParam(kind)},
                                      {QStringLiteral("start_time"), ApiTime::format(begin)},
                                      {QStringLiteral("end_time"), ApiTime::format(end)},
                                      {QStringLiteral("page_no"), QString::number(qMax(1, pageNo))},
                                      {QStringLiteral("page_size"), QString::number(qBound(1, pageSize, 100))},
                                      {QStringLiteral("event_type"), eventType}},
                                     ctx, arrivals[next++], &ApiParse::mediaEvents);
    }
}

void JimiApi::liveStream(const QString &imei, int channel, const QString &appId, QObject *ctx, Callback<QUrl> done)
{
    request<QUrl>(QStringLiteral("jimi.device.media.live.stream"),
                  {{QStringLiteral("imei"), imei},
                   {QStringLiteral("channel"), QString::number(channel)},
                   {QStringLiteral("appId"), appId}},
                  ctx, done, &ApiParse::streamUrl, CallOptions{0, true, true, false});
}

void JimiApi::requestVideoList(const QString &imei, int channel, const QDate &date, const QString &instructionId,
                               const QString &appId, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.device.media.history.list.cmd"),
                  {{QStringLiteral("imei"), imei},
                   {QStringLiteral("channel"), QString::number(channel)},
                   {QStringLiteral("dateTime"), date.toString(Qt::ISODate)},
                   {QStringLiteral("instructionId"), instructionId},
                   {QStringLiteral("appId"), appId}},
                  ctx, done, &ApiParse::acknowledgement, CallOptions{0, false, true, false});
}

void JimiApi::videoList(const QString &instructionId, QObject *ctx, Callback<ApiList<VideoSegment>> done)
{
    request<ApiList<VideoSegment>>(QStringLiteral("jimi.device.media.history.list.get"),
                                   {{QStringLiteral("instructionId"), instructionId}}, ctx, done,
                                   &ApiParse::videoSegments);
}

void JimiApi::historyStream(const QString &imei, int channel, const QString &appId, const QDateTime &begin,
                            const QDateTime &end, const QStringList &fileNames, QObject *ctx, Callback<QUrl> done)
{
    // The reference spells the parameter "channal", its examples "channel": send both.
    ApiParams p{{QStringLiteral("imei"), imei},
                {QStringLiteral("channel"), QString::number(channel)},
                {QStringLiteral("channal"), QString::number(channel)},
                {QStringLiteral("appId"), appId},
                {QStringLiteral("fileNameList"), fileNames.join(QLatin1Char(','))}};
    if (begin.isValid())
        p.insert(QStringLiteral("beginTime"), ApiTime::format(begin));
    if (end.isValid())
        p.insert(QStringLiteral("endTime"), ApiTime::format(end));
    request<QUrl>(QStringLiteral("jimi.device.media.history.stream"), p, ctx, done, &ApiParse::streamUrl,
                  CallOptions{0, true, true, false});
}

void JimiApi::closeStream(const QString &imei, int channel, StreamKind kind, const QString &appId, QObject *ctx,
                          Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.device.media.close.stream"),
                  {{QStringLiteral("imei"), imei},
                   {QStringLiteral("channel"), QString::number(channel)},
                   {QStringLiteral("channal"), QString::number(channel)},
                   {QStringLiteral("type"), kind == StreamKind::Live ? QStringLiteral("0") : QStringLiteral("1")},
                   {QStringLiteral("appId"), appId}},
                  ctx, done, &ApiParse::acknowledgement, CallOptions{0, true, true, false});
}

// ---- §8 commands -----------------------------------------------------------------

void JimiApi::commandTemplates(const QString &imei, QObject *ctx, Callback<ApiList<CommandTemplate>> done)
{
    request<ApiList<CommandTemplate>>(QStringLiteral("jimi.open.instruction.list"), {{QStringLiteral("imei"), imei}},
                                      ctx, done, &ApiParse::commandTemplates);
}

void JimiApi::sendCommand(const QString &imei, const CommandRequest &command, QObject *ctx, Callback<Done> done)
{
    const QString method = QStringLiteral("jimi.open.instruction.send");
    if (!isValidImei(imei) || command.templateId.isEmpty())
        return fail(ctx, done, method, QStringLiteral("a valid IMEI and command template are required"));
    // Commands are never resent automatically: a lost answer may hide a delivered command.
    request<Done>(method, {{QStringLiteral("imei"), imei}, {QStringLiteral("inst_param_json"), command.toJson()}}, ctx,
                  done, &ApiParse::acknowledgement, CallOptions{0, false, true, false});
}

void JimiApi::commandResults(const QString &imei, QObject *ctx, Callback<ApiList<CommandResult>> done)
{
    request<ApiList<CommandResult>>(QStringLiteral("jimi.open.instruction.result"), {{QStringLiteral("imei"), imei}},
                                    ctx, done, &ApiParse::commandResults);
}

void JimiApi::sendRawCommand(const QString &imei, const QString &hex, QObject *ctx, Callback<Done> done)
{
    const QString method = QStringLiteral("jimi.open.instruction.raw.send");
    static const QRegularExpression hexRe(QStringLiteral("^(?:[0-9A-Fa-f]{2})+$"));
    if (!isValidImei(imei) || !hexRe.match(hex).hasMatch())
        return fail(ctx, done, method, QStringLiteral("raw commands must be an even number of hex digits"));
    request<Done>(method, {{QStringLiteral("imei"), imei}, {QStringLiteral("raw_cmd"), hex.toUpper()}}, ctx, done,
                  &ApiParse::acknowledgement, CallOptions{0, false, true, false});
}

// ---- §9 geofences -----------------------------------------------------------------

void JimiApi::createDeviceFence(const DeviceFenceSpec &spec, QObject *ctx, Callback<QString> done)
{
    const QString method = QStringLiteral("jimi.open.device.fence.create");
    if (!isValidImei(spec.imei) || spec.name.isEmpty() || spec.radiusM < 100 || spec.radiusM > 999900)
        return fail(ctx, done, method, QStringLiteral("device fences need a name and a radius of 100 m to 999.9 km"));
    // map_type GOOGLE means GCJ-02; the radius unit is 100 m.
    const GeoPoint c = Gcj02::fromWgs84(spec.centre);
    ApiParams p{{QStringLiteral("imei"), spec.imei},
                {QStringLiteral("fence_name"), spec.name},
                {QStringLiteral("alarm_type"), spec.alarmType},
                {QStringLiteral("report_mode"), QString::number(spec.reportMode)},
                {QStringLiteral("alarm_switch"), spec.enabled ? QStringLiteral("ON") : QStringLiteral("OFF")},
                {QStringLiteral("lat"), QString::number(c.lat, 'f', 6)},
                {QStringLiteral("lng"), QString::number(c.lng, 'f', 6)},
                {QStringLiteral("radius"), QString::number(qBound(1, (spec.radiusM + 50) / 100, 9999))},
                {QStringLiteral("zoom_level"), QString::number(qBound(3, spec.zoomLevel, 19))},
                {QStringLiteral("map_type"), QStringLiteral("GOOGLE")}};
    request<QString>(method, p, ctx, done, &ApiParse::fenceId, CallOptions{0, false, true, false});
}

void JimiApi::deleteDeviceFence(const QString &imei, const QString &serial, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.open.device.fence.delete"),
                  {{QStringLiteral("imei"), imei}, {QStringLiteral("instruct_no"), serial}}, ctx, done,
                  &ApiParse::acknowledgement, CallOptions{0, false, true, false});
}

void JimiApi::createPlatformFence(const PlatformFenceSpec &spec, QObject *ctx, Callback<QString> done)
{
    const QString method = QStringLiteral("jimi.open.platform.fence.create");
    const bool circle = spec.shape == PlatformFenceSpec::Shape::Circle;
    if (spec.name.isEmpty() || (circle && (spec.points.size() != 1 || !spec.radiusM))
        || (!circle && spec.points.size() < 3))
        return fail(ctx, done, method, QStringLiteral("a circle needs a centre and radius, a polygon three points"));
    if (circle && (*spec.radiusM < kPlatformCircleMinM || *spec.radiusM > kPlatformCircleMaxM))
        return fail(ctx, done, method,
                    QStringLiteral("a platform circle's radius is %1 m to %2 m, not %3 m")
                        .arg(kPlatformCircleMinM)
                        .arg(kPlatformCircleMaxM)
                        .arg(*spec.radiusM));
    // geom is lat,lng in GCJ-02; polygon points are separated by '#'.
    QStringList pts;
    for (const GeoPoint &p : spec.points) {
        const GeoPoint g = Gcj02::fromWgs84(p);
        pts.append(QString::number(g.lat, 'f', 6) + QLatin1Char(',') + QString::number(g.lng, 'f', 6));
    }
    ApiParams p{{QStringLiteral("account"), spec.account.isEmpty() ? defaultTarget() : spec.account},
                {QStringLiteral("fence_name"), spec.name},
                {QStringLiteral("fence_type"), circle ? QStringLiteral("circle") : QStringLiteral("polygon")},
                {QStringLiteral("geom"), pts.join(QLatin1Char('#'))},
                {QStringLiteral("fence_color"), spec.color},
                {QStringLiteral("description"), spec.description}};
    if (circle)
        p.insert(QStringLiteral("radius"), QString::number(*spec.radiusM));
    request<QString>(method, p, ctx, done, &ApiParse::fenceId, CallOptions{0, false, false, false});
}

void JimiApi::deletePlatformFence(const QString &account, const QString &fenceId, QObject *ctx, Callback<Done> done)
{
    request<Done>(QStringLiteral("jimi.open.platform.fence.delete"),
                  {{QStringLiteral("account"), account.isEmpty() ? defaultTarget() : account},
                   {QStringLiteral("fence_id"), fenceId}},
                  ctx, done, &ApiParse::acknowledgement);
}

void JimiApi::bindPlatformFence(const FenceBinding &b, QObject *ctx, Callback<int> done)
{
    const QString method = QStringLiteral("jimi.open.platform.fence.bind");
    if (b.fenceId.isEmpty() || b.imeis.size() > kMaxImeisPerCall)
        return fail(ctx, done, method, QStringLiteral("a fence id and at most 50 devices are required"));
    ApiParams p{{QStringLiteral("fence_id"), b.fenceId},
                {QStringLiteral("imeis"), b.imeis.join(QLatin1Char(','))},
                {QStringLiteral("alert_type"), b.alertType}};
    if (b.stayTimeInSec)
        p.insert(QStringLiteral("stay_time_in"), QString::number(*b.stayTimeInSec));
    if (b.stayTimeOutSec)
        p.insert(QStringLiteral("stay_time_out"), QString::number(*b.stayTimeOutSec));
    request<int>(method, p, ctx, done, &ApiParse::fenceBindCount, CallOptions{0, false, false, false});
}

// ---- Appendix A ---------------------------------------------------------------------

void JimiApi::sendInstruct(const QString &imei, int protocolNumber, const QJsonObject &content, QObject *ctx,
                           Callback<InstructResult> done)
{
    const QString method = QStringLiteral("sendInstruct");
    if (!isValidImei(imei) || protocolNumber <= 0)
        return fail(ctx, done, method, QStringLiteral("a valid IMEI and protocol number are required"));
    request<InstructResult>(method,
                            {{QStringLiteral("deviceImei"), imei},
                             {QStringLiteral("proNo"), QString::number(protocolNumber)},
                             {QStringLiteral("cmdContent"),
                              QString::fromUtf8(QJsonDocument(content).toJson(QJsonDocument::Compact))}},
                            ctx, done, &ApiParse::instruct, CallOptions{0, false, true, true});
}

} // namespace Fleet
