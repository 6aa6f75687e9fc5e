// Alarm settings: every appendix code listed with our default severity, a
// change kept as an override, a code the appendix lacks added, defaults back,
// the fold window.

#include "alarms/alarmsettingsdialog.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QtTest>

using namespace Fleet;

class TestAlarmSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsDefaultsAndKeepsChanges();
    void addsCodesAndResets();
};

void TestAlarmSettingsDialog::listsDefaultsAndKeepsChanges()
{
    AlarmSeverities start;
    start.set(QStringLiteral("41"), AlarmSeverity::Info);
    AlarmSettingsDialog dialog(start, 90);
    QVERIFY(dialog.itemOf(QStringLiteral("1")));
    QCOMPARE(dialog.itemOf(QStringLiteral("1"))->text(1), QStringLiteral("SOS"));
    QCOMPARE(dialog.severities(), start); // nothing changed: the same overrides
    QCOMPARE(dialog.foldSeconds(), 90);
    // A change through the row's own box, as a user makes it.
    auto *list = dialog.findChild<QTreeWidget *>(QStringLiteral("severityList"));
    auto *box = qobject_cast<QComboBox *>(list->itemWidget(dialog.itemOf(QStringLiteral("48")), 2));
    box->setCurrentIndex(box->findData(int(AlarmSeverity::Critical)));
    const AlarmSeverities chosen = dialog.severities();
    QCOMPARE(chosen.of(QStringLiteral("48")), AlarmSeverity::Critical);
    QCOMPARE(chosen.of(QStringLiteral("41")), AlarmSeverity::Info);
    QCOMPARE(chosen.of(QStringLiteral("1")), AlarmSeverity::Critical);
    QCOMPARE(chosen.overrides().size(), 2);
}

void TestAlarmSettingsDialog::addsCodesAndResets()
{
    AlarmSettingsDialog dialog(AlarmSeverities(), 60);
    auto *code = dialog.findChild<QLineEdit *>(QStringLiteral("newCode"));
    QTest::keyClicks(code, QStringLiteral("tow_alert"));
    const QList<QPushButton *> buttons = dialog.findChildren<QPushButton *>();
    QPushButton *add = nullptr;
    QPushButton *reset = nullptr;
    for (QPushButton *b : buttons) {
        if (b->text() == QStringLiteral("&Add"))
            add = b;
        if (b->text() == QStringLiteral("&Reset to defaults"))
            reset = b;
    }
    QVERIFY(add && reset);
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(dialog.itemOf(QStringLiteral("tow_alert")));
    QVERIFY(code->text().isEmpty());
    QVERIFY(!dialog.addCode(QStringLiteral("tow_alert"))); // there already
    QVERIFY(!dialog.addCode(QStringLiteral("  ")));
    dialog.setSeverity(QStringLiteral("tow_alert"), AlarmSeverity::Critical);
    QCOMPARE(dialog.severities().of(QStringLiteral("tow_alert")), AlarmSeverity::Critical);
    dialog.findChild<QSpinBox *>(QStringLiteral("foldSeconds"))->setValue(0);
    QCOMPARE(dialog.foldSeconds(), 0);
    QTest::mouseClick(reset, Qt::LeftButton);
    QVERIFY(dialog.severities().overrides().isEmpty());
    QCOMPARE(dialog.foldSeconds(), 60);
}

QTEST_MAIN(TestAlarmSettingsDialog)
#include "tst_alarmsettingsdialog.moc"
