#include "ingestconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

namespace Fleet {

namespace {

const char *const kSecretEnv = "FLEETDESK_APP_SECRET";
const char *const kPasswordEnv = "FLEETDESK_PASSWORD_MD5";
const char *const kWebhookTokenEnv = "FLEETDESK_WEBHOOK_TOKEN";
constexpr qsizetype kShortToken = 16;

// QSettings' INI reader turns "a, b" into a list; every key here is a scalar.
QString scalar(const QSettings &ini, const QString &key)
{
    const QVariant v = ini.value(key);
    if (v.userType() == QMetaType::QStringList)
        return v.toStringList().join(QStringLiteral(", ")).trimmed();
    return v.toString().trimmed();
}

} // namespace

std::optional<int> IngestConfig::parseDuration(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*(\d{1,7})\s*(s|sec|min|m|h|d)?\s*$)"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2).toLower();
    qint64 secs = n;
    if (unit == QLatin1String("min") || unit == QLatin1String("m"))
        secs = n * 60;
    else if (unit == QLatin1String("h"))
        secs = n * 3600;
    else if (unit == QLatin1String("d"))
        secs = n * 86400;
    if (secs <= 0 || secs > 366LL * 86400)
        return std::nullopt;
    return int(secs);
}

std::optional<std::pair<QHostAddress, quint16>> IngestConfig::parseListen(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^\s*(?:(\[[0-9A-Fa-f:.]+\]|[0-9.]+|localhost):)?(\d{1,5})\s*$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    bool ok = false;
    const uint port = m.captured(2).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return std::nullopt;
    QString host = m.captured(1);
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address(QHostAddress::LocalHost);
    if (!host.isEmpty() && host != QLatin1String("localhost") && !address.setAddress(host))
        return std::nullopt;
    return std::pair{address, quint16(port)};
}

std::optional<IngestConfig> IngestConfig::load(const QString &path, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<IngestConfig> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists() || !info.isFile() || !info.isReadable())
        return fail(QStringLiteral("config: cannot read %1").arg(path));

    QSettings ini(path, QSettings::IniFormat);
    if (ini.status() != QSettings::NoError)
        return fail(QStringLiteral("config: %1 is not a valid INI file").arg(path));

    IngestConfig config;
    const QStringList groups = ini.childGroups();
    static const QStringList known = {QStringLiteral("api"), QStringLiteral("store"), QStringLiteral("sync"),
                                      QStringLiteral("webhook")};
    for (const QString &g : groups) {
        if (!known.contains(g))
            return fail(QStringLiteral("config: unknown section [%1]").arg(g));
    }

    // [api]
    config.hasApi = groups.contains(QStringLiteral("api"));
    if (config.hasApi) {
        ini.beginGroup(QStringLiteral("api"));
        const QString baseUrl = scalar(ini, QStringLiteral("base_url"));
        const QString region = scalar(ini, QStringLiteral("region"));
        if (!baseUrl.isEmpty() && !region.isEmpty())
            return fail(QStringLiteral("config: [api] give base_url or region, not both"));
        if (!baseUrl.isEmpty()) {
            const QUrl url(baseUrl, QUrl::StrictMode);
            if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
                || url.host().isEmpty())
                return fail(QStringLiteral("config: [api] base_url is not an http(s) URL: %1").arg(baseUrl));
            config.account.baseUrl = url;
        } else if (!region.isEmpty()) {
            const std::optional<Region> r = regionFromName(region);
            if (!r)
                return fail(QStringLiteral("config: [api] region must be hk, eu, us or ts, not '%1'").arg(region));
            config.account.baseUrl = regionBaseUrl(*r);
        } else {
            return fail(QStringLiteral("config: [api] base_url or region is missing"));
        }
        const QString instruct = scalar(ini, QStringLiteral("instruct_url"));
        if (!instruct.isEmpty()) {
            const QUrl url(instruct, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty())
                return fail(QStringLiteral("config: [api] instruct_url is not a URL: %1").arg(instruct));
            config.account.instructionUrl = url;
        }
        config.account.appKey = scalar(ini, QStringLiteral("app_key"));
        if (config.account.appKey.isEmpty())
            return fail(QStringLiteral("config: [api] app_key is missing"));
        config.account.userId = scalar(ini, QStringLiteral("user_id"));
        if (config.account.userId.isEmpty())
            return fail(QStringLiteral("config: [api] user_id is missing"));
        // Secrets: the environment wins over the file, so the file can stay secret-free.
        config.account.appSecret = qEnvironmentVariableIsSet(kSecretEnv) ? qEnvironmentVariable(kSecretEnv)
                                                                         : scalar(ini, QStringLiteral("app_secret"));
        if (config.account.appSecret.isEmpty())
            return fail(
                QStringLiteral("config: [api] app_secret is missing (or set %1)").arg(QLatin1String(kSecretEnv)));
        const QString md5 = (qEnvironmentVariableIsSet(kPasswordEnv) ? qEnvironmentVariable(kPasswordEnv)
                                                                     : scalar(ini, QStringLiteral("password_md5")))
                                .toLower();
        static const QRegularExpression md5Re(QStringLiteral("^[0-9a-f]{32}$"));
        if (md5.isEmpty())
            return fail(
                QStringLiteral("config: [api] password_md5 is missing (or set %1)").arg(QLatin1String(kPasswordEnv)));
        if (!md5Re.match(md5).hasMatch())
            return fail(QStringLiteral(
                "config: [api] password_md5 must be 32 hex digits (the MD5 of the password, not the password)"));
        config.account.passwordMd5 = md5;
        config.target = scalar(ini, QStringLiteral("target"));
        if (config.target.isEmpty())
            config.target = config.account.userId;
        ini.endGroup();
    }

    // [store]
    ini.beginGroup(QStringLiteral("store"));
    config.databasePath = scalar(ini, QStringLiteral("database"));
    ini.endGroup();
    if (config.databasePath.isEmpty())
        return fail(QStringLiteral("config: [store] database is missing"));
    if (QFileInfo(config.databasePath).isRelative()) // relative to the config file
        config.databasePath = info.absoluteDir().absoluteFilePath(config.databasePath);

    // [sync]
    ini.beginGroup(QStringLiteral("sync"));
    const struct
    {
        const char *key;
        int *field;
    } durations[] = {
        {"fleet_sweep", &config.schedule.fleetSweepSecs},
        {"device_sync", &config.schedule.deviceSyncSecs},
        {"gps_trail", &config.schedule.gpsTrailSecs},
        {"gps_trail_lookback", &config.schedule.gpsTrailLookbackSecs},
        {"trips", &config.schedule.tripsSecs},
        {"parking", &config.schedule.parkingSecs},
        {"alarms", &config.schedule.alarmsSecs},
        {"alarms_lookback", &config.schedule.alarmsLookbackSecs},
    };
    for (const auto &d : durations) {
        const QString key = QLatin1String(d.key);
        if (!ini.contains(key))
            continue;
        const std::optional<int> secs = parseDuration(scalar(ini, key));
        if (!secs)
            return fail(QStringLiteral("config: [sync] %1 must be a duration such as 60, 30min or 5h").arg(key));
        *d.field = *secs;
    }
    for (const auto &[key, field, max] :
         {std::tuple{QStringLiteral("backfill_hours"), &config.schedule.backfillHours, 24 * 90},
          std::tuple{QStringLiteral("max_backfill_days"), &config.schedule.maxBackfillDays, 90}}) {
        if (!ini.contains(key))
            continue;
        bool ok = false;
        const int v = scalar(ini, key).toInt(&ok);
        if (!ok || v < 0 || v > max)
            return fail(QStringLiteral("config: [sync] %1 must be a whole number from 0 to %2").arg(key).arg(max));
        *field = v;
    }
    for (const QString &key : ini.childKeys()) {
        static const QStringList knownKeys = {QStringLiteral("fleet_sweep"),    QStringLiteral("device_sync"),
                                              QStringLiteral("gps_trail"),      QStringLiteral("gps_trail_lookback"),
                                              QStringLiteral("trips"),          QStringLiteral("parking"),
                                              QStringLiteral("alarms"),         QStringLiteral("alarms_lookback"),
                                              QStringLiteral("backfill_hours"), QStringLiteral("max_backfill_days")};
        if (!knownKeys.contains(key))
            return fail(QStringLiteral("config: [sync] unknown key %1").arg(key));
    }
    ini.endGroup();
    if (config.schedule.gpsTrailLookbackSecs < config.schedule.gpsTrailSecs)
        return fail(
            QStringLiteral("config: [sync] gps_trail_lookback must be at least gps_trail, or fixes are missed"));
    if (config.schedule.alarmsLookbackSecs < config.schedule.alarmsSecs)
        return fail(QStringLiteral("config: [sync] alarms_lookback must be at least alarms, or alarms are missed"));

    // [webhook]
    if (groups.contains(QStringLiteral("webhook"))) {
        WebhookSettings &w = config.webhook;
        w.enabled = true;
        ini.beginGroup(QStringLiteral("webhook"));
        for (const QString &key : ini.childKeys()) {
            static const QStringList knownKeys = {QStringLiteral("listen"), QStringLiteral("token"),
                                                  QStringLiteral("tls_certificate"), QStringLiteral("tls_key"),
                                                  QStringLiteral("max_connections_per_address")};
            if (!knownKeys.contains(key))
                return fail(QStringLiteral("config: [webhook] unknown key %1").arg(key));
        }
        const QString listen = scalar(ini, QStringLiteral("listen"));
        if (listen.isEmpty())
            return fail(QStringLiteral("config: [webhook] listen is missing (host:port, e.g. 127.0.0.1:8090)"));
        const auto endpoint = parseListen(listen);
        if (!endpoint)
            return fail(QStringLiteral("config: [webhook] listen must be host:port or a port, not '%1'").arg(listen));
        w.address = endpoint->first;
        w.port = endpoint->second;
        w.token = scalar(ini, QStringLiteral("token")).toUtf8();
        if (w.token.isEmpty())
            w.token = qgetenv(kWebhookTokenEnv);
        if (w.token.isEmpty())
            return fail(
                QStringLiteral("config: [webhook] token is missing (or set %1)").arg(QLatin1String(kWebhookTokenEnv)));
        if (w.token.size() < kShortToken)
            w.warnings.append(
                QStringLiteral("[webhook] token has fewer than %1 characters; a longer one is harder to guess")
                    .arg(kShortToken));
        w.certificatePath = scalar(ini, QStringLiteral("tls_certificate"));
        w.keyPath = scalar(ini, QStringLiteral("tls_key"));
        if (w.certificatePath.isEmpty() != w.keyPath.isEmpty())
            return fail(QStringLiteral("config: [webhook] tls_certificate and tls_key go together"));
        for (QString *file : {&w.certificatePath, &w.keyPath}) {
            if (!file->isEmpty() && QFileInfo(*file).isRelative())
                *file = info.absoluteDir().absoluteFilePath(*file);
        }
        const QString perAddress = scalar(ini, QStringLiteral("max_connections_per_address"));
        if (!perAddress.isEmpty()) {
            bool ok = false;
            const int n = perAddress.toInt(&ok);
            if (!ok || n < 0 || n > 100000)
                return fail(QStringLiteral("config: [webhook] max_connections_per_address must be a number from 0 "
                                           "(no limit) to 100000, not '%1'")
                                .arg(perAddress));
            w.maxConnectionsPerAddress = n;
        }
        if (!w.address.isLoopback() && w.certificatePath.isEmpty())
            w.warnings.append(QStringLiteral("[webhook] listens on %1 without TLS: the token crosses the network "
                                             "in clear text unless a TLS proxy is in front")
                                  .arg(w.address.toString()));
        ini.endGroup();
    }

    if (!config.hasApi && !config.webhook.enabled)
        return fail(QStringLiteral("config: neither [api] nor [webhook] is given; there is nothing to ingest"));
    return config;
}

} // namespace Fleet
