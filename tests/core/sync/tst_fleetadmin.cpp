// Fleet administration against the simulated cloud: every change goes to the
// cloud first, and the store then holds what the cloud answered — groups,
// moves (the devices leave the view), expiry, app users — with the cloud's
// refusals kept word for word.

#include "simcloud.h"

#include "store/ingestbatch.h"
#include "sync/fleetadmin.h"
#include "sync/storesink.h"
#include "sync/syncengine.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Fleet;
using namespace SimCloudTest;
using Kind = FleetAdminRequest::Kind;

class TestFleetAdmin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void requestsAreCheckedBeforeTheCloud_data();
    void requestsAreCheckedBeforeTheCloud();
    void groupsRoundTrip();
    void theWholeGroupListReplacesTheStoredOne();
    void movedDevicesLeaveTheView();
    void aRefusedMoveNamesItsDevices();
    void aListAskedBeforeAMoveDoesNotBringItBack();
    void aDeviceTheListNoLongerNamesLeavesTheView();
    void expiryIsExtendedAsTheCloudLists();
    void appUsersBindAndUnbind();

private:
    AdminOutcome run(const FleetAdminRequest &request);
    // Everything the device list holds, in the store.
    void storeDeviceList();
    QStringList viewImeis();
    bool writeNow(IngestBatch batch);

    ManualClock m_clock{thursday()};
    Cloud m_cloud;
    Store m_store;
    QString m_account;
};

void TestFleetAdmin::init()
{
    m_clock.set(thursday());
    QVERIFY(m_cloud.start(fleet(12, 23, m_clock), &m_clock));
    QVERIFY(m_store.open(&m_clock));
    m_account = m_cloud.server->account().userId;
    storeDeviceList();
}

void TestFleetAdmin::cleanup()
{
    m_store.close();
    m_cloud.stop();
}

AdminOutcome TestFleetAdmin::run(const FleetAdminRequest &request)
{
    std::optional<AdminOutcome> answer;
    administerFleet(m_cloud.api.get(), m_store.writer.get(), &m_clock, m_account, request, this,
                    [&answer](const AdminOutcome &o) { answer = o; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 30000))
        return AdminOutcome::failure(QStringLiteral("no answer in time"));
    return *answer;
}

void TestFleetAdmin::storeDeviceList()
{
    std::optional<bool> stored;
    m_cloud.api->deviceList(m_account, this, [this, &stored](const Result<ApiList<Device>> &r) {
        IngestBatch b;
        b.devices = r.ok() ? r.value().items : QList<Device>();
        m_store.writer->write(std::move(b), [&stored](bool committed) { stored = committed; });
    });
    QVERIFY(QTest::qWaitFor([&stored] { return stored.has_value(); }, 30000));
    QVERIFY(*stored);
}

bool TestFleetAdmin::writeNow(IngestBatch batch)
{
    return m_store.writer->write(std::move(batch)) && m_store.writer->flush(30000);
}

QStringList TestFleetAdmin::viewImeis()
{
    QStringList imeis;
    for (const Device &d : m_store.reader->devices())
        imeis.append(d.imei);
    return imeis;
}

void TestFleetAdmin::requestsAreCheckedBeforeTheCloud_data()
{
    QTest::addColumn<FleetAdminRequest>("request");
    QTest::addColumn<QString>("message");
    FleetAdminRequest r;
    r.kind = Kind::CreateGroup;
    r.name = QStringLiteral("   ");
    QTest::newRow("group without a name") << r << QStringLiteral("A group needs a name.");
    r.name = QString(51, QLatin1Char('x'));
    QTest::newRow("long group name") << r << QStringLiteral("A group name has at most 50 characters.");
    r = {};
    r.kind = Kind::DeleteGroup;
    QTest::newRow("delete nothing") << r << QStringLiteral("No group chosen.");
    r = {};
    r.kind = Kind::MoveDevices;
    r.account = QStringLiteral("acme");
    r.toAccount = QStringLiteral("acme");
    QTest::newRow("move nothing") << r << QStringLiteral("No devices chosen.");
    r.imeis = {QStringLiteral("86000000000000x")};
    QTest::newRow("bad IMEI") << r << QStringLiteral("Not an IMEI: 86000000000000x");
    r.imeis = {QStringLiteral("860000000000001")};
    QTest::newRow("move to itself") << r << QStringLiteral("The devices are in that account already.");
    r.toAccount = QStringLiteral(" ");
    QTest::newRow("move nowhere") << r << QStringLiteral("No account to move the devices to.");
    r.kind = Kind::ExtendExpiry;
    QTest::newRow("extend without a date") << r << QStringLiteral("No new expiry date.");
    r.kind = Kind::BindUser;
    QTest::newRow("bind nobody") << r << QStringLiteral("No app user given.");
}

void TestFleetAdmin::requestsAreCheckedBeforeTheCloud()
{
    QFETCH(FleetAdminRequest, request);
    QFETCH(QString, message);
    QCOMPARE(checkAdminRequest(request), message);
    const int before = m_cloud.server->requestCount();
    const AdminOutcome o = run(request);
    QVERIFY(!o.ok);
    QCOMPARE(o.message, message);
    QCOMPARE(m_cloud.server->requestCount(), before); // nothing reached the cloud
}

void TestFleetAdmin::groupsRoundTrip()
{
    FleetAdminRequest create;
    create.kind = Kind::CreateGroup;
    create.name = QStringLiteral("Night shift, \"north\" — 夜班");
    const AdminOutcome created = run(create);
    QVERIFY2(created.ok, qPrintable(created.message));
    QVERIFY(created.stored);
    QVERIFY(!created.groupId.isEmpty());
    const auto named = [this](const QString &id) {
        for (const DeviceGroup &g : m_store.reader->groups())
            if (g.id == id)
                return std::optional<QString>(g.name);
        return std::optional<QString>();
    };
    QCOMPARE(named(created.groupId), create.name);

    // The same name again: the cloud's words and code.
    const AdminOutcome again = run(create);
    QVERIFY(!again.ok);
    QCOMPARE(again.code, 1003);
    QVERIFY2(again.message.contains(QStringLiteral("already exists")), qPrintable(again.message));

    FleetAdminRequest rename;
    rename.kind = Kind::RenameGroup;
    rename.groupId = created.groupId;
    rename.name = QStringLiteral("Day shift");
    const AdminOutcome renamed = run(rename);
    QVERIFY2(renamed.ok, qPrintable(renamed.message));
    QCOMPARE(named(created.groupId), rename.name);

    FleetAdminRequest remove;
    remove.kind = Kind::DeleteGroup;
    remove.groupId = created.groupId;
    const AdminOutcome removed = run(remove);
    QVERIFY2(removed.ok, qPrintable(removed.message));
    QVERIFY(!named(created.groupId));
    // Deleting it twice: the cloud says it is not there.
    const AdminOutcome twice = run(remove);
    QVERIFY(!twice.ok);
    QVERIFY2(twice.message.contains(QStringLiteral("group_id")), qPrintable(twice.message));
}

void TestFleetAdmin::theWholeGroupListReplacesTheStoredOne()
{
    // A group the cloud no longer has (deleted on its web platform).
    IngestBatch stale;
    stale.groups.append(DeviceGroup{QStringLiteral("gone-1"), QStringLiteral("Gone")});
    QVERIFY(writeNow(std::move(stale)));
    QCOMPARE(m_store.reader->groups().size() > 0, true);

    FleetAdminRequest read;
    read.kind = Kind::ReadGroups;
    const AdminOutcome o = run(read);
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY(o.stored);
    const QList<DeviceGroup> groups = m_store.reader->groups();
    QVERIFY(!groups.isEmpty());
    QVERIFY(std::none_of(groups.cbegin(), groups.cend(),
                         [](const DeviceGroup &g) { return g.id == QLatin1String("gone-1"); }));

    // A partial list (one group) leaves the others alone.
    IngestBatch partial;
    partial.groups.append(DeviceGroup{QStringLiteral("gone-2"), QStringLiteral("Extra")});
    QVERIFY(writeNow(std::move(partial)));
    QCOMPARE(m_store.reader->groups().size(), groups.size() + 1);
}

void TestFleetAdmin::movedDevicesLeaveTheView()
{
    const QStringList before = viewImeis();
    QVERIFY(before.size() >= 3);
    FleetAdminRequest move;
    move.kind = Kind::MoveDevices;
    move.toAccount = QStringLiteral("acme-north");
    move.imeis = before.mid(0, 2);
    const AdminOutcome o = run(move);
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY(o.stored);
    QCOMPARE(o.changed, move.imeis);

    QStringList after = viewImeis();
    QCOMPARE(after, before.mid(2));
    const QList<DeviceDeparture> gone = m_store.reader->departures();
    QCOMPARE(gone.size(), 2);
    for (const DeviceDeparture &d : gone) {
        QVERIFY(move.imeis.contains(d.imei));
        QCOMPARE(d.toAccount, QStringLiteral("acme-north"));
        QCOMPARE(d.at, m_clock.nowUtc());
        // Their record and history stay.
        QVERIFY(m_store.reader->device(d.imei));
        QCOMPARE(m_store.reader->device(d.imei)->account, QStringLiteral("acme-north"));
    }
    QVERIFY(m_store.reader->deviceStates(move.imeis).isEmpty());

    // The cloud's list no longer names them...
    storeDeviceList();
    QCOMPARE(viewImeis(), before.mid(2));
    // ...until they are moved back: listed again, in view again.
    FleetAdminRequest back = move;
    back.account = QStringLiteral("acme-north");
    back.toAccount = m_account;
    QVERIFY(run(back).ok);
    storeDeviceList();
    QCOMPARE(viewImeis(), before);
    QVERIFY(m_store.reader->departures().isEmpty());
}

void TestFleetAdmin::aRefusedMoveNamesItsDevices()
{
    const QStringList imeis = viewImeis();
    FleetAdminRequest move;
    move.kind = Kind::MoveDevices;
    move.toAccount = QStringLiteral("acme-south");
    move.imeis = imeis.mid(0, 1);
    QVERIFY(run(move).ok);
    // From the wrong account: the cloud refuses; the devices are named.
    move.imeis = imeis.mid(0, 2);
    const AdminOutcome o = run(move);
    QVERIFY(!o.ok);
    QCOMPARE(o.refused.size(), 2);
    QCOMPARE(o.refused.at(0).first, imeis.at(0));
    QVERIFY2(o.refused.at(0).second.contains(QStringLiteral("exists")), qPrintable(o.refused.at(0).second));
    QVERIFY(o.changed.isEmpty());
    QVERIFY(viewImeis().contains(imeis.at(1)));
    QCOMPARE(m_store.reader->departures().size(), 1);
}

void TestFleetAdmin::aListAskedBeforeAMoveDoesNotBringItBack()
{
    StoreSink sink(m_store.writer.get(), m_store.reader.get());
    SyncEngine engine(m_cloud.api.get(), &sink, SyncSchedule(), m_account, &m_clock);
    const QString imei = viewImeis().constFirst();
    IngestBatch moved;
    moved.departures.append(DeviceDeparture{imei, QStringLiteral("acme-east"), m_clock.nowUtc()});
    QVERIFY(writeNow(std::move(moved)));

    // The list is asked for, then the device is moved (the cloud here still lists it).
    QSignalSpy finished(&engine, &SyncEngine::jobFinished);
    engine.runNow(SyncEngine::Job::DeviceSync);
    engine.forgetDevices({imei});
    QVERIFY(finished.wait(30000));
    QVERIFY(m_store.writer->flush(30000));
    QVERIFY(!viewImeis().contains(imei));
    QVERIFY(!engine.knownImeis().contains(imei));

    // A list asked for after the move is the cloud's word.
    engine.runNow(SyncEngine::Job::DeviceSync);
    QVERIFY(finished.wait(30000));
    QVERIFY(m_store.writer->flush(30000));
    QVERIFY(viewImeis().contains(imei));
    QVERIFY(engine.knownImeis().contains(imei));
}

void TestFleetAdmin::aDeviceTheListNoLongerNamesLeavesTheView()
{
    // Moved on the cloud's web platform: FleetDesk only sees it missing from the list.
    const QStringList listed = viewImeis();
    IngestBatch gone;
    Device other;
    other.imei = QStringLiteral("869999999999990");
    gone.devices.append(other);
    QVERIFY(writeNow(std::move(gone)));
    QCOMPARE(viewImeis().size(), listed.size() + 1);

    StoreSink sink(m_store.writer.get(), m_store.reader.get());
    SyncEngine engine(m_cloud.api.get(), &sink, SyncSchedule(), m_account, &m_clock);
    QSignalSpy finished(&engine, &SyncEngine::jobFinished);
    engine.runNow(SyncEngine::Job::DeviceSync);
    QVERIFY(finished.wait(30000));
    QVERIFY(m_store.writer->flush(30000));
    QCOMPARE(viewImeis(), listed);
    const QList<DeviceDeparture> departed = m_store.reader->departures();
    QCOMPARE(departed.size(), 1);
    QCOMPARE(departed.constFirst().imei, other.imei);
    QVERIFY(departed.constFirst().toAccount.isEmpty()); // where to, the list does not say

    // An empty list is no reason to empty the fleet.
    IngestBatch empty;
    empty.devicesComplete = true;
    QVERIFY(m_store.writer->write(std::move(empty)));
    QVERIFY(m_store.writer->flush(30000));
    QCOMPARE(viewImeis(), listed);
}

void TestFleetAdmin::expiryIsExtendedAsTheCloudLists()
{
    const QStringList imeis = viewImeis().mid(0, 2);
    const QDateTime farAhead = m_clock.nowUtc().addYears(20);
    QCOMPARE(m_store.reader->expiringDevices(farAhead).size(), viewImeis().size());
    FleetAdminRequest extend;
    extend.kind = Kind::ExtendExpiry;
    extend.imeis = imeis;
    extend.expiration = QDate(2031, 6, 30);
    // One the cloud does not know: named, the others still done.
    extend.imeis.append(QStringLiteral("869999999999990"));
    const AdminOutcome o = run(extend);
    QVERIFY(!o.ok);
    QVERIFY(o.stored);
    QCOMPARE(o.changed, imeis);
    QCOMPARE(o.refused.size(), 1);
    QCOMPARE(o.refused.constFirst().first, QStringLiteral("869999999999990"));
    QCOMPARE(o.refused.constFirst().second, QStringLiteral("Illegal device"));
    for (const QString &imei : imeis)
        QCOMPARE(m_store.reader->device(imei)->expiration,
                 QDateTime(QDate(2031, 6, 30), QTime(23, 59, 59), QTimeZone::utc()));
    // Soonest first, and the extended ones now later than the rest.
    const QList<Device> soon = m_store.reader->expiringDevices(
        QDateTime(QDate(2031, 6, 29), QTime(0, 0), QTimeZone::utc()));
    for (const Device &d : soon)
        QVERIFY(!imeis.contains(d.imei));
    QVERIFY(std::is_sorted(soon.cbegin(), soon.cend(),
                           [](const Device &a, const Device &b) { return a.expiration < b.expiration; }));
}

void TestFleetAdmin::appUsersBindAndUnbind()
{
    const QStringList imeis = viewImeis().mid(0, 2);
    FleetAdminRequest bind;
    bind.kind = Kind::BindUser;
    bind.userId = QStringLiteral("driver-app-7");
    bind.imeis = imeis;
    const AdminOutcome bound = run(bind);
    QVERIFY2(bound.ok, qPrintable(bound.message));
    QCOMPARE(bound.changed, imeis);
    // Bound already: the cloud's code 10, per device.
    const AdminOutcome twice = run(bind);
    QVERIFY(!twice.ok);
    QCOMPARE(twice.code, 10);
    QCOMPARE(twice.refused.size(), 2);
    QVERIFY2(twice.message.contains(QStringLiteral("2 of 2")), qPrintable(twice.message));

    FleetAdminRequest unbind = bind;
    unbind.kind = Kind::UnbindUser;
    unbind.imeis = imeis.mid(0, 1);
    const AdminOutcome unbound = run(unbind);
    QVERIFY2(unbound.ok, qPrintable(unbound.message));
    QCOMPARE(unbound.changed, imeis.mid(0, 1));
    const AdminOutcome notBound = run(unbind);
    QVERIFY(!notBound.ok);
    QCOMPARE(notBound.message, QStringLiteral("The device is not bound to this user"));
}

QTEST_GUILESS_MAIN(TestFleetAdmin)
#include "tst_fleetadmin.moc"
