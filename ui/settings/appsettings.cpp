#include "appsettings.h"

#include <QHash>

namespace Fleet {

namespace {

// Every key with its default; value() of a key not listed here is a bug.
constexpr int kSettingsVersion = 1;
const QHash<QString, QVariant> &defaults()
{
    static const QHash<QString, QVariant> table = {
        {QStringLiteral("settingsVersion"), kSettingsVersion},
        {QStringLiteral("account/region"), QString()},
        {QStringLiteral("account/customUrl"), QString()},
        {QStringLiteral("account/appKey"), QString()},
        {QStringLiteral("account/userId"), QString()},
        {QStringLiteral("account/webhookEnabled"), false},
        {QStringLiteral("account/webhookListen"), QStringLiteral("127.0.0.1:8090")},
        {QStringLiteral("account/instructUrl"), QString()},
        {QStringLiteral("window/geometry"), QByteArray()},
        {QStringLiteral("window/state"), QByteArray()},
        {QStringLiteral("fleet/header"), QByteArray()},
        {QStringLiteral("fleet/selected"), QString()},
        {QStringLiteral("fleet/followed"), QString()},
        {QStringLiteral("map/centreX"), 0.5},
        {QStringLiteral("map/centreY"), 0.5},
        {QStringLiteral("map/zoom"), 0.0},
        {QStringLiteral("map/tileSource"), QString()},
        {QStringLiteral("map/tileCacheMiB"), 200},
        {QStringLiteral("map/labels"), true},
        {QStringLiteral("ui/theme"), QStringLiteral("system")},
        {QStringLiteral("playback/vehicles"), QStringList()},
        {QStringLiteral("playback/range"), QStringLiteral("today")},
        {QStringLiteral("playback/from"), QDateTime()},
        {QStringLiteral("playback/to"), QDateTime()},
        {QStringLiteral("playback/speed"), 60},
        {QStringLiteral("alarms/operator"), QString()},
        {QStringLiteral("alarms/severities"), QString()},
        {QStringLiteral("alarms/foldSeconds"), 60},
        {QStringLiteral("video/maxWatchMinutes"), 10},
        {QStringLiteral("commands/fuelCutWarnKmh"), 20},
        {QStringLiteral("alarms/state"), QStringLiteral("unhandled")},
        {QStringLiteral("alarms/period"), QStringLiteral("week")},
        {QStringLiteral("alarms/savedFilters"), QString()},
        {QStringLiteral("alarms/muted"), false},
        {QStringLiteral("alarms/doNotDisturb"), false},
    };
    return table;
}

// Keys renamed between settings versions: old → new. Empty for now;
// migrate() applies it when kSettingsVersion moves on.
const QHash<QString, QString> &renamedKeys()
{
    static const QHash<QString, QString> table;
    return table;
}

} // namespace

AppSettings::AppSettings()
    : AppSettings(std::make_unique<QSettings>())
{ }

AppSettings::AppSettings(std::unique_ptr<QSettings> settings)
    : m_settings(std::move(settings))
{
    migrate();
}

AppSettings::~AppSettings() = default;

void AppSettings::migrate()
{
    const int version = m_settings->value(QStringLiteral("settingsVersion"), 0).toInt();
    if (version >= kSettingsVersion)
        return;
    for (auto it = renamedKeys().cbegin(); it != renamedKeys().cend(); ++it) {
        if (m_settings->contains(it.key()) && !m_settings->contains(it.value())) {
            m_settings->setValue(it.value(), m_settings->value(it.key()));
            m_settings->remove(it.key());
        }
    }
    m_settings->setValue(QStringLiteral("settingsVersion"), kSettingsVersion);
}

QVariant AppSettings::value(const char *key) const
{
    const QString k = QString::fromLatin1(key);
    Q_ASSERT(defaults().contains(k));
    return m_settings->value(k, defaults().value(k));
}

void AppSettings::setValue(const char *key, const QVariant &value)
{
    const QString k = QString::fromLatin1(key);
    Q_ASSERT(defaults().contains(k));
    m_settings->setValue(k, value);
}

AccountSettings AppSettings::account() const
{
    AccountSettings a;
    a.region = value("account/region").toString();
    a.customUrl = value("account/customUrl").toString();
    a.appKey = value("account/appKey").toString();
    a.userId = value("account/userId").toString();
    a.webhookEnabled = value("account/webhookEnabled").toBool();
    a.webhookListen = value("account/webhookListen").toString();
    a.instructUrl = value("account/instructUrl").toString();
    return a;
}

void AppSettings::setAccount(const AccountSettings &a)
{
    setValue("account/region", a.region);
    setValue("account/customUrl", a.customUrl);
    setValue("account/appKey", a.appKey);
    setValue("account/userId", a.userId);
    setValue("account/webhookEnabled", a.webhookEnabled);
    setValue("account/webhookListen", a.webhookListen);
    setValue("account/instructUrl", a.instructUrl);
}

void AppSettings::clearAccount()
{
    m_settings->remove(QStringLiteral("account"));
}

QByteArray AppSettings::windowGeometry() const
{
    return value("window/geometry").toByteArray();
}
void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    setValue("window/geometry", geometry);
}
QByteArray AppSettings::windowState() const
{
    return value("window/state").toByteArray();
}
void AppSettings::setWindowState(const QByteArray &state)
{
    setValue("window/state", state);
}

QByteArray AppSettings::fleetListHeader() const
{
    return value("fleet/header").toByteArray();
}
void AppSettings::setFleetListHeader(const QByteArray &state)
{
    setValue("fleet/header", state);
}

QString AppSettings::selectedVehicle() const
{
    return value("fleet/selected").toString();
}
void AppSettings::setSelectedVehicle(const QString &imei)
{
    setValue("fleet/selected", imei);
}
QString AppSettings::followedVehicle() const
{
    return value("fleet/followed").toString();
}
void AppSettings::setFollowedVehicle(const QString &imei)
{
    setValue("fleet/followed", imei);
}

QPointF AppSettings::mapCentre() const
{
    return QPointF(value("map/centreX").toDouble(), value("map/centreY").toDouble());
}

double AppSettings::mapZoom() const
{
    return value("map/zoom").toDouble();
}

void AppSettings::setMapView(QPointF worldCentre, double zoom)
{
    setValue("map/centreX", worldCentre.x());
    setValue("map/centreY", worldCentre.y());
    setValue("map/zoom", zoom);
}

QString AppSettings::tileSource() const
{
    return value("map/tileSource").toString();
}
void AppSettings::setTileSource(const QString &spec)
{
    setValue("map/tileSource", spec);
}
qint64 AppSettings::tileCacheBytes() const
{
    return qint64(value("map/tileCacheMiB").toInt()) * 1024 * 1024;
}

QStringList AppSettings::playbackVehicles() const
{
    return value("playback/vehicles").toStringList();
}
void AppSettings::setPlaybackVehicles(const QStringList &imeis)
{
    setValue("playback/vehicles", imeis);
}
QString AppSettings::playbackRange() const
{
    return value("playback/range").toString();
}
void AppSettings::setPlaybackRange(const QString &preset, const QDateTime &from, const QDateTime &to)
{
    setValue("playback/range", preset);
    setValue("playback/from", from);
    setValue("playback/to", to);
}
QDateTime AppSettings::playbackFrom() const
{
    return value("playback/from").toDateTime();
}
QDateTime AppSettings::playbackTo() const
{
    return value("playback/to").toDateTime();
}
int AppSettings::playbackSpeed() const
{
    return value("playback/speed").toInt();
}
void AppSettings::setPlaybackSpeed(int speed)
{
    setValue("playback/speed", speed);
}

QString AppSettings::alarmOperator() const
{
    const QString name = value("alarms/operator").toString().trimmed();
    return name.isEmpty() ? osUserName() : name;
}
void AppSettings::setAlarmOperator(const QString &name)
{
    setValue("alarms/operator", name.trimmed());
}
AlarmSeverities AppSettings::alarmSeverities() const
{
    return AlarmSeverities::fromText(value("alarms/severities").toString());
}
void AppSettings::setAlarmSeverities(const AlarmSeverities &severities)
{
    setValue("alarms/severities", severities.toText());
}
int AppSettings::videoMaxWatchMinutes() const
{
    return qBound(1, value("video/maxWatchMinutes").toInt(), 240);
}
void AppSettings::setVideoMaxWatchMinutes(int minutes)
{
    setValue("video/maxWatchMinutes", qBound(1, minutes, 240));
}
int AppSettings::fuelCutWarnKmh() const
{
    return qBound(0, value("commands/fuelCutWarnKmh").toInt(), 300);
}
void AppSettings::setFuelCutWarnKmh(int kmh)
{
    setValue("commands/fuelCutWarnKmh", qBound(0, kmh, 300));
}
int AppSettings::alarmFoldSeconds() const
{
    return qBound(0, value("alarms/foldSeconds").toInt(), 3600);
}
void AppSettings::setAlarmFoldSeconds(int seconds)
{
    setValue("alarms/foldSeconds", qBound(0, seconds, 3600));
}
QString AppSettings::alarmStateFilter() const
{
    return value("alarms/state").toString();
}
QString AppSettings::alarmPeriod() const
{
    return value("alarms/period").toString();
}
QList<SavedAlarmFilter> AppSettings::alarmSavedFilters() const
{
    return SavedAlarmFilter::listFromJson(value("alarms/savedFilters").toString());
}

void AppSettings::setAlarmSavedFilters(const QList<SavedAlarmFilter> &filters)
{
    setValue("alarms/savedFilters", SavedAlarmFilter::listToJson(filters));
}

void AppSettings::setAlarmView(const QString &state, const QString &period)
{
    setValue("alarms/state", state);
    setValue("alarms/period", period);
}

bool AppSettings::alarmsMuted() const
{
    return value("alarms/muted").toBool();
}
void AppSettings::setAlarmsMuted(bool muted)
{
    setValue("alarms/muted", muted);
}
bool AppSettings::alarmDoNotDisturb() const
{
    return value("alarms/doNotDisturb").toBool();
}
void AppSettings::setAlarmDoNotDisturb(bool on)
{
    setValue("alarms/doNotDisturb", on);
}

bool AppSettings::labelsVisible() const
{
    return value("map/labels").toBool();
}
void AppSettings::setLabelsVisible(bool visible)
{
    setValue("map/labels", visible);
}

AppSettings::Theme AppSettings::theme() const
{
    const QString t = value("ui/theme").toString();
    if (t == QLatin1String("light"))
        return Theme::Light;
    if (t == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void AppSettings::setTheme(Theme theme)
{
    setValue("ui/theme",
             theme == Theme::Light      ? QStringLiteral("light")
                 : theme == Theme::Dark ? QStringLiteral("dark")
                                        : QStringLiteral("system"));
}

void AppSettings::sync()
{
    m_settings->sync();
}

} // namespace Fleet
