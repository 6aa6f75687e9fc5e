// The rejected-data view: what the webhook could not read, listed newest
// first with its reason, the payload shown as received (bytes that are not
// UTF-8 escaped, markup as text), and exported as JSON Lines.

#include "app/rejecteddatadialog.h"
#include "store/storewriter.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QFile>
#include <QLabel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

class TestRejectedDataDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyStoreSaysSo();
    void listsShowsAndExports();
};

void TestRejectedDataDialog::emptyStoreSaysSo()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    {
        StoreWriter writer;
        QVERIFY(writer.open(path));
    }
    RejectedDataDialog dialog(path);
    QCOMPARE(dialog.rowCount(), 0);
    QCOMPARE(dialog.total(), 0);
    QVERIFY(dialog.findChild<QLabel *>()->text().contains(QStringLiteral("refused nothing")));
}

void TestRejectedDataDialog::listsShowsAndExports()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    ManualClock clock(Utc::fromSecs(1'780'000'000));
    {
        StoreWriter writer;
        StoreWriter::Options o;
        o.clock = &clock;
        QVERIFY(writer.open(path, o));
        IngestBatch b;
        b.quarantine = {PushQuarantineRecord{QStringLiteral("/pushalarm"), Utc::fromSecs(1'780'000'000), 2,
                                             QStringLiteral("alarm without IMEI"),
                                             QByteArray(R"({"msg":{"alertType":"<b>1</b>"}})")},
                        PushQuarantineRecord{QStringLiteral("/pushgps"), Utc::fromSecs(1'780'000'100), -1,
                                             QStringLiteral("data_list is not JSON"), QByteArray("\xff\xfe\x01ok", 5)}};
        QVERIFY(writer.write(b));
        QVERIFY(writer.flush(10000));
    }
    RejectedDataDialog dialog(path);
    QCOMPARE(dialog.rowCount(), 2);
    QCOMPARE(dialog.total(), 2);
    dialog.selectRow(0);
    const int gps = dialog.payloadText().startsWith(QStringLiteral("/pushgps")) ? 0 : 1;
    dialog.selectRow(gps);
    QVERIFY2(dialog.payloadText().contains(QStringLiteral("data_list is not JSON")), qPrintable(dialog.payloadText()));
    QVERIFY2(dialog.payloadText().endsWith(QStringLiteral("\\xff\\xfe\\x01ok")), qPrintable(dialog.payloadText()));
    dialog.selectRow(1 - gps);
    QVERIFY(dialog.payloadText().endsWith(QStringLiteral(R"({"msg":{"alertType":"<b>1</b>"}})")));

    const QString out = dir.filePath(QStringLiteral("rejected.jsonl"));
    QString error;
    QVERIFY2(dialog.exportTo(out, &error), qPrintable(error));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    bool sawBinary = false;
    for (const QByteArray &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY(o.contains(QLatin1String("reason")));
        if (o.value(QLatin1String("endpoint")).toString() == QLatin1String("/pushgps")) {
            sawBinary = true;
            QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("content_base64")).toString().toLatin1()),
                     QByteArray("\xff\xfe\x01ok", 5));
            QCOMPARE(o.value(QLatin1String("item_index")).toInt(), -1);
        } else {
            QCOMPARE(o.value(QLatin1String("content")).toString(), QStringLiteral(R"({"msg":{"alertType":"<b>1</b>"}})"));
        }
    }
    QVERIFY(sawBinary);
    QVERIFY(!dialog.exportTo(dir.filePath(QStringLiteral("no/such/dir/x.jsonl")), &error));
}

QTEST_MAIN(TestRejectedDataDialog)
#include "tst_rejecteddatadialog.moc"
