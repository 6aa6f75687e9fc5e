// ClipPlayerDialog: an event clip fetched into the cache plays in
// FleetDesk's own player, at its own pace, to its end, and again; a photo
// (or anything not a video) goes to the system's opener instead.

#include "video/clipplayerdialog.h"
#include "video/videosurface.h"
#include "videostream.h"

#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace Qt::StringLiterals;

class TestClipPlayerDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void playsAClipToItsEndAndAgain();
    void photosGoToTheSystemsOpener();
    void aBrokenFileSaysSo();

private:
    QString write(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_dir;
    QByteArray m_clip;
    QByteArray m_photo;
};

void TestClipPlayerDialog::initTestCase()
{
    // The simulator's event clip (4 s, 320x180, 10 fps) and photo.
    QFile clip(u":/simmedia/clip.mp4"_s);
    QVERIFY(clip.open(QIODevice::ReadOnly));
    m_clip = clip.readAll();
    QFile photo(u":/simmedia/photo.jpg"_s);
    QVERIFY(photo.open(QIODevice::ReadOnly));
    m_photo = photo.readAll();
}

QString TestClipPlayerDialog::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

void TestClipPlayerDialog::playsAClipToItsEndAndAgain()
{
    const QUrl file = QUrl::fromLocalFile(write(u"862798051058689_EVENT_2026_12_03_09_00_00_6_1.mp4"_s, m_clip));
    QVERIFY(ClipPlayerDialog::isVideo(file));
    bool fallback = false;
    QVERIFY(ClipPlayerDialog::open(file, nullptr, [&fallback](const QUrl &) { return fallback = true; }));
    QVERIFY(!fallback);
    ClipPlayerDialog *dialog = nullptr;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *d = qobject_cast<ClipPlayerDialog *>(w))
            dialog = d;
    }
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->surface()->picture().isNull(), 10000);
    QCOMPARE(dialog->surface()->picture().size(), QSize(320, 180));
    QVERIFY2(dialog->statusText().startsWith(u"Playing"_s), qPrintable(dialog->statusText()));
    // At its own pace: 4 s of pictures, then the end.
    QTRY_VERIFY_WITH_TIMEOUT(dialog->stream()->state() == Player::VideoStream::State::Ended, 15000);
    QCOMPARE(dialog->statusText(), u"Ended at 0:03"_s);
    QCOMPARE(dialog->stream()->framesDelivered() + dialog->stream()->framesDropped(), 40);
    // Play again: from the start.
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"clipAgain"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(u"Playing"_s), 10000);
    dialog->close();
}

void TestClipPlayerDialog::photosGoToTheSystemsOpener()
{
    const QUrl file = QUrl::fromLocalFile(write(u"photo.jpg"_s, m_photo));
    QVERIFY(!ClipPlayerDialog::isVideo(file));
    QList<QUrl> opened;
    QVERIFY(ClipPlayerDialog::open(file, nullptr, [&opened](const QUrl &url) {
        opened.append(url);
        return true;
    }));
    QCOMPARE(opened, QList<QUrl>{file});
    // Without an opener: not opened.
    QVERIFY(!ClipPlayerDialog::open(file, nullptr, {}));
}

void TestClipPlayerDialog::aBrokenFileSaysSo()
{
    // An MP4 name over garbage: the dialog says why it cannot play it.
    QByteArray garbage = m_clip.left(64);
    garbage.append(QByteArray(4096, '\x5a'));
    const QUrl file = QUrl::fromLocalFile(write(u"broken.mp4"_s, garbage));
    ClipPlayerDialog dialog(file);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.stream()->state() == Player::VideoStream::State::Failed, 10000);
    QVERIFY2(dialog.statusText().startsWith(u"Cannot play it: "_s), qPrintable(dialog.statusText()));
}

QTEST_MAIN(TestClipPlayerDialog)
#include "tst_clipplayerdialog.moc"
