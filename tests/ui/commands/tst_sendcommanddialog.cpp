// "Send command…" offscreen, with real mouse clicks and keys: the model's
// list (ours marked), a typed form per template, values checked as typed and
// sent as typed, the raw tab, the confirmation of a dangerous command (the
// vehicles, the command, what it does, who is moving), a selection of two
// models, and each vehicle's answer as it comes.

#include "commands/sendcommanddialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QtTest>

using namespace Fleet;

namespace {

CommandTemplate tmpl(const QString &id, const QString &name, const QString &content, const QString &explain = {})
{
    CommandTemplate t;
    t.id = id;
    t.name = name;
    t.content = content;
    t.explain = explain;
    t.offlineCapable = true;
    return t;
}

const QString kVan = QStringLiteral("862102278866018");
const QString kVl = QStringLiteral("868256673403902");

QList<CommandTemplate> trackerList()
{
    return {tmpl(QStringLiteral("99"), QStringLiteral("User-defined command"), QStringLiteral("{0}")),
            tmpl(QStringLiteral("163"), QStringLiteral("Fuel/Power Remote Control"), QStringLiteral("RELAY,{0}#"),
                 QStringLiteral("1: cut off; 0: restore")),
            tmpl(QStringLiteral("81"), QStringLiteral("SOS setting"), QStringLiteral("SOS,A,{0},{1},{2}#")),
            tmpl(QStringLiteral("32"), QStringLiteral("Upload interval"), QStringLiteral("TIMER,{0},{1}#")),
            tmpl(QStringLiteral("149"), QStringLiteral("Family numbers"), QStringLiteral("FN&&A&&{0}&&{1}##"))};
}

QList<CommandTemplate> vlList()
{
    return {tmpl(QStringLiteral("96"), QStringLiteral("User-defined command"), QStringLiteral("{0}")),
            tmpl(QStringLiteral("113"), QStringLiteral("Cut off fuel"), QStringLiteral("RELAY,1#")),
            tmpl(QStringLiteral("114"), QStringLiteral("Restore fuel"), QStringLiteral("RELAY,0#"))};
}

} // namespace

class TestSendCommandDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void asksForEveryModelsList();
    void listShowsTheCloudsAndOurs();
    void fuelCutIsConfirmedAndSentToBothModels();
    void declinedConfirmationSendsNothing();
    void valuesAreCheckedAsTyped();
    void textValuesAreSentAsTyped();
    void rawTabTakesHex();
    void answersShowPerVehicle();
    void cloudErrorIsShown();

private:
    std::unique_ptr<SendCommandDialog> dialog(bool twoModels = false)
    {
        QList<CommandTarget> targets{{kVan, QStringLiteral("VAN-001"), QStringLiteral("GT06N"), 54.0}};
        if (twoModels)
            targets.append({kVl, QStringLiteral("VAN-002"), QStringLiteral("VL802"), 0.0});
        auto d = std::make_unique<SendCommandDialog>(targets);
        d->setOperatorName(QStringLiteral("Dana"));
        d->show();
        d->start();
        d->templatesLoaded(kVan, trackerList(), {});
        if (twoModels)
            d->templatesLoaded(kVl, vlList(), {});
        return d;
    }
    // Types text key by key; what has no key of its own (ü, ß) comes as the
    // text of a key event, as an input method sends it.
    static void typeText(QWidget *w, const QString &text)
    {
        for (const QChar c : text) {
            if (c.unicode() < 0x80) {
                QTest::keyClick(w, char(c.unicode()));
                continue;
            }
            QKeyEvent press(QEvent::KeyPress, Qt::Key_unknown, Qt::NoModifier, QString(c));
            QApplication::sendEvent(w, &press);
            QKeyEvent release(QEvent::KeyRelease, Qt::Key_unknown, Qt::NoModifier, QString(c));
            QApplication::sendEvent(w, &release);
        }
    }
    // Clicks the list's row whose text starts with name.
    static bool choose(SendCommandDialog &d, const QString &name)
    {
        QListWidget *list = d.commandList();
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->text().startsWith(name)) {
                const QRect r = list->visualItemRect(list->item(i));
                QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, r.center());
                return list->currentRow() == i;
            }
        }
        return false;
    }
};

void TestSendCommandDialog::asksForEveryModelsList()
{
    QList<CommandTarget> targets{{kVan, QStringLiteral("VAN-001"), QStringLiteral("GT06N"), {}},
                                 {QStringLiteral("864270299568638"), QStringLiteral("VAN-003"), QStringLiteral("GT06N"), {}},
                                 {kVl, QStringLiteral("VAN-002"), QStringLiteral("VL802"), {}}};
    SendCommandDialog d(targets);
    d.show();
    QSignalSpy wanted(&d, &SendCommandDialog::templatesWanted);
    d.start();
    QCOMPARE(wanted.size(), 2); // once per model
    QCOMPARE(wanted.at(0).at(1).toString(), QStringLiteral("GT06N"));
    QCOMPARE(wanted.at(1).at(1).toString(), QStringLiteral("VL802"));
    QVERIFY(!wanted.at(0).at(2).toBool());
    // Nothing can be sent before the lists are in.
    QVERIFY(!d.sendButton()->isEnabled());
    // "Refresh list" asks the cloud again.
    QTest::mouseClick(d.findChild<QPushButton *>(QStringLiteral("refreshList")), Qt::LeftButton);
    QCOMPARE(wanted.size(), 4);
    QVERIFY(wanted.at(2).at(2).toBool());
}

void TestSendCommandDialog::listShowsTheCloudsAndOurs()
{
    auto d = dialog();
    QStringList rows;
    for (int i = 0; i < d->commandList()->count(); ++i)
        rows.append(d->commandList()->item(i)->text());
    // The cloud's, then ours the list lacks (RELAY,{0}# covers cut and restore).
    QCOMPARE(rows.mid(0, 5), (QStringList{QStringLiteral("User-defined command"),
                                          QStringLiteral("Fuel/Power Remote Control"), QStringLiteral("SOS setting"),
                                          QStringLiteral("Upload interval"), QStringLiteral("Family numbers")}));
    QVERIFY(rows.contains(QStringLiteral("Ask for the status (FleetDesk)")));
    QVERIFY(!rows.contains(QStringLiteral("Cut fuel/power (FleetDesk)")));
    QVERIFY(choose(*d, QStringLiteral("Ask for the status")));
    QVERIFY(d->findChild<QLabel *>(QStringLiteral("sourceLabel"))->text().contains(QLatin1String("not from the cloud")));
    QCOMPARE(d->previewLabel()->text(), QStringLiteral("The device gets: STATUS#"));
    // The filter narrows the list.
    QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("commandFilter")), QStringLiteral("relay"));
    QCOMPARE(d->commandList()->count(), 1);
}

void TestSendCommandDialog::fuelCutIsConfirmedAndSentToBothModels()
{
    auto d = dialog(true);
    QString title, text, confirm;
    d->setConfirmer([&](const QString &t, const QString &body, const QString &c) {
        title = t;
        text = body;
        confirm = c;
        return true;
    });
    QSignalSpy sent(d.get(), &SendCommandDialog::sendRequested);
    QVERIFY(choose(*d, QStringLiteral("Fuel/Power Remote Control")));
    auto *relay = qobject_cast<QComboBox *>(d->field(0));
    QVERIFY(relay);
    QCOMPARE(relay->currentData().toString(), QStringLiteral("1")); // cut off, as listed first
    QCOMPARE(d->previewLabel()->text(), QStringLiteral("The device gets: RELAY,1#"));
    QTest::mouseClick(d->sendButton(), Qt::LeftButton);

    QCOMPARE(title, QStringLiteral("Cut the fuel or power?"));
    QCOMPARE(confirm, QStringLiteral("Cut fuel on 2 vehicle(s)"));
    QVERIFY2(text.contains(QStringLiteral("Command: RELAY,1# (Fuel/Power Remote Control)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Vehicles (2): VAN-001, VAN-002")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("the engine stops")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Moving faster than 20 km/h now: VAN-001 (54 km/h)")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("VAN-002 (")), qPrintable(text));

    // One order per model: the tracker's template 163 with "1", the VL802's
    // fixed RELAY,1# template.
    QCOMPARE(sent.size(), 2);
    const auto first = sent.at(0).at(0).value<CommandOrder>();
    const auto second = sent.at(1).at(0).value<CommandOrder>();
    QCOMPARE(first.imeis, QStringList{kVan});
    QCOMPARE(first.entry.tmpl.id, QStringLiteral("163"));
    QCOMPARE(first.values, QStringList{QStringLiteral("1")});
    QVERIFY(first.confirmed);
    QCOMPARE(first.operatorName, QStringLiteral("Dana"));
    QCOMPARE(second.imeis, QStringList{kVl});
    QCOMPARE(second.entry.tmpl.id, QStringLiteral("113"));
    QVERIFY(second.values.isEmpty());
    QVERIFY(second.confirmed);
    QCOMPARE(d->resultsTable()->rowCount(), 2);
}

void TestSendCommandDialog::declinedConfirmationSendsNothing()
{
    auto d = dialog();
    int asked = 0;
    d->setConfirmer([&](const QString &, const QString &, const QString &) {
        ++asked;
        return false;
    });
    QSignalSpy sent(d.get(), &SendCommandDialog::sendRequested);
    QVERIFY(choose(*d, QStringLiteral("Fuel/Power Remote Control")));
    QTest::mouseClick(d->sendButton(), Qt::LeftButton);
    QCOMPARE(asked, 1);
    QCOMPARE(sent.size(), 0);
    QCOMPARE(d->statusLabel()->text(), QStringLiteral("Not sent."));
    // Restoring is not dangerous: no question.
    auto *relay = qobject_cast<QComboBox *>(d->field(0));
    relay->setFocus();
    QTest::keyClick(relay, Qt::Key_Down);
    QCOMPARE(d->previewLabel()->text(), QStringLiteral("The device gets: RELAY,0#"));
    QTest::mouseClick(d->sendButton(), Qt::LeftButton);
    QCOMPARE(asked, 1);
    QCOMPARE(sent.size(), 1);
    QVERIFY(!sent.first().first().value<CommandOrder>().confirmed);
}

void TestSendCommandDialog::valuesAreCheckedAsTyped()
{
    auto d = dialog();
    QVERIFY(choose(*d, QStringLiteral("SOS setting")));
    auto *first = qobject_cast<QLineEdit *>(d->field(0));
    QVERIFY(first);
    QVERIFY(d->sendButton()->isEnabled()); // empty numbers clear their slots
    QTest::keyClicks(first, QStringLiteral("12ab"));
    QVERIFY(!d->issueLabel(0)->isHidden());
    QCOMPARE(d->issueLabel(0)->text(), QStringLiteral("A phone number: digits, with + first for an international one."));
    QVERIFY(!d->sendButton()->isEnabled());
    first->clear();
    QTest::keyClicks(first, QStringLiteral("+8613800000000"));
    QVERIFY(d->issueLabel(0)->isHidden());
    QVERIFY(d->sendButton()->isEnabled());
    QCOMPARE(d->previewLabel()->text(), QStringLiteral("The device gets: SOS,A,+8613800000000,,#"));

    // Numbers within the device's range, with their unit.
    QVERIFY(choose(*d, QStringLiteral("Upload interval")));
    auto *interval = qobject_cast<QSpinBox *>(d->field(0));
    QVERIFY(interval);
    QCOMPARE(interval->minimum(), 5);
    QCOMPARE(interval->maximum(), 18000);
    QCOMPARE(interval->suffix(), QStringLiteral(" s"));

    // The user-defined command needs its text.
    QVERIFY(choose(*d, QStringLiteral("User-defined command")));
    QVERIFY(!d->sendButton()->isEnabled());
    QCOMPARE(d->issueLabel(0)->text(), QStringLiteral("Required."));
}

void TestSendCommandDialog::textValuesAreSentAsTyped()
{
    auto d = dialog();
    // A template the cloud describes with nothing: a field per placeholder.
    QVERIFY(choose(*d, QStringLiteral("Family numbers")));
    QVERIFY(d->field(0) && d->field(1));
    const QString odd = QStringLiteral("Grüß, \"A\"#1");
    typeText(d->field(0), odd);
    QCOMPARE(qobject_cast<QLineEdit *>(d->field(0))->text(), odd);
    QCOMPARE(d->previewLabel()->text(), QStringLiteral("The device gets: FN&&A&&%1&&##").arg(odd));
    QSignalSpy sent(d.get(), &SendCommandDialog::sendRequested);
    QTest::mouseClick(d->sendButton(), Qt::LeftButton);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().first().value<CommandOrder>().values, (QStringList{odd, QString()}));
}

void TestSendCommandDialog::rawTabTakesHex()
{
    auto d = dialog();
    d->tabs()->setCurrentIndex(1);
    QTest::keyClicks(d->rawField(), QStringLiteral("0b 02 c"));
    QVERIFY(!d->sendButton()->isEnabled());
    QTest::keyClicks(d->rawField(), QStringLiteral("3"));
    QVERIFY(d->sendButton()->isEnabled());
    QSignalSpy sent(d.get(), &SendCommandDialog::sendRequested);
    QTest::keyClick(d->rawField(), Qt::Key_Return); // the default button
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().first().value<CommandOrder>().rawHex, QStringLiteral("0b 02 c3"));
}

void TestSendCommandDialog::answersShowPerVehicle()
{
    auto d = dialog(true);
    QVERIFY(choose(*d, QStringLiteral("Ask for the status")));
    QTest::mouseClick(d->sendButton(), Qt::LeftButton);
    d->batchStarted(QStringLiteral("b1"));
    CommandRecord r;
    r.batchKey = QStringLiteral("b1");
    r.imei = kVl;
    r.state = CommandState::Answered;
    r.reply = QStringLiteral("<b>Battery:100%</b>");
    d->commandUpdated(r);
    CommandRecord other = r;
    other.batchKey = QStringLiteral("someone else's");
    other.imei = kVan;
    d->commandUpdated(other);
    QTableWidget *t = d->resultsTable();
    QCOMPARE(t->rowCount(), 2);
    QCOMPARE(t->item(0, 1)->text(), QStringLiteral("Sending"));
    QCOMPARE(t->item(1, 1)->text(), QStringLiteral("Answered"));
    QCOMPARE(t->item(1, 2)->text(), QStringLiteral("<b>Battery:100%</b>")); // as text
    d->progress(QStringLiteral("b1"), 2, 2);
    QVERIFY(d->statusLabel()->text().startsWith(QLatin1String("Sent to 2 vehicle(s).")));
}

void TestSendCommandDialog::cloudErrorIsShown()
{
    SendCommandDialog d({{kVan, QStringLiteral("VAN-001"), QStringLiteral("GT06N"), {}}});
    d.templatesLoaded(kVan, {}, QStringLiteral("Illegal device"));
    QCOMPARE(d.statusLabel()->text(), QStringLiteral("The cloud did not give the command list: Illegal device"));
    QCOMPARE(d.commandList()->count(), 0);
    d.refused(CommandRefusal{CommandRefusal::Kind::NoGateway, {}});
    QVERIFY(d.statusLabel()->text().startsWith(QLatin1String("Not sent: This command needs the account's")));
}

QTEST_MAIN(TestSendCommandDialog)
#include "tst_sendcommanddialog.moc"
