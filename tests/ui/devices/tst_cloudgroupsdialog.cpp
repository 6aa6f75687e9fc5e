// The cloud's groups dialog: real clicks and keys ask the cloud; the list
// then shows what the cloud lists, and a refusal keeps what was typed.

#include "devices/cloudgroupsdialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

using namespace Fleet;
using Kind = FleetAdminRequest::Kind;

class TestCloudGroupsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsTheGroupsWithTheirVehicles();
    void createsWithEnterAndSelectsTheNewGroup();
    void renamesTheSelectedGroup();
    void deleteAsksFirstAndNamesTheVehicles();
    void aRefusalKeepsTheNameAndShowsTheCloudsWords();

private:
    static QList<CloudGroupRow> rows()
    {
        return {{QStringLiteral("11"), QStringLiteral("Vans"), 4}, {QStringLiteral("12"), QStringLiteral("Trucks"), 0}};
    }
    static QTreeWidgetItem *item(CloudGroupsDialog &d, const QString &name)
    {
        const QList<QTreeWidgetItem *> found = d.list()->findItems(name, Qt::MatchExactly);
        return found.isEmpty() ? nullptr : found.constFirst();
    }
    static void click(CloudGroupsDialog &d, const QString &name)
    {
        QTreeWidgetItem *i = item(d, name);
        QVERIFY(i);
        QTest::mouseClick(d.list()->viewport(), Qt::LeftButton, {}, d.list()->visualItemRect(i).center());
    }
};

void TestCloudGroupsDialog::listsTheGroupsWithTheirVehicles()
{
    CloudGroupsDialog d(QStringLiteral("acme"));
    d.setGroups(rows());
    d.show();
    QCOMPARE(d.list()->topLevelItemCount(), 2);
    QCOMPARE(d.list()->topLevelItem(0)->text(0), QStringLiteral("Trucks")); // by name
    QCOMPARE(item(d, QStringLiteral("Vans"))->text(1), QStringLiteral("4"));
    QVERIFY(!d.renameButton()->isEnabled());
    QVERIFY(!d.deleteButton()->isEnabled());
    QVERIFY(!d.createButton()->isEnabled());
    QVERIFY(d.readButton()->isEnabled());

    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.readButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).value<FleetAdminRequest>().kind, Kind::ReadGroups);
    QVERIFY(!d.readButton()->isEnabled()); // one request at a time
    d.finished(AdminOutcome{true, {}, {}, true, {}, {}, {}});
    QVERIFY(d.readButton()->isEnabled());
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("This is the cloud's list."));
}

void TestCloudGroupsDialog::createsWithEnterAndSelectsTheNewGroup()
{
    CloudGroupsDialog d(QStringLiteral("acme"));
    d.setGroups(rows());
    d.show();
    QSignalSpy requested(&d, &AdminDialog::requested);
    d.nameField()->setFocus();
    QTest::keyClicks(d.nameField(), QStringLiteral("  Night shift "));
    QTest::keyClick(d.nameField(), Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    const FleetAdminRequest r = requested.at(0).at(0).value<FleetAdminRequest>();
    QCOMPARE(r.kind, Kind::CreateGroup);
    QCOMPARE(r.name, QStringLiteral("Night shift"));
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("Creating “Night shift” in the cloud…"));

    // The session stores the cloud's list, then answers.
    QList<CloudGroupRow> after = rows();
    after.append({QStringLiteral("31"), QStringLiteral("Night shift"), 0});
    d.setGroups(after);
    AdminOutcome o;
    o.ok = o.stored = true;
    o.groupId = QStringLiteral("31");
    d.finished(o);
    QVERIFY(d.isVisible());
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("Created in the cloud."));
    QCOMPARE(d.list()->currentItem()->text(0), QStringLiteral("Night shift"));
}

void TestCloudGroupsDialog::renamesTheSelectedGroup()
{
    CloudGroupsDialog d(QStringLiteral("acme"));
    d.setGroups(rows());
    d.show();
    click(d, QStringLiteral("Vans"));
    QCOMPARE(d.nameField()->text(), QStringLiteral("Vans"));
    QVERIFY(!d.renameButton()->isEnabled()); // the same name
    d.nameField()->selectAll();
    QTest::keyClicks(d.nameField(), QStringLiteral("City vans"));
    QVERIFY(d.renameButton()->isEnabled());
    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.renameButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const FleetAdminRequest r = requested.at(0).at(0).value<FleetAdminRequest>();
    QCOMPARE(r.kind, Kind::RenameGroup);
    QCOMPARE(r.groupId, QStringLiteral("11"));
    QCOMPARE(r.name, QStringLiteral("City vans"));
}

void TestCloudGroupsDialog::deleteAsksFirstAndNamesTheVehicles()
{
    CloudGroupsDialog d(QStringLiteral("acme"));
    d.setGroups(rows());
    d.show();
    QString asked;
    bool answer = false;
    d.setConfirmer([&](QWidget *, const QString &, const QString &text) {
        asked = text;
        return answer;
    });
    QSignalSpy requested(&d, &AdminDialog::requested);
    click(d, QStringLiteral("Vans"));
    QTest::mouseClick(d.deleteButton(), Qt::LeftButton);
    QVERIFY2(asked.contains(QStringLiteral("“Vans”")), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("Its 4 vehicle(s) fall back")), qPrintable(asked));
    QCOMPARE(requested.size(), 0); // cancelled
    answer = true;
    QTest::mouseClick(d.deleteButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).value<FleetAdminRequest>().kind, Kind::DeleteGroup);
    QCOMPARE(requested.at(0).at(0).value<FleetAdminRequest>().groupId, QStringLiteral("11"));
}

void TestCloudGroupsDialog::aRefusalKeepsTheNameAndShowsTheCloudsWords()
{
    CloudGroupsDialog d(QStringLiteral("acme"));
    d.setGroups(rows());
    d.show();
    QTest::keyClicks(d.nameField(), QStringLiteral("Vans"));
    QTest::mouseClick(d.createButton(), Qt::LeftButton);
    AdminOutcome refused = AdminOutcome::failure(
        QStringLiteral("<i>Repeat operation</i>, the group name already exists"));
    refused.code = 1003;
    d.finished(refused);
    QVERIFY(d.isVisible());
    QCOMPARE(d.messageLabel()->textFormat(), Qt::PlainText);
    QCOMPARE(d.messageLabel()->text(),
             QStringLiteral("The cloud refused: <i>Repeat operation</i>, the group name already exists (1003)"));
    QCOMPARE(d.nameField()->text(), QStringLiteral("Vans"));
    QVERIFY(d.createButton()->isEnabled());
}

QTEST_MAIN(TestCloudGroupsDialog)
#include "tst_cloudgroupsdialog.moc"
