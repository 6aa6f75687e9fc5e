#include "store/sqltokenstore.h"
#include "store/storewriter.h"
#include "util/utc.h"

#include "storetestdata.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

class TestSqlTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nothingSavedIsAnEmptyState();
    void loadRightAfterSaveSeesIt();
    void survivesARestart();
    void keepsAccountsApart();
    void aClearedTokenKeepsTheLastTokenGet();
};

namespace {

TokenState sample(const QString &account = QStringLiteral("demo"))
{
    TokenState s;
    AccessToken t;
    t.accessToken = QStringLiteral("7da3330ec28e3996b6ef4a7e3390ba71");
    t.refreshToken = QStringLiteral("0b1c9a7e3390ba717da3330ec28e3996");
    t.obtainedAt = Utc::fromSecs(1'780'000'000);
    t.expiresAt = t.obtainedAt.addSecs(7200);
    t.account = account;
    s.token = t;
    s.lastTokenGet = t.obtainedAt;
    return s;
}

} // namespace

void TestSqlTokenStore::nothingSavedIsAnEmptyState()
{
    QTemporaryDir dir;
    StoreWriter writer;
    QVERIFY(writer.open(dir.filePath(QStringLiteral("fleet.db"))));
    SqlTokenStore store(&writer);
    QCOMPARE(store.load(QStringLiteral("a")), TokenState());
}

void TestSqlTokenStore::loadRightAfterSaveSeesIt()
{
    QTemporaryDir dir;
    StoreWriter writer;
    StoreWriter::Options o;
    o.coalesceMs = 60000; // not committed yet when load() runs
    QVERIFY(writer.open(dir.filePath(QStringLiteral("fleet.db")), o));
    SqlTokenStore store(&writer);
    store.save(QStringLiteral("a"), sample());
    QCOMPARE(store.load(QStringLiteral("a")), sample());
    QVERIFY(writer.flush());
    QCOMPARE(writer.stats().table(StoreTable::Tokens).inserted, 1);
}

void TestSqlTokenStore::survivesARestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    {
        StoreWriter writer;
        QVERIFY(writer.open(path));
        SqlTokenStore store(&writer);
        store.save(QStringLiteral("a"), sample());
    } // closing the writer commits
    StoreWriter writer;
    QVERIFY(writer.open(path));
    SqlTokenStore again(&writer);
    QCOMPARE(again.load(QStringLiteral("a")), sample());
    StoreTest::RawDb raw(path);
    QCOMPARE(raw.value(QStringLiteral("SELECT expires_at - obtained_at FROM tokens")).toInt(), 7200);
}

void TestSqlTokenStore::keepsAccountsApart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    {
        StoreWriter writer;
        QVERIFY(writer.open(path));
        SqlTokenStore store(&writer);
        store.save(QStringLiteral("eu|key|a"), sample(QStringLiteral("a")));
        store.save(QStringLiteral("eu|key|b"), sample(QStringLiteral("b")));
        store.save(QStringLiteral("eu|key|a"), sample(QStringLiteral("a2"))); // replaces
    }
    StoreWriter writer;
    QVERIFY(writer.open(path));
    SqlTokenStore again(&writer);
    QCOMPARE(again.load(QStringLiteral("eu|key|a")), sample(QStringLiteral("a2")));
    QCOMPARE(again.load(QStringLiteral("eu|key|b")), sample(QStringLiteral("b")));
    QCOMPARE(again.load(QStringLiteral("eu|key|c")), TokenState());
}

void TestSqlTokenStore::aClearedTokenKeepsTheLastTokenGet()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    TokenState cleared;
    cleared.lastTokenGet = Utc::fromSecs(1'780'000'100);
    {
        StoreWriter writer;
        QVERIFY(writer.open(path));
        SqlTokenStore store(&writer);
        store.save(QStringLiteral("a"), sample());
        store.save(QStringLiteral("a"), cleared);
    }
    StoreWriter writer;
    QVERIFY(writer.open(path));
    SqlTokenStore again(&writer);
    QCOMPARE(again.load(QStringLiteral("a")), cleared);
}

QTEST_GUILESS_MAIN(TestSqlTokenStore)
#include "tst_sqltokenstore.moc"
