// Our severity table for the appendix's alarm codes, the user's overrides,
// and the names of states, severities and steps.
#include "domain/alarmdesk.h"

#include <QtTest>

using namespace Fleet;

class TestAlarmSeverities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults_data();
    void defaults();
    void overridesAndBack();
    void codesOfASeverity();
    void textRoundTrip();
    void names();
    void displayNames();
};

void TestAlarmSeverities::defaults_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<AlarmSeverity>("severity");
    QTest::newRow("SOS") << "1" << AlarmSeverity::Critical;
    QTest::newRow("power cut") << "2" << AlarmSeverity::Critical;
    QTest::newRow("tamper") << "19" << AlarmSeverity::Critical;
    QTest::newRow("collision") << "44" << AlarmSeverity::Critical;
    QTest::newRow("collision, spaces") << " 44 " << AlarmSeverity::Critical;
    QTest::newRow("harsh braking") << "48" << AlarmSeverity::Warning;
    QTest::newRow("overspeed") << "overSpeed" << AlarmSeverity::Warning;
    QTest::newRow("geofence exit") << "out" << AlarmSeverity::Warning;
    QTest::newRow("ACC on") << "ACC_ON" << AlarmSeverity::Info;
    QTest::newRow("booting") << "12" << AlarmSeverity::Info;
    QTest::newRow("unknown code") << "9999" << AlarmSeverity::Warning;
}

void TestAlarmSeverities::defaults()
{
    QFETCH(QString, code);
    QFETCH(AlarmSeverity, severity);
    QCOMPARE(AlarmSeverities::defaultFor(code), severity);
    QCOMPARE(AlarmSeverities().of(code), severity);
}

void TestAlarmSeverities::overridesAndBack()
{
    AlarmSeverities s;
    s.set(QStringLiteral("48"), AlarmSeverity::Critical);
    s.set(QStringLiteral("1"), AlarmSeverity::Warning);
    QCOMPARE(s.of(QStringLiteral("48")), AlarmSeverity::Critical);
    QCOMPARE(s.of(QStringLiteral("1")), AlarmSeverity::Warning);
    QCOMPARE(s.overrides().size(), 2);
    s.set(QStringLiteral("1"), AlarmSeverity::Critical); // the default again: no override
    QCOMPARE(s.overrides().size(), 1);
    s.reset();
    QCOMPARE(s.of(QStringLiteral("48")), AlarmSeverity::Warning);
}

void TestAlarmSeverities::codesOfASeverity()
{
    AlarmSeverities s;
    s.set(QStringLiteral("tow"), AlarmSeverity::Critical); // a code the appendix lacks
    const QStringList critical = s.codes(AlarmSeverity::Critical);
    QVERIFY(critical.contains(QStringLiteral("1")));
    QVERIFY(critical.contains(QStringLiteral("tow")));
    QVERIFY(!critical.contains(QStringLiteral("48")));
    const QStringList info = s.codes(AlarmSeverity::Info);
    QVERIFY(info.contains(QStringLiteral("ACC_ON")));
    for (const QString &c : critical)
        QVERIFY(!info.contains(c));
}

void TestAlarmSeverities::textRoundTrip()
{
    AlarmSeverities s;
    s.set(QStringLiteral("48"), AlarmSeverity::Critical);
    s.set(QStringLiteral("ACC_ON"), AlarmSeverity::Warning);
    const QString text = s.toText();
    QCOMPARE(text, QStringLiteral("48=critical;ACC_ON=warning"));
    QCOMPARE(AlarmSeverities::fromText(text), s);
    // Unreadable pairs are skipped, the rest kept.
    const AlarmSeverities tolerant = AlarmSeverities::fromText(QStringLiteral("48=loud;;=critical;3=CRITICAL;x"));
    QCOMPARE(tolerant.overrides().size(), 1);
    QCOMPARE(tolerant.of(QStringLiteral("3")), AlarmSeverity::Critical);
}

void TestAlarmSeverities::names()
{
    for (AlarmState s : {AlarmState::New, AlarmState::Acknowledged, AlarmState::Resolved})
        QCOMPARE(alarmStateFromName(QString(alarmStateName(s))), s);
    for (AlarmSeverity s : {AlarmSeverity::Info, AlarmSeverity::Warning, AlarmSeverity::Critical})
        QCOMPARE(alarmSeverityFromName(QString(alarmSeverityName(s))), s);
    for (AlarmActionKind k : {AlarmActionKind::Acknowledge, AlarmActionKind::Resolve, AlarmActionKind::Note})
        QCOMPARE(alarmActionFromName(QString(alarmActionName(k))), k);
    QCOMPARE(alarmStateFromName(u"Acknowledged"), AlarmState::Acknowledged);
    QVERIFY(!alarmStateFromName(u"closed"));
    QVERIFY(!alarmStateFromName(u""));
}

void TestAlarmSeverities::displayNames()
{
    QCOMPARE(alarmTypeLabel(QStringLiteral("1"), QStringLiteral("whatever the cloud says")), QStringLiteral("SOS"));
    QCOMPARE(alarmTypeLabel(QStringLiteral("ubiDece")), QStringLiteral("Harsh braking"));
    QCOMPARE(alarmTypeLabel(QStringLiteral("777"), QStringLiteral("Tow")), QStringLiteral("Tow (777)"));
    QCOMPARE(alarmTypeLabel(QStringLiteral("777")), QStringLiteral("777"));
    QCOMPARE(alarmTypeText(QStringLiteral("777")), QString());
    QVERIFY(alarmTypeCodes().size() > 100);
    QCOMPARE(alarmTypeCodes().constFirst(), QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(TestAlarmSeverities)
#include "tst_alarmseverities.moc"
