// `fleetdesk --demo` as a user starts it, in a real X server (Xvfb): after a
// few seconds the window is saved as a PNG (kept in the build folder, to be
// looked at) and checked: the fleet list holds exactly the simulator's
// vehicles, the map draws them, and the basemap is there.

#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

class TestDemoScreenshot : public QObject
{
    Q_OBJECT

private:
    static bool near(QRgb a, const QColor &b, int tolerance = 6)
    {
        return std::abs(qRed(a) - b.red()) <= tolerance && std::abs(qGreen(a) - b.green()) <= tolerance
            && std::abs(qBlue(a) - b.blue()) <= tolerance;
    }

private Q_SLOTS:
    void demoWindowShowsTheSimulatedFleet()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"), "needs an X server: ctest runs this under xvfb-run");
        QTemporaryDir home;
        const QString png = QStringLiteral(FLEET_SCREENSHOT_DIR "/demo.png");
        QDir().mkpath(QStringLiteral(FLEET_SCREENSHOT_DIR));
        QFile::remove(png);

        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
        // Under the asan preset: libxkbcommon-x11, which the xcb platform uses,
        // strndup()s keymap names that are not NUL-terminated (valid with a
        // length, but strict_string_checks assumes a C string). Not our code,
        // and only the X11 child needs the exception.
        if (env.contains(QStringLiteral("ASAN_OPTIONS")))
            env.insert(QStringLiteral("ASAN_OPTIONS"),
                       env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":strict_string_checks=0"));
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        app.start(QStringLiteral(FLEETDESK_EXECUTABLE),
                  // A Wednesday at 10:00 fleet time: the picture is the same on any day.
                  {QStringLiteral("--demo"), QStringLiteral("--vehicles"), QStringLiteral("300"),
                   QStringLiteral("--fleet-start"), QStringLiteral("2026-12-02T09:00:00Z"),
                   QStringLiteral("--screenshot"), png, QStringLiteral("--screenshot-after"), QStringLiteral("12")});
        QVERIFY(app.waitForStarted());
        QVERIFY2(app.waitForFinished(120000), "fleetdesk --demo did not finish");
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        const QString out = QString::fromUtf8(app.readAllStandardOutput());
        static const QRegularExpression line(QStringLiteral(
            "screenshot .*: saved; fleet list (\\d+) vehicles \\((\\d+) with a fix\\), map (\\d+) vehicles located, "
            "simulator (\\d+) vehicles"));
        const QRegularExpressionMatch m = line.match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        const int listed = m.captured(1).toInt();
        const int withFix = m.captured(2).toInt();
        const int onMap = m.captured(3).toInt();
        const int simulated = m.captured(4).toInt();
        qInfo("fleet list %d, with a fix %d, on the map %d, simulator %d", listed, withFix, onMap, simulated);
        QCOMPARE(simulated, 300);
        QCOMPARE(listed, simulated);
        // Every vehicle with a fix is on the map; the cloud gives no position
        // for expired subscriptions, so a few of the 300 have none.
        QCOMPARE(onMap, withFix);
        QVERIFY2(withFix >= simulated * 9 / 10, qPrintable(QString::number(withFix)));

        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        // The offline basemap (no network here): its land and sea, light style.
        const QColor land(0xf2, 0xef, 0xe9), sea(0xaa, 0xd3, 0xdf);
        // Marker colours: moving, idle, parked, offline, alarm.
        const QList<QColor> markers = {QColor(0x1e, 0x9e, 0x4a), QColor(0xe8, 0xa3, 0x00), QColor(0x2f, 0x6f, 0xdb),
                                       QColor(0x8a, 0x8f, 0x98), QColor(0xd9, 0x30, 0x25)};
        qint64 basemap = 0, marked = 0;
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < rgb.height(); ++y) {
            const auto *row = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
            for (int x = 0; x < rgb.width(); ++x) {
                if (near(row[x], land) || near(row[x], sea))
                    ++basemap;
                else if (std::any_of(markers.cbegin(), markers.cend(),
                                     [&](const QColor &c) { return near(row[x], c, 10); }))
                    ++marked;
            }
        }
        const qint64 total = qint64(rgb.width()) * rgb.height();
        qInfo("basemap %.1f %% of the window, marker colours %lld px", 100.0 * basemap / total, marked);
        QVERIFY2(basemap > total / 5, "the basemap covers too little of the window");
        QVERIFY2(marked > 300 * 10, "too few marker pixels for 300 vehicles");
    }
};

QTEST_GUILESS_MAIN(TestDemoScreenshot)
#include "tst_demoscreenshot.moc"
