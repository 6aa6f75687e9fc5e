// The alarm desk's list model: paged by keyset, critical unhandled rows
// pinned on top, kept current by store notices without a reset (a selection
// survives), other processes' steps seen by polling, counts per state, and
// cloud text kept plain. QAbstractItemModelTester watches every test.

#include "alarms/alarmlistmodel.h"

#include "alarmtestdata.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace AlarmTest;

class TestAlarmListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pagesAndFetchMore();
    void criticalUnhandledArePinned();
    void newAlarmsArriveWithoutReset();
    void stepsChangeRowsAndFilters();
    void foldedRepeatsCount();
    void otherProcessesAreSeenByPolling();
    void countsPerState();
    void cloudTextStaysPlain();
    void unknownTypesAndDevicesAreShown();
    void aFloodKeepsTheRowsBounded();

private:
    std::unique_ptr<Store> m_store;
    std::unique_ptr<AlarmListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    qint64 idAt(int row) const { return m_model->index(row, 0).data(AlarmListModel::IdRole).toLongLong(); }
    void follow() // store notices to the model, as the session hands them
    {
        connect(&m_store->writer, &StoreWriter::changed, m_model.get(), &AlarmListModel::storeChanged);
    }
};

void TestAlarmListModel::init()
{
    m_store = std::make_unique<Store>();
    QVERIFY(m_store->open());
    m_model = std::make_unique<AlarmListModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestAlarmListModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_store.reset();
}

void TestAlarmListModel::pagesAndFetchMore()
{
    QList<Alarm> list;
    for (int i = 0; i < 130; ++i)
        list.append(alarm(i % 2 ? kVanA : kVanB, QStringLiteral("48"), qint64(i) * 120));
    QVERIFY(m_store->add(list));
    m_model->setPageSize(50);
    QVERIFY(m_model->open(m_store->path));
    QCOMPARE(m_model->rowCount(), 50);
    QVERIFY(m_model->canFetchMore({}));
    // Newest first.
    QCOMPARE(m_model->index(0, 0).data(AlarmListModel::SortTimeRole).toDateTime(), at(129 * 120));
    // A page at a time, at the next turn of the event loop.
    m_model->fetchMore({});
    QTRY_VERIFY(m_model->rowCount() >= 100);
    m_model->fetchMore({});
    QTRY_COMPARE(m_model->rowCount(), 130);
    QVERIFY(!m_model->canFetchMore({}));
    QCOMPARE(m_model->index(129, 0).data(AlarmListModel::SortTimeRole).toDateTime(), at(0));
    QSet<qint64> ids;
    for (int r = 0; r < m_model->rowCount(); ++r)
        ids.insert(idAt(r));
    QCOMPARE(ids.size(), 130);
    QCOMPARE(m_model->allMatching().size(), 130);
}

void TestAlarmListModel::criticalUnhandledArePinned()
{
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("1"), 0), // SOS, the oldest
                          alarm(kVanB, QStringLiteral("48"), 500), alarm(kVanA, QStringLiteral("6"), 1000)}));
    QVERIFY(m_model->open(m_store->path));
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("SOS"));
    QVERIFY(m_model->index(0, 0).data(AlarmListModel::PinnedRole).toBool());
    QCOMPARE(m_model->index(0, 0).data(AlarmListModel::SeverityRole).toInt(), int(AlarmSeverity::Critical));
    QVERIFY(m_model->index(0, 0).data(Qt::BackgroundRole).isValid());
    QCOMPARE(m_model->index(1, 0).data(AlarmListModel::SortTimeRole).toDateTime(), at(1000));
    QVERIFY(!m_model->index(1, 0).data(Qt::BackgroundRole).isValid());

    // Resolved, it takes its place by time; a user's severity pins another type.
    follow();
    QVERIFY(m_store->act(idAt(0), AlarmActionKind::Resolve, QStringLiteral("ana")));
    QTRY_COMPARE(m_model->index(2, AlarmListModel::State).data().toString(), QStringLiteral("Resolved"));
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("Overspeed (terminal)"));
    AlarmSeverities s;
    s.set(QStringLiteral("48"), AlarmSeverity::Critical);
    m_model->setSeverities(s);
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("Sudden deceleration"));
}

void TestAlarmListModel::newAlarmsArriveWithoutReset()
{
    QList<Alarm> list;
    for (int i = 0; i < 10; ++i)
        list.append(alarm(kVanB, QStringLiteral("48"), qint64(i) * 120));
    QVERIFY(m_store->add(list));
    QVERIFY(m_model->open(m_store->path));
    follow();
    QItemSelectionModel selection(m_model.get());
    const qint64 chosen = idAt(3);
    selection.select(m_model->index(3, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);

    // Two new ones (one critical, pinned) and one from the past.
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("6"), 5000), alarm(kVanA, QStringLiteral("1"), 5100),
                          alarm(kVanB, QStringLiteral("41"), 130)}));
    QTRY_COMPARE(m_model->rowCount(), 13);
    QCOMPARE(resets.size(), 0);
    QVERIFY(inserted.size() >= 1);
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("SOS"));
    QCOMPARE(m_model->index(1, 0).data(AlarmListModel::SortTimeRole).toDateTime(), at(5000));
    // The selection moved with its row.
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().constFirst().data(AlarmListModel::IdRole).toLongLong(), chosen);
    // The one from the past is where its time puts it.
    bool found = false;
    for (int r = 1; r < m_model->rowCount(); ++r) {
        if (m_model->index(r, AlarmListModel::Type).data().toString() == QStringLiteral("Sudden acceleration")) {
            QCOMPARE(m_model->index(r - 1, 0).data(AlarmListModel::SortTimeRole).toDateTime(), at(240));
            found = true;
        }
    }
    QVERIFY(found);
}

void TestAlarmListModel::stepsChangeRowsAndFilters()
{
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("48"), 0), alarm(kVanB, QStringLiteral("48"), 500)}));
    AlarmFilter unhandled;
    unhandled.states = {AlarmState::New, AlarmState::Acknowledged};
    m_model->setFilter(unhandled);
    QVERIFY(m_model->open(m_store->path));
    follow();
    QCOMPARE(m_model->rowCount(), 2);
    const qint64 top = idAt(0);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_store->act(top, AlarmActionKind::Acknowledge, QStringLiteral("ana"), QStringLiteral("on it")));
    QTRY_COMPARE(m_model->index(0, AlarmListModel::State).data().toString(), QStringLiteral("Acknowledged"));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(m_model->index(0, AlarmListModel::Handler).data().toString(), QStringLiteral("ana"));
    QCOMPARE(m_model->index(0, AlarmListModel::State).data(Qt::ToolTipRole).toString(), QStringLiteral("<p>on it</p>"));
    // Resolved: no longer unhandled, so it leaves the list.
    QVERIFY(m_store->act(top, AlarmActionKind::Resolve, QStringLiteral("ana")));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QVERIFY(idAt(0) != top);

    // Filters: by vehicle group, by text (the registry's plate), by period.
    AlarmFilter group;
    group.groupId = QStringLiteral("g1");
    m_model->setFilter(group);
    QCOMPARE(m_model->rowCount(), 1);
    AlarmFilter text;
    text.text = QStringLiteral("ab-202");
    // A text search scans: its page is read off the GUI thread, and comes.
    QSignalSpy searching(m_model.get(), &AlarmListModel::searchingChanged);
    m_model->setFilter(text);
    QVERIFY(m_model->isSearching());
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->canFetchMore({}));
    // (Small pages here: the view's fetchMore() asks for the next ones, each read the same way.)
    QTRY_VERIFY(searching.size() >= 2 && !m_model->isSearching() && !m_model->canFetchMore({}));
    QCOMPARE(searching.constLast().at(0).toBool(), false);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->index(0, 0).data(AlarmListModel::ImeiRole).toString(), kVanB);
    // An alarm that arrives while a search's page is read is listed too.
    m_model->setFilter(text);
    QVERIFY(m_model->isSearching());
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("41"), 1700)}));
    QTRY_VERIFY(!m_model->isSearching() && !m_model->canFetchMore({}));
    QTRY_COMPARE(m_model->rowCount(), 2);
    // Typing on while a search is read: only the last one's rows are shown.
    AlarmFilter typedOn;
    typedOn.text = QStringLiteral("ab-101");
    m_model->setFilter(text);
    m_model->setFilter(typedOn);
    QTRY_VERIFY(!m_model->isSearching() && !m_model->canFetchMore({}));
    QVERIFY(m_model->rowCount() > 0);
    for (int r = 0; r < m_model->rowCount(); ++r)
        QCOMPARE(m_model->index(r, 0).data(AlarmListModel::ImeiRole).toString(), kVanA);
    AlarmFilter period;
    period.from = at(100);
    m_model->setFilter(period);
    QCOMPARE(m_model->rowCount(), 2); // the one that arrived during the search too
}

void TestAlarmListModel::foldedRepeatsCount()
{
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("6"), 0)}));
    QVERIFY(m_model->open(m_store->path));
    follow();
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("6"), 30), alarm(kVanA, QStringLiteral("6"), 70)}));
    QTRY_COMPARE(m_model->index(0, 0).data(AlarmListModel::CountRole).toInt(), 3);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("Overspeed (terminal) ×3"));
}

void TestAlarmListModel::otherProcessesAreSeenByPolling()
{
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("48"), 0)}));
    QVERIFY(m_model->open(m_store->path));
    // No notices: the writer stands for another process on the same file.
    m_model->setExternalPollInterval(20);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    QVERIFY(m_store->act(idAt(0), AlarmActionKind::Acknowledge, QStringLiteral("bo")));
    QTRY_COMPARE(m_model->index(0, AlarmListModel::Handler).data().toString(), QStringLiteral("bo"));
    QVERIFY(m_store->add({alarm(kVanB, QStringLiteral("48"), 900)}));
    QTRY_COMPARE(m_model->rowCount(), 2);
    QCOMPARE(resets.size(), 0);
}

void TestAlarmListModel::countsPerState()
{
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("48"), 0), alarm(kVanB, QStringLiteral("48"), 500),
                          alarm(kVanB, QStringLiteral("41"), 1000)}));
    QSignalSpy counted(m_model.get(), &AlarmListModel::countsChanged);
    QVERIFY(m_model->open(m_store->path));
    QVERIFY(counted.wait(10000));
    QCOMPARE(m_model->counts().value(AlarmState::New), 3);
    follow();
    QVERIFY(m_store->act(idAt(0), AlarmActionKind::Acknowledge, QStringLiteral("ana")));
    QTRY_COMPARE(m_model->counts().value(AlarmState::Acknowledged), 1);
    QCOMPARE(m_model->counts().value(AlarmState::New), 2);

    // A text search's counts (another scan) are read after its page, never
    // beside it: when they arrive, the rows are there.
    std::optional<std::pair<bool, int>> whenCounted; // searching, rows
    connect(m_model.get(), &AlarmListModel::countsChanged, this, [this, &whenCounted] {
        if (m_model->counts().value(AlarmState::New) == 1 && m_model->counts().value(AlarmState::Acknowledged) == 1)
            whenCounted = std::pair<bool, int>(m_model->isSearching(), m_model->rowCount());
    });
    AlarmFilter text;
    text.text = QStringLiteral("ab-202");
    m_model->setFilter(text);
    QVERIFY(m_model->isSearching());
    QTRY_VERIFY(whenCounted.has_value());
    QCOMPARE(whenCounted->first, false);
    QCOMPARE(whenCounted->second, 2);
}

void TestAlarmListModel::cloudTextStaysPlain()
{
    const QString html = QStringLiteral("<img src=x onerror=alert(1)>");
    Alarm a = alarm(QStringLiteral("869999999999999"), QStringLiteral("777"), 0, html);
    a.deviceName = html;
    QVERIFY(m_store->add({a}));
    QVERIFY(m_model->open(m_store->path));
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), html + QStringLiteral(" (777)"));
    QCOMPARE(m_model->index(0, AlarmListModel::Vehicle).data().toString(), html + QStringLiteral(" (not in the account)"));
    const QString tip = m_model->index(0, AlarmListModel::Type).data(Qt::ToolTipRole).toString();
    QVERIFY2(!tip.contains(QLatin1String("<img")), qPrintable(tip));
    QVERIFY(tip.contains(QLatin1String("&lt;img src=x onerror=alert(1)&gt;")));
}

void TestAlarmListModel::unknownTypesAndDevicesAreShown()
{
    QVERIFY(m_store->add({alarm(QStringLiteral("869999999999999"), QStringLiteral("9999"), 0, QStringLiteral("Tow")),
                          alarm(kVanA, QStringLiteral("ubiDece"), 10)}));
    QVERIFY(m_model->open(m_store->path));
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("Harsh braking"));
    QCOMPARE(m_model->index(0, AlarmListModel::Vehicle).data().toString(), QStringLiteral("VAN-101 · AB-101"));
    QCOMPARE(m_model->index(0, AlarmListModel::Group).data().toString(), QStringLiteral("North depot"));
    QCOMPARE(m_model->index(1, AlarmListModel::Type).data().toString(), QStringLiteral("Tow (9999)"));
    QCOMPARE(m_model->index(1, AlarmListModel::Severity).data().toString(), QStringLiteral("Warning"));
    QVERIFY(m_model->index(1, AlarmListModel::Vehicle).data().toString().endsWith(QLatin1String("(not in the account)")));
}

void TestAlarmListModel::aFloodKeepsTheRowsBounded()
{
    // Without the tester here: it asks for more rows (fetchMore) whenever
    // rows go, as a view scrolled to the end would, and that would bring the
    // trimmed rows back before the count below is seen.
    m_tester.reset();
    m_model->setPageSize(20);
    m_model->setRetainedRows(50);
    QVERIFY(m_model->open(m_store->path));
    follow();
    for (int batch = 0; batch < 4; ++batch) {
        QList<Alarm> list;
        for (int i = 0; i < 30; ++i)
            list.append(alarm(i % 2 ? kVanA : kVanB, QString::number(41 + i % 3), qint64(batch) * 10000 + i * 120));
        QVERIFY(m_store->add(list));
    }
    // The newest 50 are held, newest first; the oldest come back on demand.
    QTRY_COMPARE(m_model->index(0, 0).data(AlarmListModel::SortTimeRole).toDateTime(), at(30000 + 29 * 120));
    QTRY_COMPARE(m_model->rowCount(), 50);
    QVERIFY(m_model->canFetchMore({}));
    m_model->fetchMore({});
    QTRY_VERIFY(m_model->rowCount() > 50);
}

QTEST_MAIN(TestAlarmListModel)
#include "tst_alarmlistmodel.moc"
