#pragma once

#include "alarms/savedalarmfilter.h"
#include "domain/alarmdesk.h"

#include <QByteArray>
#include <QDateTime>
#include <QPointF>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

namespace Fleet {

// The account as settings keep it: where and who, never a secret. The app
// secret and the password's MD5 are in the OS keychain (SecretStore) under
// secretKey().
struct AccountSettings
{
    QString region; // "hk", "eu", "us", "ts"; empty with a custom URL
    QString customUrl; // …/route/rest
    QString appKey;
    QString userId;
    bool webhookEnabled = false;
    QString webhookListen; // "127.0.0.1:8090"
    // The instruction gateway ({InsAddress} of Appendix A, http(s)://host[:port]);
    // empty: none, and alarms are not acknowledged on their devices.
    QString instructUrl;

    bool isConfigured() const
    {
        return !appKey.isEmpty() && !userId.isEmpty() && (!region.isEmpty() || !customUrl.isEmpty());
    }
    QString secretKey() const
    {
        return QStringLiteral("account/%1@%2").arg(userId, region.isEmpty() ? customUrl : region);
    }
    friend bool operator==(const AccountSettings &, const AccountSettings &) = default;
};

// Every setting the desktop keeps, declared once with its key and default.
// Tests pass a QSettings of their own (an INI file in a temporary folder).
class AppSettings
{
public:
    enum class Theme { System, Light, Dark };

    AppSettings(); // the user's settings (QSettings with organisation and application)
    explicit AppSettings(std::unique_ptr<QSettings> settings);
    ~AppSettings();

    AccountSettings account() const;
    void setAccount(const AccountSettings &account);
    void clearAccount();

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    QByteArray fleetListHeader() const;
    void setFleetListHeader(const QByteArray &state);

    QString selectedVehicle() const;
    void setSelectedVehicle(const QString &imei);
    QString followedVehicle() const;
    void setFollowedVehicle(const QString &imei);

    // The map view: Mercator world centre and zoom; zoom 0 = never saved.
    QPointF mapCentre() const;
    double mapZoom() const;
    void setMapView(QPointF worldCentre, double zoom);

    QString tileSource() const; // TileSourceSpec::toString(); empty: the default
    void setTileSource(const QString &spec);
    qint64 tileCacheBytes() const;

    // The playback window's last vehicles, range ("today", "yesterday",
    // "last24h", "week" or "custom" with from/to) and speed.
    QStringList playbackVehicles() const;
    void setPlaybackVehicles(const QStringList &imeis);
    QString playbackRange() const;
    QDateTime playbackFrom() const;
    QDateTime playbackTo() const;
    void setPlaybackRange(const QString &preset, const QDateTime &from, const QDateTime &to);
    int playbackSpeed() const;
    void setPlaybackSpeed(int speed);

    // The alarm desk: who acts (the OS user unless set), the severities
    // the user changed, the fold window, and the list's state and period
    // filters ("unhandled", "new", ... ; "day", "week", "month", "all").
    QString alarmOperator() const;
    void setAlarmOperator(const QString &name);
    AlarmSeverities alarmSeverities() const;
    void setAlarmSeverities(const AlarmSeverities &severities);
    int alarmFoldSeconds() const;
    void setAlarmFoldSeconds(int seconds);
    QString alarmStateFilter() const;
    QString alarmPeriod() const;
    void setAlarmView(const QString &state, const QString &period);
    // The desk's named filters, in the order the user made them.
    QList<SavedAlarmFilter> alarmSavedFilters() const;
    void setAlarmSavedFilters(const QList<SavedAlarmFilter> &filters);
    // Sounds off; non-critical alarms silent and without tray notices.
    bool alarmsMuted() const;
    void setAlarmsMuted(bool muted);
    bool alarmDoNotDisturb() const;
    void setAlarmDoNotDisturb(bool on);

    // The video wall closes a camera's stream after this long (1–240 min).
    int videoMaxWatchMinutes() const;
    void setVideoMaxWatchMinutes(int minutes);

    // A fuel or power cut warns about vehicles faster than this (km/h, 0–300).
    int fuelCutWarnKmh() const;
    void setFuelCutWarnKmh(int kmh);

    bool labelsVisible() const;
    void setLabelsVisible(bool visible);
    Theme theme() const;
    void setTheme(Theme theme);

    void sync();
    QSettings *backend() const { return m_settings.get(); }

private:
    void migrate();
    QVariant value(const char *key) const;
    void setValue(const char *key, const QVariant &value);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace Fleet
