// SimFlvClip: the simulator's FLV clips cut into tags, and tags put back.

#include "sim/simflv.h"

#include <QFile>
#include <QTest>

using Fleet::Sim::SimFlvClip;
using namespace Qt::StringLiterals;

class TestSimFlv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theLiveClipsAreLoops();
    void keyframeBeforeAMoment();
    void encodedTagsParseBack();
    void badFilesAreRefused_data();
    void badFilesAreRefused();

private:
    static QByteArray resource(const QString &name)
    {
        QFile f(u":/simmedia/"_s + name);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
};

void TestSimFlv::theLiveClipsAreLoops()
{
    for (const QString &name : {u"live-road.flv"_s, u"live-cabin.flv"_s}) {
        QString error;
        const SimFlvClip clip = SimFlvClip::parse(resource(name), &error);
        QVERIFY2(clip.isValid(), qPrintable(name + u": "_s + error));
        // The head: the file header, the metadata and both sequence headers.
        QVERIFY(clip.head().startsWith("FLV\x01"));
        QVERIFY(clip.head().contains("onMetaData"));
        // 4 s at 15 fps, a keyframe every second (scripts/make-sim-media.sh).
        QVERIFY2(qAbs(clip.loopMs() - 4000) <= 70, qPrintable(QString::number(clip.loopMs())));
        QVERIFY(clip.media().first().keyframe);
        QCOMPARE(clip.media().first().timestampMs, 0);
        int keyframes = 0, video = 0;
        qint64 last = 0;
        for (const SimFlvClip::Tag &t : clip.media()) {
            keyframes += t.keyframe;
            video += t.type == 9;
            QVERIFY(t.type == 8 || t.type == 9);
            QVERIFY(t.timestampMs < clip.loopMs());
            if (t.type == 9) {
                QVERIFY(t.timestampMs >= last);
                last = t.timestampMs;
            }
        }
        QCOMPARE(video, 60);
        QCOMPARE(keyframes, 4);
    }
}

void TestSimFlv::keyframeBeforeAMoment()
{
    const SimFlvClip clip = SimFlvClip::parse(resource(u"live-road.flv"_s));
    QVERIFY(clip.isValid());
    QCOMPARE(clip.keyframeAtOrBefore(0), 0);
    const int at = clip.keyframeAtOrBefore(2500);
    QVERIFY(clip.media().at(at).keyframe);
    QCOMPARE(clip.media().at(at).timestampMs, 2000);
    const int late = clip.keyframeAtOrBefore(clip.loopMs() + 10000);
    QCOMPARE(clip.media().at(late).timestampMs, 3000);
}

void TestSimFlv::encodedTagsParseBack()
{
    const SimFlvClip clip = SimFlvClip::parse(resource(u"live-road.flv"_s));
    QVERIFY(clip.isValid());
    // A stream as the server sends it, past the 24-bit timestamp limit
    // (the extended byte): it parses to the same tags.
    constexpr qint64 kLate = 0x1000000 + 5;
    QByteArray stream = clip.head();
    for (const SimFlvClip::Tag &t : clip.media())
        stream += SimFlvClip::encode(t.type, kLate + t.timestampMs, t.data);
    QString error;
    const SimFlvClip back = SimFlvClip::parse(stream, &error);
    QVERIFY2(back.isValid(), qPrintable(error));
    QCOMPARE(back.media().size(), clip.media().size());
    for (int i = 0; i < clip.media().size(); ++i) {
        QCOMPARE(back.media().at(i).data, clip.media().at(i).data);
        QCOMPARE(back.media().at(i).timestampMs, clip.media().at(i).timestampMs);
    }
    QCOMPARE(back.head(), clip.head());
}

void TestSimFlv::badFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("why");
    const QByteArray good = resource(u"live-road.flv"_s);
    QTest::newRow("empty") << QByteArray() << u"not an FLV file"_s;
    QTest::newRow("not flv") << QByteArray("GIF89a and some more bytes") << u"not an FLV file"_s;
    QTest::newRow("header size past the end") << QByteArray::fromHex("464c5601050000ffff00000000")
                                              << u"bad FLV header size"_s;
    QTest::newRow("cut inside a tag") << good.left(good.size() / 2) << u"runs past the end"_s;
    // The head only: metadata and sequence headers, not a single picture.
    QTest::newRow("no keyframe") << SimFlvClip::parse(good).head() << u"no video keyframe"_s;
}

void TestSimFlv::badFilesAreRefused()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, why);
    QString error;
    QVERIFY(!SimFlvClip::parse(file, &error).isValid());
    QVERIFY2(error.contains(why), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSimFlv)
#include "tst_simflv.moc"
