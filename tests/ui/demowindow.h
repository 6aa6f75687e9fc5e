#pragma once

// A real main window on the demo's simulated cloud (8 vehicles, seed 4 unless said), its
// fleet time pinned: what the workflow tests drive. Made in two steps, so a
// test sets its settings first; the test starts the session.

#include "app/mainwindow.h"
#include "democloud.h"
#include "settings/appsettings.h"
#include "sync/livesession.h"

#include <QSettings>
#include <QTemporaryDir>

#include <memory>

namespace DemoTest {

struct DemoWindow
{
    QTemporaryDir dir;
    std::unique_ptr<Fleet::AppSettings> settings = std::make_unique<Fleet::AppSettings>(
        std::make_unique<QSettings>(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
    std::shared_ptr<Fleet::Demo::DemoCloud> demo;
    std::unique_ptr<Fleet::LiveSession> session;
    std::unique_ptr<Fleet::MainWindow> window;
    // The cloud's command result lag and the session's command polling (set before build()).
    int commandResultLagSecs = 60;
    int commandPollMs = 15000;

    // The cloud, a session on demo.sqlite (back-fill one hour) and the window attached to it.
    void build(const QDateTime &fleetStart, quint64 seed = 4)
    {
        Fleet::Demo::DemoSettings d;
        d.vehicles = 8;
        d.seed = seed;
        d.fleetStart = fleetStart;
        d.commandResultLagSecs = commandResultLagSecs;
        demo = std::make_shared<Fleet::Demo::DemoCloud>(d);
        Fleet::SessionSettings s;
        s.embeddedCloud = demo;
        s.databasePath = dir.filePath(QStringLiteral("demo.sqlite"));
        s.schedule.backfillHours = 1;
        s.commandPollMs = commandPollMs;
        session = std::make_unique<Fleet::LiveSession>(s);
        window = std::make_unique<Fleet::MainWindow>(settings.get());
        window->attachSession(session.get(), QStringLiteral("test"));
    }

    ~DemoWindow()
    {
        window.reset();
        session.reset();
    }
};

} // namespace DemoTest
