#include "simdeviceapi.h"
#include "util/utc.h"

#include "sim/simfleet.h"
#include "sim/simstate.h"
#include "sim/simsupport.h"

#include <QJsonArray>
#include <QTimeZone>

#include <cmath>

namespace Fleet::Sim {

using namespace SimSupport;

namespace {

// The field notes' wording, with its typographic apostrophe.
QString noSuchAccount()
{
    return QStringLiteral("Account queried doesn\u2019t exist");
}

QString engineNumber(const SimDevice &d)
{
    return QStringLiteral("EN") + d.imei.right(7);
}

} // namespace

SimDeviceApi::SimDeviceApi(const SimContext &ctx)
    : m_ctx(ctx)
{ }

void SimDeviceApi::registerMethods(SimHandlerTable &table)
{
    table.insert(QStringLiteral("jimi.user.device.list"), [this](const SimCall &c) { return deviceList(c); });
    table.insert(QStringLiteral("jimi.track.device.detail"), [this](const SimCall &c) { return deviceDetail(c); });
    table.insert(QStringLiteral("jimi.user.device.expiration.update"),
                 [this](const SimCall &c) { return expirationUpdate(c); });
    table.insert(QStringLiteral("jimi.open.device.update"), [this](const SimCall &c) { return deviceUpdate(c); });
    table.insert(QStringLiteral("jimi.open.device.move"), [this](const SimCall &c) { return deviceMove(c); });
    table.insert(QStringLiteral("jimi.open.device.bind"), [this](const SimCall &c) { return deviceBind(c, true); });
    table.insert(QStringLiteral("jimi.open.device.unbind"), [this](const SimCall &c) { return deviceBind(c, false); });
    table.insert(QStringLiteral("jimi.device.group.create"), [this](const SimCall &c) { return groupCreate(c); });
    table.insert(QStringLiteral("jimi.device.group.update"), [this](const SimCall &c) { return groupUpdate(c); });
    table.insert(QStringLiteral("jimi.device.group.delete"), [this](const SimCall &c) { return groupDelete(c); });
    table.insert(QStringLiteral("jimi.device.group.list"), [this](const SimCall &c) { return groupList(c); });
}

int SimDeviceApi::groupIndex(const QString &groupId) const
{
    const QList<SimGroup> &groups = m_ctx.state->groups;
    for (int i = 0; i < groups.size(); ++i) {
        if (groups.at(i).id == groupId)
            return i;
    }
    return -1;
}

QString SimDeviceApi::groupName(const QString &groupId) const
{
    const int i = groupIndex(groupId);
    return i < 0 ? QStringLiteral("Default group") : m_ctx.state->groups.at(i).name;
}

// The §2.2 shape: strings, with null for an unset vehicle name and models.
QJsonObject SimDeviceApi::deviceJson(int index) const
{
    const SimDevice &d = m_ctx.fleet->device(index);
    const SimDeviceRecord &r = m_ctx.state->devices.at(index);
    return QJsonObject{
        {QStringLiteral("imei"), d.imei},
        {QStringLiteral("deviceName"), r.name},
        {QStringLiteral("mcType"), d.model},
        {QStringLiteral("mcTypeUseScope"), QStringLiteral("automobile")},
        {QStringLiteral("sim"), r.sim},
        {QStringLiteral("expiration"), formatTime(r.expiration)},
        {QStringLiteral("activationTime"), formatTime(d.activationTime)},
        {QStringLiteral("reMark"), r.remarks},
        {QStringLiteral("vehicleName"), nullable(r.vehicleName)},
        {QStringLiteral("vehicleIcon"), r.vehicleIcon},
        {QStringLiteral("vehicleNumber"), r.plate},
        {QStringLiteral("vehicleModels"), QJsonValue::Null},
        {QStringLiteral("carFrame"), d.vin},
        {QStringLiteral("driverName"), r.driverName},
        {QStringLiteral("driverPhone"), r.driverPhone},
        {QStringLiteral("enabledFlag"), r.enabled ? 1 : 0},
        {QStringLiteral("engineNumber"), engineNumber(d)},
        {QStringLiteral("deviceGroupId"), r.groupId},
        {QStringLiteral("deviceGroup"), groupName(r.groupId)},
    };
}

SimReply SimDeviceApi::deviceList(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("target")}))
        return *err;
    const QString target = call.param("target");
    if (!m_ctx.state->accounts.contains(target))
        return SimReply::error(1001, noSuchAccount());
    QJsonArray rows;
    for (int i = 0; i < m_ctx.fleet->size(); ++i) {
        if (m_ctx.state->devices.at(i).account == target)
            rows.append(deviceJson(i));
    }
    return SimReply::ok(rows);
}

SimReply SimDeviceApi::deviceDetail(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    const SimDevice &d = m_ctx.fleet->device(index);
    const SimDeviceRecord &r = m_ctx.state->devices.at(index);
    QJsonObject o = deviceJson(index);
    const auto fix = m_ctx.fleet->lastFix(index, call.fleetNow);
    o.insert(QStringLiteral("account"), r.account);
    o.insert(QStringLiteral("customerName"), r.account);
    o.insert(QStringLiteral("user_expiration"),
             r.account + QLatin1Char(',') + r.expiration.toString(QStringLiteral("yyyy-MM-dd")));
    o.insert(QStringLiteral("iccid"), d.iccid);
    o.insert(QStringLiteral("imsi"), d.imsi);
    o.insert(QStringLiteral("importTime"), formatTime(d.activationTime.addDays(-3)));
    o.insert(QStringLiteral("licensePlatNo"), r.plate);
    o.insert(QStringLiteral("vin"), d.vin);
    o.insert(QStringLiteral("vehicleBrand"), QJsonValue::Null);
    o.insert(QStringLiteral("fuel_100km"), QStringLiteral("8.5"));
    o.insert(QStringLiteral("status"), r.enabled ? QStringLiteral("1") : QStringLiteral("0"));
    o.insert(QStringLiteral("currentMileage"), numberText(odometerKm(m_ctx, index, fix), 3));
    return SimReply::ok(o);
}

SimReply SimDeviceApi::expirationUpdate(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("imei_list"), QStringLiteral("new_expiration")}))
        return *err;
    const QString text = call.param("new_expiration");
    std::optional<QDateTime> expiration = parseTime(text);
    if (!expiration) {
        // A bare date means the end of that day, as the platform shows it.
        const QDate day = QDate::fromString(text, QStringLiteral("yyyy-MM-dd"));
        if (day.isValid())
            expiration = Utc::dateTime(day, QTime(23, 59, 59));
    }
    if (!expiration)
        return SimReply::badParam(QStringLiteral("Parameter validation: new_expiration is invalid"));

    const QStringList imeis = call.param("imei_list").split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (imeis.size() > 100)
        return SimReply::badParam(QStringLiteral("Parameter validation: at most 100 IMEIs per request"));
    QJsonArray rows;
    for (const QString &raw : imeis) {
        const QString imei = raw.trimmed();
        const int index = m_ctx.fleet->indexOf(imei);
        QJsonObject row{{QStringLiteral("imei"), imei}};
        if (index < 0) {
            row.insert(QStringLiteral("update_result"), QStringLiteral("0"));
            row.insert(QStringLiteral("update_msg"), QStringLiteral("Illegal device"));
        } else {
            SimDeviceRecord &r = m_ctx.state->devices[index];
            r.expiration = *expiration;
            r.expirationEdited = true;
            row.insert(QStringLiteral("update_result"), QStringLiteral("1"));
            row.insert(QStringLiteral("update_msg"), QStringLiteral("success"));
        }
        rows.append(row);
    }
    return SimReply::ok(rows);
}

SimReply SimDeviceApi::deviceUpdate(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    SimDeviceRecord r = m_ctx.state->devices.at(index);
    const auto set = [&call](const char *key, QString *field) {
        if (call.params.contains(QLatin1String(key)))
            *field = call.param(key);
    };
    set("device_name", &r.name);
    set("vehicle_name", &r.vehicleName);
    set("vehicle_icon", &r.vehicleIcon);
    set("vehicle_number", &r.plate);
    set("driver_name", &r.driverName);
    set("driver_phone", &r.driverPhone);
    set("sim", &r.sim);
    set("remarks", &r.remarks);
    const QString status = call.param("device_status");
    if (!status.isEmpty()) {
        if (status != QLatin1String("0") && status != QLatin1String("1"))
            return SimReply::badParam(QStringLiteral("Parameter validation: device_status must be 0 or 1"));
        r.enabled = status == QLatin1String("1");
    }
    const QString mileage = call.param("mileage");
    if (!mileage.isEmpty()) {
        bool ok = false;
        const double km = mileage.toDouble(&ok);
        if (!ok || !std::isfinite(km) || km < 0 || km > 1e9)
            return SimReply::badParam(QStringLiteral("Parameter validation: mileage must be a number"));
        // Sets the odometer as of now; it keeps counting from there.
        const auto fix = m_ctx.fleet->lastFix(index, call.fleetNow);
        const double current = fix ? fix->odometerKm : m_ctx.fleet->device(index).initialOdometerKm;
        r.mileageOffsetKm = km - current;
    }
    m_ctx.state->devices[index] = r;
    // The real service answers this wording (api-field-notes §2.0).
    return SimReply::ok(QJsonValue::Null, QStringLiteral("Vehicle information modification successful"));
}

SimReply SimDeviceApi::deviceMove(const SimCall &call)
{
    if (auto err = require(call,
                           {QStringLiteral("src_account"), QStringLiteral("dest_account"), QStringLiteral("imeis")}))
        return *err;
    const QString src = call.param("src_account");
    const QString dest = call.param("dest_account");
    if (!m_ctx.state->accounts.contains(src))
        return SimReply::error(1001, noSuchAccount());
    QList<int> indexes;
    if (auto err = parseImeis(call, m_ctx, QStringLiteral("imeis"), 100, &indexes))
        return *err;
    for (int index : std::as_const(indexes)) {
        const QString owner = m_ctx.state->devices.at(index).account;
        if (owner == dest)
            return SimReply::error(1112, QStringLiteral("The device already exists"));
        if (owner != src)
            return SimReply::error(1002, QStringLiteral("Illegal device"));
    }
    // A device moved to a sub-account makes that account queryable.
    if (!m_ctx.state->addAccount(dest))
        return SimReply::badParam(QStringLiteral("Parameter validation: the simulator holds no more accounts"));
    const bool clean = call.param("cleanBindFlag").compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    QJsonArray moved;
    for (int index : std::as_const(indexes)) {
        SimDeviceRecord &r = m_ctx.state->devices[index];
        r.account = dest;
        if (clean)
            r.appUsers.clear();
        moved.append(m_ctx.fleet->device(index).imei);
    }
    return SimReply::ok(moved);
}

SimReply SimDeviceApi::deviceBind(const SimCall &call, bool bind)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    if (auto err = require(call, {QStringLiteral("user_id")}))
        return *err;
    const QString user = call.param("user_id");
    QSet<QString> &users = m_ctx.state->devices[index].appUsers;
    // Code 10 is the documented bind/unbind state conflict (§2.13).
    if (bind) {
        if (users.contains(user))
            return SimReply::error(10, QStringLiteral("The device is already bound to this user"));
        users.insert(user);
    } else {
        if (!users.contains(user))
            return SimReply::error(10, QStringLiteral("The device is not bound to this user"));
        users.remove(user);
    }
    return SimReply::ok();
}

SimReply SimDeviceApi::groupCreate(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("account"), QStringLiteral("group_name")}))
        return *err;
    const QString account = call.param("account");
    const QString name = call.param("group_name");
    if (!m_ctx.state->accounts.contains(account))
        return SimReply::error(1001, noSuchAccount());
    for (const SimGroup &g : std::as_const(m_ctx.state->groups)) {
        if (g.account == account && g.name == name)
            return SimReply::error(1003, QStringLiteral("Repeat operation, the group name already exists"));
    }
    SimGroup g{m_ctx.state->newId(), name, account};
    m_ctx.state->addGroup(g);
    return SimReply::ok(QJsonObject{{QStringLiteral("group_id"), g.id}, {QStringLiteral("group_name"), g.name}});
}

SimReply SimDeviceApi::groupUpdate(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("group_id"), QStringLiteral("group_name")}))
        return *err;
    const int i = groupIndex(call.param("group_id"));
    if (i < 0)
        return SimReply::badParam(QStringLiteral("Parameter validation: group_id does not exist"));
    m_ctx.state->groups[i].name = call.param("group_name");
    return SimReply::ok();
}

SimReply SimDeviceApi::groupDelete(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("group_id")}))
        return *err;
    const QString id = call.param("group_id");
    const int i = groupIndex(id);
    if (i < 0)
        return SimReply::badParam(QStringLiteral("Parameter validation: group_id does not exist"));
    // Its devices fall back to the account's default group.
    m_ctx.state->removeGroup(i);
    return SimReply::ok();
}

SimReply SimDeviceApi::groupList(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("account")}))
        return *err;
    const QString account = call.param("account");
    if (!m_ctx.state->accounts.contains(account))
        return SimReply::error(1001, noSuchAccount());
    QJsonArray rows;
    for (const SimGroup &g : std::as_const(m_ctx.state->groups)) {
        if (g.account == account)
            rows.append(QJsonObject{{QStringLiteral("group_id"), g.id}, {QStringLiteral("group_name"), g.name}});
    }
    return SimReply::ok(rows);
}

} // namespace Fleet::Sim
