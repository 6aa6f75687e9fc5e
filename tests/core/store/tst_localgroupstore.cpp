// The desk's own groups through the one writer: created with members,
// renamed (not onto a name taken), vehicles added and removed (twice is
// once), deleted with their members, and read back by name.

#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include "storetestdata.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

class TestLocalGroupStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupsLiveAndDie();

private:
    static LocalGroupChange change(LocalGroupChange::Kind kind, const QString &name, const QStringList &imeis = {},
                                   const QString &newName = {})
    {
        LocalGroupChange c;
        c.kind = kind;
        c.name = name;
        c.imeis = imeis;
        c.newName = newName;
        return c;
    }
};

void TestLocalGroupStore::groupsLiveAndDie()
{
    using K = LocalGroupChange::Kind;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    ManualClock clock(at(0));
    StoreWriter writer;
    StoreWriter::Options o;
    o.coalesceMs = 0;
    o.clock = &clock;
    QVERIFY(writer.open(path, o));
    const auto write = [&](QList<LocalGroupChange> changes) {
        IngestBatch b;
        b.localGroups = std::move(changes);
        return writer.write(b) && writer.flush();
    };
    const QString a = QStringLiteral("860000000000101"), b = QStringLiteral("860000000000202");
    QVERIFY(write({change(K::Create, QStringLiteral("Night shift"), {a}), change(K::Create, QStringLiteral("Airport"))}));
    QVERIFY(write({change(K::Create, QStringLiteral("night SHIFT"))})); // the name is taken
    QVERIFY(write({change(K::Add, QStringLiteral("Night shift"), {b, a})})); // a twice: once
    QVERIFY(write({change(K::Add, QStringLiteral("Nowhere"), {b})})); // no such group: nothing
    StoreReader reader;
    QVERIFY(reader.open(path));
    QList<LocalGroup> groups = reader.localGroups();
    QCOMPARE(groups.size(), 2);
    QCOMPARE(groups.at(0).name, QStringLiteral("Airport"));
    QCOMPARE(groups.at(1).name, QStringLiteral("Night shift"));
    QCOMPARE(groups.at(1).imeis, (QStringList{a, b}));

    QVERIFY(write({change(K::Rename, QStringLiteral("Airport"), {}, QStringLiteral("Night shift"))})); // taken
    QVERIFY(write({change(K::Rename, QStringLiteral("Night shift"), {}, QStringLiteral("Late shift")),
                   change(K::Remove, QStringLiteral("Late shift"), {a})}));
    groups = reader.localGroups();
    QCOMPARE(groups.at(0).name, QStringLiteral("Airport"));
    QCOMPARE(groups.at(1).name, QStringLiteral("Late shift"));
    QCOMPARE(groups.at(1).imeis, QStringList{b});

    QVERIFY(write({change(K::Delete, QStringLiteral("late shift"))}));
    groups = reader.localGroups();
    QCOMPARE(groups.size(), 1);
    QCOMPARE(reader.rowCounts().value(QStringLiteral("local_group_members")), 0); // with its members
    QVERIFY(write({change(K::Create, QString())}));
    QCOMPARE(writer.stats().table(StoreTable::LocalGroups).rejected, 1);
}

QTEST_GUILESS_MAIN(TestLocalGroupStore)
#include "tst_localgroupstore.moc"
