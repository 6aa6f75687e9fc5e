#pragma once

// Domain values for the store tests: small, explicit, and in UTC.

#include "domain/alarm.h"
#include "domain/device.h"
#include "domain/position.h"
#include "domain/trip.h"
#include "store/storewriter.h"
#include "util/utc.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

namespace StoreTest {

inline constexpr qint64 kT0 = 1'780'000'000; // 2026-05-28 20:26:40 UTC

inline QDateTime at(qint64 offsetSecs)
{
    return Fleet::Utc::fromSecs(kT0 + offsetSecs);
}

// A writer on path that commits each batch at once, never retries by
// itself, and stamps with clock.
inline bool openWriter(Fleet::StoreWriter &writer, const QString &path, Fleet::Clock *clock)
{
    Fleet::StoreWriter::Options o;
    o.coalesceMs = 0;
    o.retryIntervalMs = 0;
    o.clock = clock;
    if (writer.open(path, o))
        return true;
    qWarning() << writer.errorString();
    return false;
}

inline Fleet::Position fix(const QString &imei, qint64 offsetSecs, double lat = 48.85, double lng = 2.35)
{
    Fleet::Position p;
    p.imei = imei;
    p.gpsTime = at(offsetSecs);
    p.lat = lat;
    p.lng = lng;
    p.speedKmh = 42.0;
    p.courseDeg = 90.0;
    p.acc = true;
    p.satellites = 9;
    p.type = Fleet::PositionType::Gps;
    return p;
}

inline Fleet::DeviceLocation sweep(const QString &imei, std::optional<Fleet::Position> position, qint64 hbOffset = 0)
{
    Fleet::DeviceLocation l;
    l.imei = imei;
    l.name = QStringLiteral("VAN-") + imei.right(3);
    l.model = QStringLiteral("VL802");
    l.account = QStringLiteral("demo");
    l.fix = std::move(position);
    l.online = true;
    l.heartbeatTime = at(hbOffset);
    l.gsmSignal = 4;
    l.odometerKm = 1234.5;
    l.batteryVoltage = 4.06;
    return l;
}

inline Fleet::Trip trip(const QString &imei, qint64 startOffset, qint64 endOffset, double km, double maxKmh)
{
    Fleet::Trip t;
    t.imei = imei;
    t.start = at(startOffset);
    t.end = at(endOffset);
    t.distanceKm = km;
    t.avgSpeedKmh = 35.5;
    t.maxSpeedKmh = maxKmh;
    t.runSeconds = int(endOffset - startOffset);
    t.idleSeconds = 120;
    return t;
}

inline Fleet::Alarm alarm(const QString &imei, const QString &type, const QString &name, qint64 offset)
{
    Fleet::Alarm a;
    a.imei = imei;
    a.typeId = type;
    a.typeName = name;
    a.time = at(offset);
    return a;
}

inline Fleet::StopPeriod stop(const QString &imei, qint64 startOffset, qint64 endOffset, int durSecond)
{
    Fleet::StopPeriod s;
    s.imei = imei;
    s.deviceName = QStringLiteral("VAN-") + imei.right(3);
    s.start = at(startOffset);
    s.end = at(endOffset);
    s.durationSeconds = durSecond;
    s.accOn = false;
    s.lat = 48.86;
    s.lng = 2.34;
    s.address = QStringLiteral("Rue de Rivoli");
    return s;
}

inline QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// A plain connection for looking behind the store's back; closed on destruction.
class RawDb
{
public:
    explicit RawDb(const QString &path, const QString &options = {})
        : m_name(QStringLiteral("raw.%1").arg(++counter()))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql);
    }
    QVariant value(const QString &sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next() || q.isNull(0))
            return {};
        return q.value(0);
    }
    QList<QVariantList> rows(const QString &sql) const
    {
        QList<QVariantList> out;
        QSqlQuery q(db());
        if (!q.exec(sql))
            return out;
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < q.record().count(); ++i)
                row.append(q.isNull(i) ? QVariant() : q.value(i)); // NULL, whatever the column type
            out.append(row);
        }
        return out;
    }

private:
    static int &counter()
    {
        static int n = 0;
        return n;
    }
    QString m_name;
};

} // namespace StoreTest
