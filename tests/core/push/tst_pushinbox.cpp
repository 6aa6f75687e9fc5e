// The webhook's inbox file: appends commit and say so, removals follow,
// what is left survives a restart in order, ids continue, and a file that is
// not an inbox is refused untouched.

#include "push/pushinbox.h"

#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet::Push;

namespace {

InboxRecord record(qint64 id, const QByteArray &payload = QByteArrayLiteral("[]"))
{
    return InboxRecord{id,
                       QStringLiteral("pushgps"),
                       QDateTime(QDate(2026, 11, 26), QTime(12, 0, 0), Qt::UTC).addSecs(id),
                       QString(),
                       qCompress(payload),
                       1,
                       QStringLiteral("127.0.0.1")};
}

} // namespace

class TestPushInbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendCommitsAndSaysSo();
    void removalsFollowAndWhatIsLeftSurvives();
    void idsContinueAfterARestart();
    void foreignFileIsRefusedUntouched();
    void closedInboxTakesNothing();
};

void TestPushInbox::appendCommitsAndSaysSo()
{
    QTemporaryDir dir;
    Inbox inbox;
    QString error;
    QVERIFY2(inbox.open(Inbox::pathFor(dir.filePath(QStringLiteral("fleet.db"))), &error), qPrintable(error));
    QCOMPARE(inbox.path(), dir.filePath(QStringLiteral("fleet.db.inbox")));
    QList<bool> done;
    for (int i = 0; i < 20; ++i)
        QVERIFY(inbox.append(record(inbox.nextId()), [&done](bool ok) { done.append(ok); }));
    QTRY_COMPARE(done.size(), 20);
    QVERIFY(!done.contains(false));
    QCOMPARE(inbox.count(), 20);
    // Stored as given, oldest first.
    const QList<InboxRecord> pending = inbox.pending(-1, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(pending.size(), 20);
    QCOMPARE(pending.first(), record(1));
    QCOMPARE(pending.last(), record(20));
    QCOMPARE(inbox.pending(5, &error).size(), 5);
}

void TestPushInbox::removalsFollowAndWhatIsLeftSurvives()
{
    QTemporaryDir dir;
    const QString path = Inbox::pathFor(dir.filePath(QStringLiteral("fleet.db")));
    QString error;
    {
        Inbox inbox;
        QVERIFY(inbox.open(path, &error));
        for (int i = 0; i < 5; ++i)
            QVERIFY(inbox.append(record(inbox.nextId()), {}));
        QVERIFY(inbox.flush());
        inbox.remove(2);
        inbox.remove(4);
        inbox.remove(99); // not there: nothing happens
        QVERIFY(inbox.flush());
        QCOMPARE(inbox.count(), 3);
        // A removal queued at close is still committed.
        inbox.remove(5);
    }
    Inbox again;
    QVERIFY(again.open(path, &error));
    const QList<InboxRecord> pending = again.pending(-1, &error);
    QCOMPARE(pending.size(), 2);
    QCOMPARE(pending.at(0).id, 1);
    QCOMPARE(pending.at(1).id, 3);
    QCOMPARE(qUncompress(pending.at(1).payload), QByteArrayLiteral("[]"));
}

void TestPushInbox::idsContinueAfterARestart()
{
    QTemporaryDir dir;
    const QString path = Inbox::pathFor(dir.filePath(QStringLiteral("fleet.db")));
    QString error;
    {
        Inbox inbox;
        QVERIFY(inbox.open(path, &error));
        QCOMPARE(inbox.nextId(), 1);
        QVERIFY(inbox.append(record(41), {}));
        QVERIFY(inbox.flush());
    }
    Inbox again;
    QVERIFY(again.open(path, &error));
    QCOMPARE(again.nextId(), 42);
}

void TestPushInbox::foreignFileIsRefusedUntouched()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreign"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA application_id = 1234")));
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE mine (x)")));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("foreign"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();

    Inbox inbox;
    QString error;
    QVERIFY(!inbox.open(path, &error));
    QVERIFY2(error.contains(QLatin1String("not a FleetDesk push inbox")), qPrintable(error));
    QVERIFY(!inbox.isOpen());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
}

void TestPushInbox::closedInboxTakesNothing()
{
    Inbox inbox;
    QVERIFY(!inbox.isOpen());
    bool called = false;
    QVERIFY(!inbox.append(record(1), [&called](bool) { called = true; }));
    inbox.remove(1);
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(TestPushInbox)
#include "tst_pushinbox.moc"
