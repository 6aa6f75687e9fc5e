// What asks for the dispatcher's attention: each alarm that arrives once
// (filters do not matter), by severity; unhandled critical ones again until
// acknowledged; mute, snooze and do-not-disturb; tray notices only while the
// window is out of sight. Covered through the signals AlarmSounds and the
// tray icon carry out.

#include "alarms/alarmattention.h"

#include "alarmtestdata.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace AlarmTest;

class TestAlarmAttention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void storedAlarmsAskForNothing();
    void eachNewAlarmOnceBySeverity();
    void criticalRepeatsUntilAcknowledged();
    void muteAndSnooze();
    void doNotDisturbSilencesTheRest();
    void trayOnlyWhenHidden();

private:
    std::unique_ptr<Store> m_store;
    std::unique_ptr<AlarmAttention> m_attention;
    bool m_hidden = false;
};

void TestAlarmAttention::init()
{
    m_store = std::make_unique<Store>();
    QVERIFY(m_store->open());
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("1"), 0)})); // before FleetDesk looked
    m_attention = std::make_unique<AlarmAttention>();
    m_attention->setWindowHidden([this] { return m_hidden; });
    QVERIFY(m_attention->open(m_store->path));
    connect(&m_store->writer, &StoreWriter::changed, m_attention.get(), &AlarmAttention::storeChanged);
}

void TestAlarmAttention::cleanup()
{
    m_attention.reset();
    m_store.reset();
    m_hidden = false;
}

void TestAlarmAttention::storedAlarmsAskForNothing()
{
    QSignalSpy alerted(m_attention.get(), &AlarmAttention::alerted);
    QSignalSpy sounds(m_attention.get(), &AlarmAttention::soundRequested);
    // A warning arrives: it, and only it, asks.
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("48"), 100)}));
    QVERIFY(alerted.wait(5000));
    const auto rows = alerted.at(0).at(0).value<QList<AlarmDeskRow>>();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).alarm.typeId, QStringLiteral("48"));
    QCOMPARE(sounds.size(), 1);
    QCOMPARE(sounds.at(0).at(0).value<AlarmSeverity>(), AlarmSeverity::Warning);
    QCOMPARE(m_attention->unhandledCritical(), 0); // the stored SOS is not this run's
}

void TestAlarmAttention::eachNewAlarmOnceBySeverity()
{
    QSignalSpy alerted(m_attention.get(), &AlarmAttention::alerted);
    QSignalSpy sounds(m_attention.get(), &AlarmAttention::soundRequested);
    // An info and a critical together: one sound, the critical one.
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("ACC_ON"), 100), alarm(kVanB, QStringLiteral("2"), 110)}));
    QVERIFY(alerted.wait(5000));
    QCOMPARE(alerted.at(0).at(0).value<QList<AlarmDeskRow>>().size(), 2);
    QCOMPARE(alerted.at(0).at(1).value<AlarmSeverity>(), AlarmSeverity::Critical);
    QCOMPARE(sounds.size(), 1);
    QCOMPARE(sounds.at(0).at(0).value<AlarmSeverity>(), AlarmSeverity::Critical);
    // A repeat folded into a run is not new; an alarm from long ago that
    // arrives late is.
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("ACC_ON"), 120), alarm(kVanA, QStringLiteral("41"), -86400)}));
    QVERIFY(alerted.wait(5000));
    const auto rows = alerted.at(1).at(0).value<QList<AlarmDeskRow>>();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).alarm.typeId, QStringLiteral("41"));
}

void TestAlarmAttention::criticalRepeatsUntilAcknowledged()
{
    m_attention->setRepeatSeconds(1);
    QSignalSpy sounds(m_attention.get(), &AlarmAttention::soundRequested);
    QSignalSpy unhandled(m_attention.get(), &AlarmAttention::unhandledCriticalChanged);
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("1"), 100)}));
    QVERIFY(unhandled.wait(5000));
    QCOMPARE(unhandled.at(0).at(0).toInt(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(sounds.size() >= 3, 10000); // the arrival, then every second
    for (const QList<QVariant> &s : std::as_const(sounds))
        QCOMPARE(s.at(0).value<AlarmSeverity>(), AlarmSeverity::Critical);
    StoreReader reader;
    QVERIFY(reader.open(m_store->path));
    AlarmFilter sos;
    sos.imeis = {kVanB};
    QVERIFY(m_store->act(reader.alarmDesk(sos).constFirst().id, AlarmActionKind::Acknowledge, QStringLiteral("ana")));
    QVERIFY(unhandled.wait(5000));
    QCOMPARE(unhandled.constLast().at(0).toInt(), 0);
    QCOMPARE(m_attention->unhandledCritical(), 0);

    // Arrivals are added as they come (no count of them all each frame); a
    // repeat folded into a run adds nothing; a step counts them whole again.
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("1"), 200)}));
    QTRY_COMPARE(m_attention->unhandledCritical(), 1);
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("1"), 230), alarm(kVanA, QStringLiteral("2"), 240),
                          alarm(kVanB, QStringLiteral("48"), 250)}));
    QTRY_COMPARE(m_attention->unhandledCritical(), 2); // the power cut; the SOS folded, braking is no critical
    AlarmFilter cut;
    cut.imeis = {kVanA};
    cut.typeIds = {QStringLiteral("2")};
    QVERIFY(m_store->act(reader.alarmDesk(cut).constFirst().id, AlarmActionKind::Resolve, QStringLiteral("ana")));
    QTRY_COMPARE(m_attention->unhandledCritical(), 1);
}

void TestAlarmAttention::muteAndSnooze()
{
    m_attention->setRepeatSeconds(1);
    QSignalSpy alerted(m_attention.get(), &AlarmAttention::alerted);
    QSignalSpy sounds(m_attention.get(), &AlarmAttention::soundRequested);
    QSignalSpy snoozed(m_attention.get(), &AlarmAttention::snoozeChanged);
    m_attention->setMuted(true);
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("1"), 100)}));
    QVERIFY(alerted.wait(5000)); // still listed and counted, but silent
    QCOMPARE(sounds.size(), 0);
    m_attention->setMuted(false);
    m_attention->snooze(1500);
    QVERIFY(m_attention->isSnoozed());
    // The snooze ends by itself, and the repeat is heard again.
    QVERIFY(snoozed.wait(5000));
    QCOMPARE(snoozed.constLast().at(0).toBool(), false);
    const qsizetype before = sounds.size();
    QVERIFY(before == 0);
    QVERIFY(sounds.wait(5000));
    QCOMPARE(sounds.constLast().at(0).value<AlarmSeverity>(), AlarmSeverity::Critical);
}

void TestAlarmAttention::doNotDisturbSilencesTheRest()
{
    m_attention->setDoNotDisturb(true);
    QSignalSpy alerted(m_attention.get(), &AlarmAttention::alerted);
    QSignalSpy sounds(m_attention.get(), &AlarmAttention::soundRequested);
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("48"), 100), alarm(kVanA, QStringLiteral("2"), 110)}));
    QVERIFY(alerted.wait(5000));
    const auto rows = alerted.at(0).at(0).value<QList<AlarmDeskRow>>();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).alarm.typeId, QStringLiteral("2"));
    QCOMPARE(sounds.size(), 1);
}

void TestAlarmAttention::trayOnlyWhenHidden()
{
    QSignalSpy alerted(m_attention.get(), &AlarmAttention::alerted);
    QSignalSpy notices(m_attention.get(), &AlarmAttention::notificationRequested);
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("48"), 100)}));
    QVERIFY(alerted.wait(5000));
    QCOMPARE(notices.size(), 0); // in sight: the list is enough
    m_hidden = true;
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("1"), 200)}));
    QVERIFY(notices.wait(5000));
    QCOMPARE(notices.at(0).at(0).toString(), QStringLiteral("SOS: VAN-101"));
    QCOMPARE(notices.at(0).at(2).value<AlarmSeverity>(), AlarmSeverity::Critical);
}

QTEST_MAIN(TestAlarmAttention)
#include "tst_alarmattention.moc"
