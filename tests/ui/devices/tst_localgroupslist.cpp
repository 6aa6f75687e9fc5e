// The fleet dock's own groups offscreen: the rows with their counts, a
// group chosen limits the vehicles, vehicles dropped on a group join it
// (a real drag's events, with the fleet list's data), and not on "All
// vehicles".

#include "devices/localgroupslist.h"
#include "models/fleettreemodel.h"

#include <QMimeData>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;

class TestLocalGroupsList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsAndLimit();
    void droppedVehiclesJoinTheGroup();

private:
    static QList<LocalGroup> groups()
    {
        return {LocalGroup{1, QStringLiteral("Airport"), {}, {}},
                LocalGroup{2, QStringLiteral("Night shift"), {},
                           {QStringLiteral("860000000000101"), QStringLiteral("860000000000202")}}};
    }
    // Drags mime over the row and drops it there: true when the list took it.
    static bool drop(LocalGroupsList &list, int row, QMimeData *mime)
    {
        const QPoint at = list.visualItemRect(list.item(row)).center();
        QDragEnterEvent enter(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(list.viewport(), &enter);
        QDragMoveEvent move(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(list.viewport(), &move);
        if (!move.isAccepted())
            return false;
        QDropEvent dropped(QPointF(at), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(list.viewport(), &dropped);
        return dropped.isAccepted();
    }
};

void TestLocalGroupsList::rowsAndLimit()
{
    LocalGroupsList list;
    QSignalSpy limit(&list, &LocalGroupsList::limitChanged);
    list.setGroups(groups());
    QCOMPARE(list.count(), 3);
    QCOMPARE(list.item(0)->text(), QStringLiteral("All vehicles"));
    QCOMPARE(list.item(2)->text(), QStringLiteral("Night shift (2)"));
    QVERIFY(!list.vehicleLimit());
    list.setCurrentRow(2);
    QCOMPARE(limit.size(), 1);
    QCOMPARE(list.currentGroup(), QStringLiteral("Night shift"));
    QCOMPARE(list.vehicleLimit()->size(), 2);
    // The store says a vehicle left the group: the limit follows, the choice stays.
    QList<LocalGroup> fewer = groups();
    fewer[1].imeis.removeFirst();
    list.setGroups(fewer);
    QCOMPARE(list.currentGroup(), QStringLiteral("Night shift"));
    QCOMPARE(limit.size(), 2);
    QCOMPARE(list.vehicleLimit()->size(), 1);
    QVERIFY(!list.isFreeName(QStringLiteral("night SHIFT")));
    QVERIFY(list.isFreeName(QStringLiteral("Depot")));
}

void TestLocalGroupsList::droppedVehiclesJoinTheGroup()
{
    LocalGroupsList list;
    list.resize(240, 200);
    list.show();
    QVERIFY(QTest::qWaitForWindowExposed(&list));
    list.setGroups(groups());
    QSignalSpy change(&list, &LocalGroupsList::changeRequested);
    // What the fleet list drags: its model's data for the selected rows.
    FleetTreeModel fleet;
    VehicleSnapshot v;
    v.device.imei = QStringLiteral("860000000000303");
    v.device.name = QStringLiteral("VAN-003");
    fleet.reset({v});
    const QModelIndex group = fleet.index(0, 0);
    std::unique_ptr<QMimeData> mime(fleet.mimeData({fleet.index(0, 0, group)}));
    QVERIFY(mime);
    QVERIFY(!drop(list, 0, mime.get())); // not on "All vehicles"
    QVERIFY(drop(list, 1, mime.get()));
    QCOMPARE(change.size(), 1);
    const auto changes = change.first().first().value<QList<LocalGroupChange>>();
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().kind, LocalGroupChange::Kind::Add);
    QCOMPARE(changes.first().name, QStringLiteral("Airport"));
    QCOMPARE(changes.first().imeis, QStringList{QStringLiteral("860000000000303")});
    // Something else dropped: refused.
    QMimeData text;
    text.setText(QStringLiteral("860000000000303"));
    QVERIFY(!drop(list, 1, &text));
}

QTEST_MAIN(TestLocalGroupsList)
#include "tst_localgroupslist.moc"
