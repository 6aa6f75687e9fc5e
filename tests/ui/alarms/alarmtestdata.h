#pragma once

// A store with alarms for the alarm desk's tests: two known vans, times from
// a fixed instant, a writer whose notices the tests hand to the views.

#include "store/storewriter.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QTemporaryDir>

namespace AlarmTest {

inline constexpr qint64 kT0 = 1'780'000'000; // 2026-05-28 20:26:40 UTC
inline const QString kVanA = QStringLiteral("860000000000101");
inline const QString kVanB = QStringLiteral("860000000000202");

inline QDateTime at(qint64 offsetSecs)
{
    return Fleet::Utc::fromSecs(kT0 + offsetSecs);
}

inline Fleet::Alarm alarm(const QString &imei, const QString &type, qint64 offset, const QString &name = {})
{
    Fleet::Alarm a;
    a.imei = imei;
    a.typeId = type;
    a.typeName = name.isEmpty() ? Fleet::alarmTypeText(type) : name;
    a.time = at(offset);
    a.lat = 48.85 + offset * 1e-5;
    a.lng = 2.35;
    a.speedKmh = 42;
    return a;
}

// The database, its writer (fold window 60 s) and the two vans.
struct Store
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("fleet.db"));
    Fleet::ManualClock clock{Fleet::Utc::fromSecs(kT0 + 3600)};
    Fleet::StoreWriter writer;

    bool open()
    {
        Fleet::StoreWriter::Options o;
        o.clock = &clock;
        o.coalesceMs = 0;
        if (!writer.open(path, o))
            return false;
        Fleet::IngestBatch b;
        Fleet::Device a;
        a.imei = kVanA;
        a.name = QStringLiteral("VAN-101");
        a.plate = QStringLiteral("AB-101");
        a.groupId = QStringLiteral("g1");
        a.groupName = QStringLiteral("North depot");
        Fleet::Device bb = a;
        bb.imei = kVanB;
        bb.name = QStringLiteral("VAN-202");
        bb.plate = QStringLiteral("AB-202");
        bb.groupId = QStringLiteral("g2");
        bb.groupName = QStringLiteral("South depot");
        b.devices = {a, bb};
        b.groups = {Fleet::DeviceGroup{QStringLiteral("g1"), QStringLiteral("North depot")},
                    Fleet::DeviceGroup{QStringLiteral("g2"), QStringLiteral("South depot")}};
        return write(b);
    }
    bool write(Fleet::IngestBatch b) { return writer.write(std::move(b)) && writer.flush(10000); }
    bool add(const QList<Fleet::Alarm> &alarms)
    {
        Fleet::IngestBatch b;
        b.addAlarms(alarms, Fleet::ReportSource::Push);
        return write(b);
    }
    bool act(qint64 id, Fleet::AlarmActionKind kind, const QString &who, const QString &note = {})
    {
        Fleet::IngestBatch b;
        Fleet::AlarmAction a;
        a.alarmId = id;
        a.kind = kind;
        a.operatorName = who;
        a.note = note;
        b.alarmActions = {a};
        return write(b);
    }
};

} // namespace AlarmTest
