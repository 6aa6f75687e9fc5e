#include "store/ingestsupport.h"
#include "store/keyedupsert.h"
#include "store/storeconnection.h"

#include "storetestdata.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

class TestKeyedUpsert : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fillKeepsTheFirstReportAndCompletesIt();
    void mergeTakesNewerNonNullValues();
    void replaceTakesEverything();
    void nullableKeyIsOneRow();
    void updateFirstCountsTheSame();
    void keyedTableBindsEachValueToItsColumn();
    void keyedTableNamesAColumnTheSchemaLacks();

private:
    KeyedUpsert::Spec spec(KeyedUpsert::Policy policy, bool updateFirst = false) const;
    QVariant cell(const QString &column, int key = 1) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<StoreConnection> m_db;
};

void TestKeyedUpsert::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_db = std::make_unique<StoreConnection>();
    StoreConnection::Options options;
    options.migrations = {StoreMigration{1,
                                         QStringLiteral("scratch"),
                                         {QStringLiteral("CREATE TABLE t (k INTEGER NOT NULL, k2 INTEGER, a TEXT, "
                                                         "b REAL, origin TEXT, touched INTEGER)"),
                                          QStringLiteral("CREATE UNIQUE INDEX t_key ON t(k, coalesce(k2, -1))")}}};
    QVERIFY2(m_db->open(m_dir->filePath(QStringLiteral("t.db")), options), qPrintable(m_db->errorString()));
}

void TestKeyedUpsert::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

KeyedUpsert::Spec TestKeyedUpsert::spec(KeyedUpsert::Policy policy, bool updateFirst) const
{
    KeyedUpsert::Spec s;
    s.table = QStringLiteral("t");
    s.keys = {QStringLiteral("k"), QStringLiteral("k2")};
    s.nullableKeys = {QStringLiteral("k2")};
    s.values = {QStringLiteral("a"), QStringLiteral("b")};
    s.insertOnly = {QStringLiteral("origin")};
    s.touch = {QStringLiteral("touched")};
    s.policy = policy;
    s.updateFirst = updateFirst;
    return s;
}

QVariant TestKeyedUpsert::cell(const QString &column, int key) const
{
    QSqlQuery q(m_db->database());
    if (!q.exec(QStringLiteral("SELECT %1 FROM t WHERE k = %2").arg(column).arg(key)) || !q.next())
        return QStringLiteral("<no row>");
    return q.value(0);
}

void TestKeyedUpsert::fillKeepsTheFirstReportAndCompletesIt()
{
    KeyedUpsert u;
    QString error;
    QVERIFY2(u.prepare(m_db->database(), spec(KeyedUpsert::Policy::Fill), &error), qPrintable(error));
    using O = KeyedUpsert::Outcome;
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("first"), QVariant(), QStringLiteral("poll"), 10}), O::Inserted);
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("first"), QVariant(), QStringLiteral("push"), 11}), O::Unchanged);
    QCOMPARE(cell(QStringLiteral("touched")).toInt(), 10);
    // A later report with another value does not overwrite, but fills b.
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("second"), 2.5, QStringLiteral("push"), 12}), O::Updated);
    QCOMPARE(cell(QStringLiteral("a")).toString(), QStringLiteral("first"));
    QCOMPARE(cell(QStringLiteral("b")).toDouble(), 2.5);
    QCOMPARE(cell(QStringLiteral("origin")).toString(), QStringLiteral("poll"));
    QCOMPARE(cell(QStringLiteral("touched")).toInt(), 12);
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("second"), 3.5, QStringLiteral("push"), 13}), O::Unchanged);
}

void TestKeyedUpsert::mergeTakesNewerNonNullValues()
{
    KeyedUpsert u;
    QString error;
    QVERIFY2(u.prepare(m_db->database(), spec(KeyedUpsert::Policy::Merge), &error), qPrintable(error));
    using O = KeyedUpsert::Outcome;
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("first"), 1.0, QStringLiteral("x"), 10}), O::Inserted);
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("second"), QVariant(), QStringLiteral("y"), 11}), O::Updated);
    QCOMPARE(cell(QStringLiteral("a")).toString(), QStringLiteral("second"));
    QCOMPARE(cell(QStringLiteral("b")).toDouble(), 1.0); // absent now: the last known value stays
    QCOMPARE(cell(QStringLiteral("origin")).toString(), QStringLiteral("x"));
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("second"), 1.0, QStringLiteral("y"), 12}), O::Unchanged);
    QCOMPARE(cell(QStringLiteral("touched")).toInt(), 11);
}

void TestKeyedUpsert::replaceTakesEverything()
{
    KeyedUpsert u;
    QString error;
    QVERIFY2(u.prepare(m_db->database(), spec(KeyedUpsert::Policy::Replace), &error), qPrintable(error));
    using O = KeyedUpsert::Outcome;
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("first"), 1.0, QStringLiteral("x"), 10}), O::Inserted);
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("first"), QVariant(), QStringLiteral("x"), 11}), O::Updated);
    QVERIFY(cell(QStringLiteral("b")).isNull());
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("first"), QVariant(), QStringLiteral("x"), 12}), O::Unchanged);
}

void TestKeyedUpsert::nullableKeyIsOneRow()
{
    KeyedUpsert u;
    QString error;
    QVERIFY2(u.prepare(m_db->database(), spec(KeyedUpsert::Policy::Fill), &error), qPrintable(error));
    using O = KeyedUpsert::Outcome;
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("a"), QVariant(), QStringLiteral("x"), 1}), O::Inserted);
    QCOMPARE(u.write({1, QVariant(), QStringLiteral("a"), 4.0, QStringLiteral("x"), 2}), O::Updated);
    QCOMPARE(u.write({1, 0, QStringLiteral("a"), QVariant(), QStringLiteral("x"), 3}), O::Inserted);
    QCOMPARE(u.write({1, 0, QStringLiteral("a"), QVariant(), QStringLiteral("x"), 4}), O::Unchanged);
    QSqlQuery q(m_db->database());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM t")) && q.next());
    QCOMPARE(q.value(0).toInt(), 2);
}

void TestKeyedUpsert::updateFirstCountsTheSame()
{
    KeyedUpsert u;
    QString error;
    QVERIFY2(u.prepare(m_db->database(), spec(KeyedUpsert::Policy::Merge, true), &error), qPrintable(error));
    using O = KeyedUpsert::Outcome;
    QCOMPARE(u.write({2, QVariant(), QStringLiteral("a"), QVariant(), QStringLiteral("x"), 1}), O::Inserted);
    QCOMPARE(u.write({2, QVariant(), QStringLiteral("a"), QVariant(), QStringLiteral("x"), 2}), O::Unchanged);
    QCOMPARE(u.write({2, QVariant(), QStringLiteral("b"), QVariant(), QStringLiteral("x"), 3}), O::Updated);
    QCOMPARE(cell(QStringLiteral("a"), 2).toString(), QStringLiteral("b"));
}

namespace {

struct Reading
{
    int key = 0;
    std::optional<int> key2;
    QString text;
    std::optional<double> number;
    QString origin;
};

} // namespace

void TestKeyedUpsert::keyedTableBindsEachValueToItsColumn()
{
    // Declared in an order unlike the statement's (keys, values, insert-only,
    // touched): each value still lands in its own column.
    using Ingest::Role;
    using R = Reading;
    Ingest::KeyedTable<Reading> table;
    QString error;
    QVERIFY2(table.prepare(m_db->database(), QStringLiteral("t"), KeyedUpsert::Policy::Fill, false,
                           {
                               {"touched", Role::Touch, [](const R &, qint64 now) { return QVariant(now); }},
                               {"b", Role::Value, [](const R &r, qint64) { return Ingest::real(r.number); }},
                               {"origin", Role::InsertOnly, [](const R &r, qint64) { return QVariant(r.origin); }},
                               {"k2", Role::NullableKey, [](const R &r, qint64) { return Ingest::integer(r.key2); }},
                               {"a", Role::Value, [](const R &r, qint64) { return Ingest::text(r.text); }},
                               {"k", Role::Key, [](const R &r, qint64) { return QVariant(r.key); }},
                           },
                           &error),
             qPrintable(error));
    QCOMPARE(table.columnNames(),
             (QStringList{QStringLiteral("k2"), QStringLiteral("k"), QStringLiteral("b"), QStringLiteral("a"),
                          QStringLiteral("origin"), QStringLiteral("touched")}));
    using O = KeyedUpsert::Outcome;
    QCOMPARE(table.write(Reading{3, std::nullopt, QStringLiteral("x"), 1.5, QStringLiteral("poll")}, 100), O::Inserted);
    QCOMPARE(cell(QStringLiteral("a"), 3).toString(), QStringLiteral("x"));
    QCOMPARE(cell(QStringLiteral("b"), 3).toDouble(), 1.5);
    QCOMPARE(cell(QStringLiteral("origin"), 3).toString(), QStringLiteral("poll"));
    QCOMPARE(cell(QStringLiteral("touched"), 3).toInt(), 100);
    QVERIFY(cell(QStringLiteral("k2"), 3).isNull());
    // The nullable key is NULL-safe, and the same row again changes nothing.
    QCOMPARE(table.write(Reading{3, std::nullopt, QStringLiteral("x"), 1.5, QStringLiteral("push")}, 101),
             O::Unchanged);
    QCOMPARE(table.write(Reading{3, 7, QStringLiteral("y"), std::nullopt, QStringLiteral("push")}, 102), O::Inserted);
}

void TestKeyedUpsert::keyedTableNamesAColumnTheSchemaLacks()
{
    using Ingest::Role;
    Ingest::KeyedTable<Reading> table;
    QString error;
    QVERIFY(!table.prepare(m_db->database(), QStringLiteral("t"), KeyedUpsert::Policy::Fill, false,
                           {
                               {"k", Role::Key, [](const Reading &r, qint64) { return QVariant(r.key); }},
                               {"colour", Role::Value, [](const Reading &r, qint64) { return QVariant(r.text); }},
                           },
                           &error));
    QVERIFY2(error.contains(QLatin1String("colour")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestKeyedUpsert)
#include "tst_keyedupsert.moc"
