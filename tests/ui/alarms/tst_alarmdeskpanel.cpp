// The alarm desk panel offscreen, driven by real mouse clicks and keys: an
// alarm acknowledged with a note in two clicks (the row, the button) and its
// story shown; several rows acknowledged at once; the filters; double-click
// and Replay; the title's counts; export; cloud text shown as text; and the
// acknowledgement sent to the device, offered only where it can go.

#include "alarms/alarmdeskpanel.h"

#include "alarms/alarmmediastrip.h"
#include "alarmtestdata.h"
#include "store/storereader.h"

#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QToolButton>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace Fleet;
using namespace AlarmTest;

class TestAlarmDeskPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void acknowledgeWithANoteInTwoClicks();
    void severalAtOnceAndResolve();
    void filters();
    void doubleClickLocatesAndReplayAsks();
    void titleCounts();
    void exportWritesWhatTheFiltersMatch();
    void cloudTextIsText();
    void acknowledgeOnTheDevice();
    void savedFiltersByName();
    void onlyTheSelectedVehicle();
    void photosAndClipsOfTheSelectedAlarm();

private:
    void clickRow(int row, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    template<typename T>
    T *child(const char *name) const
    {
        return m_panel->findChild<T *>(QString::fromLatin1(name));
    }

    std::unique_ptr<Store> m_store;
    std::unique_ptr<AlarmDeskPanel> m_panel;
    ManualClock m_sessionClock{at(3600)};
};

void TestAlarmDeskPanel::init()
{
    m_store = std::make_unique<Store>();
    QVERIFY(m_store->open());
    QVERIFY(m_store->add({alarm(kVanA, QStringLiteral("1"), 0), alarm(kVanB, QStringLiteral("48"), 600),
                          alarm(kVanB, QStringLiteral("6"), 1200), alarm(kVanA, QStringLiteral("41"), 1800)}));
    m_panel = std::make_unique<AlarmDeskPanel>();
    m_panel->resize(1200, 400);
    m_panel->setClock(&m_sessionClock);
    m_panel->setView(QStringLiteral("unhandled"), QStringLiteral("all"));
    m_panel->setOperatorName(QStringLiteral("ana"));
    // The steps go to the store's writer, whose notices come back, as with a session.
    m_panel->setActionSink([this](const QList<AlarmAction> &actions) {
        IngestBatch b;
        b.alarmActions = actions;
        m_store->writer.write(b);
    });
    connect(&m_store->writer, &StoreWriter::changed, m_panel->model(), &AlarmListModel::storeChanged);
    QVERIFY(m_panel->open(m_store->path));
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QCOMPARE(m_panel->model()->rowCount(), 4);
}

void TestAlarmDeskPanel::cleanup()
{
    m_panel.reset();
    m_store.reset();
}

void TestAlarmDeskPanel::clickRow(int row, Qt::KeyboardModifiers modifiers)
{
    QTableView *view = m_panel->view();
    const QRect cell = view->visualRect(m_panel->model()->index(row, AlarmListModel::Vehicle));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers, cell.center());
}

void TestAlarmDeskPanel::acknowledgeWithANoteInTwoClicks()
{
    auto *ack = child<QPushButton>("alarmAcknowledge");
    QVERIFY(!ack->isEnabled()); // nothing selected
    // The SOS is pinned on top though it is the oldest.
    QCOMPARE(m_panel->model()->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("SOS"));
    auto *note = child<QLineEdit>("alarmNote");
    QTest::mouseClick(note, Qt::LeftButton);
    QTest::keyClicks(note, QStringLiteral("driver called, all fine"));
    clickRow(0); // click 1
    QVERIFY(ack->isEnabled());
    QVERIFY(m_panel->detailsText().startsWith(QStringLiteral("SOS — Critical")));
    QTest::mouseClick(ack, Qt::LeftButton); // click 2
    QTRY_COMPARE(m_panel->model()->index(0, AlarmListModel::State).data().toString(), QStringLiteral("Acknowledged"));
    QCOMPARE(m_panel->model()->index(0, AlarmListModel::Handler).data().toString(), QStringLiteral("ana"));
    QVERIFY(note->text().isEmpty());
    // Its story, in the details beside the list.
    QTRY_VERIFY2(m_panel->detailsText().contains(QStringLiteral("ana acknowledged: driver called, all fine")),
                 qPrintable(m_panel->detailsText()));
    StoreReader reader;
    QVERIFY(reader.open(m_store->path));
    const qint64 id = m_panel->model()->index(0, 0).data(AlarmListModel::IdRole).toLongLong();
    const QList<AlarmActionRecord> story = reader.alarmActions(id);
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.constFirst().note, QStringLiteral("driver called, all fine"));
    QCOMPARE(story.constFirst().operatorName, QStringLiteral("ana"));
    // Acknowledged, it stays unhandled (and pinned) until resolved.
    QVERIFY(!ack->isEnabled());
    QVERIFY(child<QPushButton>("alarmResolve")->isEnabled());
}

void TestAlarmDeskPanel::severalAtOnceAndResolve()
{
    clickRow(1);
    clickRow(3, Qt::ShiftModifier);
    QCOMPARE(m_panel->selectedIds().size(), 3);
    // The keyboard's way: Ctrl+K.
    QTest::keyClick(m_panel->view(), Qt::Key_K, Qt::ControlModifier);
    QTRY_COMPARE(m_panel->model()->counts().value(AlarmState::Acknowledged), 3);
    // Enter in the note field acknowledges too; Resolve takes them out of "unhandled".
    clickRow(0);
    QTest::mouseClick(child<QPushButton>("alarmResolve"), Qt::LeftButton);
    QTRY_COMPARE(m_panel->model()->rowCount(), 3);
    QTRY_COMPARE(m_panel->model()->counts().value(AlarmState::Resolved), 1); // counted at most twice a second
}

void TestAlarmDeskPanel::filters()
{
    auto *state = child<QComboBox>("alarmStateFilter");
    auto *severity = child<QComboBox>("alarmSeverityFilter");
    auto *group = child<QComboBox>("alarmGroupFilter");
    severity->setCurrentIndex(severity->findData(QStringLiteral("critical")));
    QCOMPARE(m_panel->model()->rowCount(), 1);
    severity->setCurrentIndex(severity->findData(QStringLiteral("warning")));
    QCOMPARE(m_panel->model()->rowCount(), 3);
    severity->setCurrentIndex(0);
    group->setCurrentIndex(group->findData(QStringLiteral("g2")));
    QCOMPARE(m_panel->model()->rowCount(), 2);
    group->setCurrentIndex(0);
    state->setCurrentIndex(state->findData(QStringLiteral("resolved")));
    QCOMPARE(m_panel->model()->rowCount(), 0);
    state->setCurrentIndex(state->findData(QStringLiteral("all")));
    // Typed search: the name on screen ("Sudden deceleration") finds code 48.
    auto *search = child<QLineEdit>("alarmSearch");
    QTest::mouseClick(search, Qt::LeftButton);
    QTest::keyClicks(search, QStringLiteral("sudden dec"));
    QTRY_COMPARE(m_panel->model()->rowCount(), 1);
    QCOMPARE(m_panel->model()->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("Sudden deceleration"));
    m_panel->setSearchText(QStringLiteral("AB-101"));
    QTRY_COMPARE(m_panel->model()->rowCount(), 2);
    // The period counts back from the session's time.
    m_panel->setSearchText({});
    m_panel->setView(QStringLiteral("all"), QStringLiteral("day"));
    QCOMPARE(m_panel->model()->rowCount(), 4);
    m_sessionClock.set(at(86400 + 1000)); // a day later: only what came after 1000 s
    m_panel->setView(QStringLiteral("all"), QStringLiteral("week"));
    m_panel->setView(QStringLiteral("all"), QStringLiteral("day"));
    QCOMPARE(m_panel->model()->rowCount(), 2);
}

void TestAlarmDeskPanel::doubleClickLocatesAndReplayAsks()
{
    QSignalSpy located(m_panel.get(), &AlarmDeskPanel::locateRequested);
    QSignalSpy replay(m_panel.get(), &AlarmDeskPanel::replayRequested);
    QTableView *view = m_panel->view();
    const QRect cell = view->visualRect(m_panel->model()->index(0, AlarmListModel::Place));
    // A double-click as a mouse makes it: a click, then the second press.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
    QCOMPARE(located.size(), 1);
    QCOMPARE(located.at(0).at(0).toString(), kVanA);
    QCOMPARE(located.at(0).at(1).toDouble(), 48.85);
    QCOMPARE(located.at(0).at(2).toDouble(), 2.35);
    QVERIFY(located.at(0).at(3).toBool());
    clickRow(0);
    QTest::mouseClick(child<QPushButton>("alarmReplay"), Qt::LeftButton);
    QCOMPARE(replay.size(), 1);
    QCOMPARE(replay.at(0).at(0).toString(), kVanA);
    QCOMPARE(replay.at(0).at(1).toDateTime(), at(-600));
    QCOMPARE(replay.at(0).at(2).toDateTime(), at(300));
}

void TestAlarmDeskPanel::titleCounts()
{
    QSignalSpy titles(m_panel.get(), &AlarmDeskPanel::titleChanged);
    QTRY_COMPARE(m_panel->titleText(), QStringLiteral("Alarms — 4 new"));
    clickRow(0);
    QTest::mouseClick(child<QPushButton>("alarmAcknowledge"), Qt::LeftButton);
    QTRY_COMPARE(m_panel->titleText(), QStringLiteral("Alarms — 3 new, 1 acknowledged"));
    QVERIFY(!titles.isEmpty());
    QCOMPARE(titles.constLast().at(0).toString(), m_panel->titleText());
}

void TestAlarmDeskPanel::exportWritesWhatTheFiltersMatch()
{
    m_panel->model()->setPageSize(1); // only a page loaded: the export reads all
    m_panel->setSearchText(QStringLiteral("AB-202"));
    const QString path = m_store->dir.filePath(QStringLiteral("alarms.csv"));
    QString error;
    QVERIFY2(m_panel->exportCsv(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(1).contains(",860000000000202,VAN-202,AB-202,South depot,6,Overspeed (terminal),warning,"));
    QVERIFY(!m_panel->exportCsv(m_store->dir.filePath(QStringLiteral("no/such/dir/a.csv")), &error));
    QVERIFY(!error.isEmpty());
}

void TestAlarmDeskPanel::cloudTextIsText()
{
    const QString html = QStringLiteral("<img src=x onerror=alert(1)><b>bold</b>");
    Alarm a = alarm(QStringLiteral("869999999999999"), QStringLiteral("777"), 2400, html);
    a.deviceName = html;
    a.driverName = html;
    QVERIFY(m_store->add({a}));
    QTRY_COMPARE(m_panel->model()->rowCount(), 5);
    clickRow(1); // the SOS is pinned; this is the newest of the rest
    QTRY_VERIFY(m_panel->detailsText().contains(QStringLiteral("Driver: ") + html));
    QVERIFY(m_panel->detailsText().contains(QStringLiteral("This IMEI is not among the account's devices.")));
    auto *note = child<QLineEdit>("alarmNote");
    QTest::mouseClick(note, Qt::LeftButton);
    QTest::keyClicks(note, html);
    QTest::mouseClick(child<QPushButton>("alarmAddNote"), Qt::LeftButton);
    QTRY_VERIFY(m_panel->detailsText().contains(QStringLiteral("ana added a note: ") + html));
    // The details are a plain-text editor: nothing there is markup.
    QCOMPARE(child<QPlainTextEdit>("alarmDetails")->document()->toPlainText(), m_panel->detailsText());
}




void TestAlarmDeskPanel::acknowledgeOnTheDevice()
{
    // A dashcam's SOS, repeated within the fold window, each with the
    // device's serial number.
    Alarm first = alarm(kVanB, QStringLiteral("1"), 2400);
    first.serialNo = 10;
    Alarm repeat = alarm(kVanB, QStringLiteral("1"), 2420);
    repeat.serialNo = 11;
    QVERIFY(m_store->add({first, repeat}));
    QTRY_COMPARE(m_panel->model()->rowCount(), 5);
    auto *button = child<QPushButton>("alarmDeviceAck");
    QVERIFY(!button->isVisibleTo(m_panel.get())); // no gateway: not offered

    QList<DeviceAckRequest> sent;
    m_panel->setDeviceAckSink([this, &sent](const DeviceAckRequest &request) {
        sent.append(request);
        // As a session would: the sending and the gateway's answer through the writer.
        AlarmDeviceAck ack;
        ack.requestKey = QStringLiteral("r%1").arg(sent.size());
        ack.alarmId = request.alarmId;
        ack.serialNo = request.serialNo;
        ack.operatorName = request.operatorName;
        ack.at = at(3000);
        IngestBatch b;
        b.alarmDeviceAcks.append(ack);
        ack.result = DeviceAckResult::Offline;
        ack.code = 300;
        ack.message = QStringLiteral("Device <b>offline</b>");
        b.alarmDeviceAcks.append(ack);
        QVERIFY(m_store->write(b));
        m_panel->deviceAckAnswered(ack);
    });
    QVERIFY(button->isVisibleTo(m_panel.get()));

    int foldRow = -1;
    for (int r = 0; r < m_panel->model()->rowCount(); ++r) {
        if (m_panel->model()->rowAt(r)->count == 2)
            foldRow = r;
    }
    QVERIFY(foldRow >= 0);
    int plainSos = -1;
    for (int r = 0; r < m_panel->model()->rowCount(); ++r) {
        if (m_panel->model()->rowAt(r)->alarm.imei == kVanA && m_panel->model()->rowAt(r)->alarm.typeId == QLatin1String("1"))
            plainSos = r;
    }
    QVERIFY(plainSos >= 0);
    clickRow(plainSos);
    QVERIFY(!button->isEnabled()); // no serial number
    clickRow(foldRow);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(sent.size(), 1);
    // The fold's newest alarm, by the operator acting.
    QCOMPARE(sent.at(0).serialNo, 11);
    QCOMPARE(sent.at(0).imei, kVanB);
    QCOMPARE(sent.at(0).operatorName, QStringLiteral("ana"));
    QVERIFY(sent.at(0).alarmId != m_panel->model()->rowAt(foldRow)->id);
    // The answer is said as it came, as text, and kept in the story.
    auto *status = child<QLabel>("alarmDeviceAckStatus");
    QCOMPARE(status->textFormat(), Qt::PlainText);
    QVERIFY2(status->text().contains(QStringLiteral("serial 11): the device is offline (300): Device <b>offline</b>")),
             qPrintable(status->text()));
    QTRY_VERIFY2(m_panel->detailsText().contains(QStringLiteral(
                     "ana sent the acknowledgement to the device (serial 11): the device is offline (300)")),
                 qPrintable(m_panel->detailsText()));
    // Nothing about the desk's state changed.
    QCOMPARE(m_panel->model()->rowAt(foldRow)->state, AlarmState::New);

    // With several rows selected nothing is sent: an acknowledgement names one alarm.
    clickRow(plainSos, Qt::ControlModifier);
    QVERIFY(!button->isEnabled());
    QVERIFY(!m_panel->ackSelectedOnDevice());
    QCOMPARE(sent.size(), 1);

    // A polled alarm has no serial number; the push of the same alarm brings it.
    Alarm polled = alarm(kVanA, QStringLiteral("48"), 3000);
    QVERIFY(m_store->add({polled}));
    QTRY_COMPARE(m_panel->model()->rowCount(), 6);
    const auto rowOfPolled = [this] {
        for (int r = 0; r < m_panel->model()->rowCount(); ++r) {
            if (m_panel->model()->rowAt(r)->alarm.time == at(3000))
                return r;
        }
        return -1;
    };
    clickRow(rowOfPolled());
    QVERIFY(!button->isEnabled());
    polled.serialNo = 42;
    QVERIFY(m_store->add({polled}));
    QTRY_VERIFY(m_panel->model()->rowAt(rowOfPolled())->alarm.serialNo.has_value());
    QTRY_VERIFY(button->isEnabled());
}

void TestAlarmDeskPanel::savedFiltersByName()
{
    QSignalSpy changed(m_panel.get(), &AlarmDeskPanel::savedFiltersChanged);
    auto *saved = child<QComboBox>("alarmSavedFilters");
    QVERIFY(!saved->isEnabled()); // none yet
    QVERIFY(!child<QToolButton>("alarmDeleteFilters")->isEnabled());

    // Critical alarms only, then "Save…": the name asked for in a dialog.
    auto *severity = child<QComboBox>("alarmSeverityFilter");
    severity->setFocus();
    QTest::keyClick(severity, Qt::Key_Down); // Any severity -> Critical
    QCOMPARE(severity->currentData().toString(), QStringLiteral("critical"));
    QTRY_COMPARE(m_panel->model()->rowCount(), 1);
    QTimer::singleShot(0, this, [] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto *name = dialog->findChild<QLineEdit *>();
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("<b>Criticals</b>"));
        QTest::keyClick(name, Qt::Key_Return);
    });
    QTest::mouseClick(child<QToolButton>("alarmSaveFilters"), Qt::LeftButton);
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(m_panel->savedFilters().size(), 1);
    const SavedAlarmFilter criticals = m_panel->savedFilters().constFirst();
    QCOMPARE(criticals.name, QStringLiteral("<b>Criticals</b>"));
    QCOMPARE(criticals.severity, QStringLiteral("critical"));
    QCOMPARE(criticals.state, QStringLiteral("unhandled"));
    QCOMPARE(saved->currentText(), criticals.name);

    // Other filters: the name is no longer shown; a second set is saved.
    QTest::keyClick(severity, Qt::Key_Up); // Any severity
    QTRY_COMPARE(m_panel->model()->rowCount(), 4);
    QCOMPARE(saved->currentIndex(), 0);
    m_panel->setSearchText(QStringLiteral("VAN-202"));
    QVERIFY(m_panel->saveFiltersAs(QStringLiteral("Van B")));
    QCOMPARE(changed.size(), 2);
    m_panel->setSearchText(QString());

    // Choosing a name (keys on the combo box) brings its filters back.
    saved->setFocus();
    QTest::keyClick(saved, Qt::Key_Home);
    QTest::keyClick(saved, Qt::Key_Down);
    QCOMPARE(saved->currentText(), criticals.name);
    QCOMPARE(severity->currentData().toString(), QStringLiteral("critical"));
    QTRY_COMPARE(m_panel->model()->rowCount(), 1);
    QCOMPARE(m_panel->currentFilters(criticals.name), criticals);

    // Saving under a name that exists replaces it; deleting removes it.
    QVERIFY(m_panel->applySavedFilter(QStringLiteral("Van B")));
    QCOMPARE(child<QLineEdit>("alarmSearch")->text(), QStringLiteral("VAN-202"));
    QVERIFY(m_panel->saveFiltersAs(QStringLiteral("Van B")));
    QCOMPARE(m_panel->savedFilters().size(), 2);
    QVERIFY(child<QToolButton>("alarmDeleteFilters")->isEnabled());
    QTest::mouseClick(child<QToolButton>("alarmDeleteFilters"), Qt::LeftButton);
    QCOMPARE(m_panel->savedFilters().size(), 1);
    QCOMPARE(changed.constLast().at(0).value<QList<SavedAlarmFilter>>(), m_panel->savedFilters());
    QVERIFY(!m_panel->applySavedFilter(QStringLiteral("Van B")));
    QVERIFY(!m_panel->saveFiltersAs(QStringLiteral("   ")));
    // A name like the box's title is still a name of its own.
    QVERIFY(m_panel->saveFiltersAs(saved->itemText(0)));
    QCOMPARE(saved->currentIndex(), 2);
    QVERIFY(m_panel->applySavedFilter(saved->itemText(0)));
    QCOMPARE(saved->currentIndex(), 2);
    QVERIFY(m_panel->deleteSavedFilter(saved->itemText(2)));
    QCOMPARE(m_panel->savedFilters().size(), 1);
}

void TestAlarmDeskPanel::onlyTheSelectedVehicle()
{
    auto *only = child<QToolButton>("alarmVehicleOnly");
    QVERIFY(!only->isEnabled()); // no vehicle selected
    const auto imeis = [this] {
        QSet<QString> seen;
        for (int r = 0; r < m_panel->model()->rowCount(); ++r)
            seen.insert(m_panel->model()->index(r, 0).data(AlarmListModel::ImeiRole).toString());
        return seen;
    };
    QCOMPARE(imeis(), (QSet<QString>{kVanA, kVanB}));
    // The cloud's name: no mnemonic from '&', no markup in the tooltip.
    m_panel->setSelectedVehicle(kVanB, QStringLiteral("<b>Vans & co</b>"));
    QCOMPARE(only->text(), QStringLiteral("Only <b>Vans && co</b>"));
    QVERIFY(only->toolTip().contains(QStringLiteral("&lt;b&gt;Vans &amp; co&lt;/b&gt;")));
    m_panel->setSelectedVehicle(kVanB, QStringLiteral("VAN-202"));
    QVERIFY(only->isEnabled());
    QCOMPARE(only->text(), QStringLiteral("Only VAN-202"));
    QTest::mouseClick(only, Qt::LeftButton);
    QVERIFY(m_panel->vehicleOnly());
    QCOMPARE(imeis(), QSet<QString>{kVanB});
    QCOMPARE(m_panel->model()->rowCount(), 2);
    // It follows the selection while on.
    m_panel->setSelectedVehicle(kVanA, QStringLiteral("VAN-101"));
    QCOMPARE(imeis(), QSet<QString>{kVanA});
    // No selection: off, every vehicle again.
    m_panel->setSelectedVehicle(QString(), QString());
    QVERIFY(!m_panel->vehicleOnly());
    QVERIFY(!only->isEnabled());
    QCOMPARE(imeis(), (QSet<QString>{kVanA, kVanB}));
}

QTEST_MAIN(TestAlarmDeskPanel)
void TestAlarmDeskPanel::photosAndClipsOfTheSelectedAlarm()
{
    // A dashcam's harsh braking names its clip; the cloud lists a photo and
    // that clip for it, and a photo of another alarm a minute later.
    Alarm braking = alarm(kVanB, QStringLiteral("48"), 2400);
    braking.mediaFile = QStringLiteral("VANB_EVENT_48_1.mp4");
    QVERIFY(m_store->add({braking}));
    QTRY_COMPARE(m_panel->model()->rowCount(), 5);
    AlarmMediaStrip *strip = m_panel->mediaStrip();
    QTemporaryDir cache;
    strip->setCacheDirectory(cache.path());
    auto *ask = strip->findChild<QPushButton *>(QStringLiteral("alarmMediaAsk"));
    QVERIFY(ask);

    // Without a session: the store's media alone, nothing to ask.
    int row = -1;
    for (int r = 0; r < m_panel->model()->rowCount(); ++r) {
        if (m_panel->model()->rowAt(r)->alarm.mediaFile == braking.mediaFile)
            row = r;
    }
    QVERIFY(row >= 0);
    clickRow(row);
    QCOMPARE(strip->count(), 0);
    QCOMPARE(strip->statusText(), QStringLiteral("No photos or clips for this alarm."));
    QVERIFY(!ask->isVisibleTo(m_panel.get()));

    QList<AlarmMediaRequest> asked;
    m_panel->setMediaSink([&asked](const AlarmMediaRequest &r) { asked.append(r); });
    QVERIFY(ask->isVisibleTo(m_panel.get()));
    clickRow(row == 0 ? 1 : 0);
    QVERIFY(asked.isEmpty()); // that alarm names no file: asked only on request
    clickRow(row);
    // Named a file: looked up at once, for the alarm's minute around it.
    QCOMPARE(asked.size(), 1);
    const qint64 id = m_panel->model()->rowAt(row)->id;
    QCOMPARE(asked.constFirst().alarmId, id);
    QCOMPARE(asked.constFirst().imei, kVanB);
    QCOMPARE(asked.constFirst().from, at(2400 - kAlarmMediaWindowSecs));
    QCOMPARE(asked.constFirst().to, at(2400 + kAlarmMediaWindowSecs));
    QCOMPARE(strip->statusText(), QStringLiteral("Asking the cloud for photos and clips…"));

    // The session stores what the cloud listed, then answers.
    const auto file = [](const QString &key, const QString &type) {
        MediaFile f;
        f.mediaType = type;
        f.mimeType = type == QLatin1String("2") ? QStringLiteral("video/mp4") : QStringLiteral("image/jpeg");
        // Nowhere: the thumbnails stay placeholders.
        f.fileUrl = QStringLiteral("http://127.0.0.1:9/normal/get?fileKey=") + key;
        f.thumbUrl = f.fileUrl + QStringLiteral("&thumb=1");
        return f;
    };
    MediaEvent event;
    event.imei = kVanB;
    event.eventTypeId = QStringLiteral("48");
    event.alarmTime = at(2400);
    event.files = {file(QStringLiteral("VANB_EVENT_48_1.jpg"), QStringLiteral("1")),
                   file(braking.mediaFile, QStringLiteral("2"))};
    MediaEvent later = event;
    later.alarmTime = at(2400 + 120);
    later.files = {file(QStringLiteral("LATER.jpg"), QStringLiteral("1"))};
    IngestBatch b;
    b.mediaEvents = {event, later};
    QVERIFY(m_store->write(b));
    m_panel->alarmMediaFetched(AlarmMediaOutcome{id, 3, QString()});
    QCOMPARE(strip->count(), 2);
    QCOMPARE(strip->list()->item(0)->text(), QStringLiteral("Photo"));
    QCOMPARE(strip->list()->item(1)->text(), QStringLiteral("Clip"));
    QCOMPARE(strip->statusText(), QStringLiteral("2 photo(s) or clip(s); double-click one to open it."));

    // Shown again: not asked again; another alarm's answer changes nothing.
    clickRow(row == 0 ? 1 : 0);
    QCOMPARE(strip->count(), 0);
    m_panel->alarmMediaFetched(AlarmMediaOutcome{id, 3, QString()});
    QCOMPARE(strip->count(), 0);
    clickRow(row);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(strip->count(), 2);

    // On request, again; the cloud's error is said as it came, as text.
    QTest::mouseClick(ask, Qt::LeftButton);
    QCOMPARE(asked.size(), 2);
    QTest::mouseClick(ask, Qt::LeftButton); // still asking: once
    QCOMPARE(asked.size(), 2);
    m_panel->alarmMediaFetched(AlarmMediaOutcome{id, 0, QStringLiteral("<b>1004</b> busy")});
    QCOMPARE(strip->statusText(), QStringLiteral("The cloud's list could not be read whole: <b>1004</b> busy"));
    auto *status = strip->findChild<QLabel *>(QStringLiteral("alarmMediaStatus"));
    QCOMPARE(status->textFormat(), Qt::PlainText);
    QCOMPARE(strip->count(), 2); // what the store has stays

    // A session that ends while it is asked never answers: the next one is asked afresh.
    QTest::mouseClick(ask, Qt::LeftButton);
    QCOMPARE(asked.size(), 3);
    QCOMPARE(strip->statusText(), QStringLiteral("Asking the cloud for photos and clips…"));
    m_panel->setMediaSink([&asked](const AlarmMediaRequest &r) { asked.append(r); });
    QCOMPARE(strip->statusText(), QString());
    QTest::mouseClick(ask, Qt::LeftButton);
    QCOMPARE(asked.size(), 4);
}

#include "tst_alarmdeskpanel.moc"
