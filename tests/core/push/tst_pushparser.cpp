// Golden-folder tests for the push parsers: tests/data/push/<endpoint>/<case>.form
// is a raw request body as the cloud posts it, <case>.expected.json the
// reviewed result: the envelope error, or the items by list, the rejected
// items and the warnings. A new case is a new file pair. Run with
// FLEET_UPDATE_GOLDEN=1 to write missing/changed expectations, then review them.

#include "domain/domainjson.h"
#include "push/pushparser.h"
#include "util/utc.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Push;

namespace {

// Every push request in the tests arrives at this moment.
QDateTime receivedAt()
{
    return Utc::dateTime(QDate(2025, 1, 7), QTime(11, 6, 10));
}

QJsonObject errorJson(const EnvelopeError &e)
{
    return QJsonObject{{QStringLiteral("error"), e.httpStatus}, {QStringLiteral("message"), e.message}};
}

template<typename T>
void addList(QJsonObject *items, const char *name, const QList<T> &list)
{
    if (!list.isEmpty())
        items->insert(QLatin1String(name), DomainJson::toJsonArray(list));
}

QJsonObject batchJson(const IngestBatch &b)
{
    QJsonObject items;
    QJsonArray positions;
    for (const PositionRecord &p : b.positions) {
        QJsonObject o = DomainJson::toJson(p.position);
        o.insert(QStringLiteral("source"), positionSourceName(p.source));
        positions.append(o);
    }
    if (!positions.isEmpty())
        items.insert(QStringLiteral("positions"), positions);
    QJsonArray alarms;
    for (const AlarmRecord &a : b.alarms) {
        QJsonObject o = DomainJson::toJson(a.alarm);
        o.insert(QStringLiteral("source"), reportSourceName(a.source));
        alarms.append(o);
    }
    if (!alarms.isEmpty())
        items.insert(QStringLiteral("alarms"), alarms);
    addList(&items, "deviceEvents", b.deviceEvents);
    addList(&items, "heartbeats", b.heartbeats);
    addList(&items, "statusFlags", b.statusFlags);
    addList(&items, "readings", b.readings);
    addList(&items, "fuelReadings", b.fuelReadings);
    addList(&items, "temperatureReadings", b.temperatureReadings);
    addList(&items, "lbsReadings", b.lbsReadings);
    addList(&items, "obdReadings", b.obdReadings);
    addList(&items, "faultReports", b.faultReports);
    addList(&items, "pushedTrips", b.pushedTrips);
    addList(&items, "mediaUploads", b.mediaUploads);
    addList(&items, "commandResponses", b.commandResponses);
    addList(&items, "pushMessages", b.pushMessages);
    return items;
}

QJsonObject render(Endpoint endpoint, const QByteArray &body)
{
    const EnvelopeResult<PushEnvelope> envelope = decodeForm(body);
    if (!envelope)
        return errorJson(envelope.error());
    const EnvelopeResult<PushItems> items = splitItems(endpoint, envelope.value());
    if (!items)
        return errorJson(items.error());
    const ParsedPush parsed = parsePush(endpoint, envelope.value(), items.value(), receivedAt());

    QJsonObject o;
    if (!envelope.value().msgType.isEmpty())
        o.insert(QStringLiteral("msgType"), envelope.value().msgType);
    if (envelope.value().officialForm)
        o.insert(QStringLiteral("officialForm"), true);
    o.insert(QStringLiteral("itemCount"), parsed.itemCount);
    o.insert(QStringLiteral("items"), batchJson(parsed.batch));
    QJsonArray rejected;
    for (const PushItemError &e : parsed.rejected) {
        rejected.append(QJsonObject{{QStringLiteral("index"), e.index},
                                    {QStringLiteral("reason"), e.reason},
                                    {QStringLiteral("json"), QString::fromUtf8(e.json)}});
    }
    if (!rejected.isEmpty())
        o.insert(QStringLiteral("rejected"), rejected);
    if (!parsed.warnings.isEmpty())
        o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(parsed.warnings));
    return o;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPushParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyEndpointHasFixtures();
    void golden_data();
    void golden();
    void itemsStayReadableAfterCopy();
};

void TestPushParser::everyEndpointHasFixtures()
{
    const QDir dir(QStringLiteral(FLEET_TEST_DATA_DIR "/push"));
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const Endpoint e : allEndpoints()) {
        const QString name = endpointName(e);
        QVERIFY2(folders.contains(name), qPrintable(QStringLiteral("no fixtures for ") + name));
        QVERIFY2(QFile::exists(dir.filePath(name + QStringLiteral("/sample.form"))),
                 qPrintable(QStringLiteral("no sample.form for ") + name));
    }
    for (const QString &folder : folders) {
        const std::optional<Endpoint> e = endpointForPath(folder);
        QVERIFY2(e && endpointName(*e) == folder,
                 qPrintable(QStringLiteral("fixtures for an unknown endpoint: ") + folder));
    }
}

void TestPushParser::golden_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(FLEET_TEST_DATA_DIR "/push"));
    for (const QString &endpoint : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir sub(dir.filePath(endpoint));
        for (const QString &file : sub.entryList({QStringLiteral("*.form")}, QDir::Files, QDir::Name)) {
            const QString tag = endpoint + QLatin1Char('/') + file.chopped(5);
            QTest::newRow(qPrintable(tag)) << endpoint << sub.filePath(file);
        }
    }
}

void TestPushParser::golden()
{
    QFETCH(QString, endpoint);
    QFETCH(QString, path);
    const std::optional<Endpoint> e = endpointForPath(endpoint);
    QVERIFY(e);

    const QJsonObject actual = render(*e, readFile(path));
    const QString expectedPath = path.chopped(5) + QStringLiteral(".expected.json");
    const QByteArray actualText = QJsonDocument(actual).toJson(QJsonDocument::Indented);
    if (qEnvironmentVariableIsSet("FLEET_UPDATE_GOLDEN")) {
        QFile out(expectedPath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(actualText);
        return;
    }
    const QByteArray expectedText = readFile(expectedPath);
    QVERIFY2(!expectedText.isEmpty(), qPrintable(QStringLiteral("missing ") + expectedPath));
    const QJsonObject expected = QJsonDocument::fromJson(expectedText).object();
    if (expected != actual) {
        qWarning().noquote() << "actual:\n" << actualText;
        QFAIL(qPrintable(QStringLiteral("parsed value differs from ") + expectedPath));
    }
}

// PushItems shares its document: nodes taken from a copy outlive the original.
void TestPushParser::itemsStayReadableAfterCopy()
{
    const EnvelopeResult<PushEnvelope> env = decodeForm("token=t0k3n&data_list=%5B%7B%22a%22%3A1%7D%5D");
    QVERIFY(env.ok());
    PushItems copy;
    {
        const EnvelopeResult<PushItems> items = splitItems(Endpoint::Gps, env.value());
        QVERIFY(items.ok());
        copy = items.value();
    }
    QCOMPARE(copy.count(), 1);
    QCOMPARE(copy.items().first().toCompactJson(), QByteArray(R"({"a":1})"));
}

QTEST_GUILESS_MAIN(TestPushParser)
#include "tst_pushparser.moc"
