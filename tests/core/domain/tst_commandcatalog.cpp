// The "Send command" form: placeholders to typed fields, validation before
// anything is sent, the text filled verbatim, our named commands where a
// model's list lacks them, and the danger of what is about to be sent.

#include "domain/commandcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Fleet;

class TestCommandCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placeholdersAreDistinctAndSorted();
    void knownTemplatesGetTypedFields();
    void unknownTemplateWithoutDescriptionGetsTextFields();
    void validationNamesEachBadField();
    void valuesReachTheTextExactlyAsTyped();
    void requestKeepsTheTemplateAsListed();
    void oursFillTheGapsByFamily();
    void oursGoThroughTheGatewayWithoutAUserDefinedTemplate();
    void dangerComesFromTheFinalText();
    void findByIdKeyOrName();
    void rawHexIsNormalised();
    void issuesAreWorded();

private:
    static CommandTemplate tmpl(const QString &id, const QString &name, const QString &content)
    {
        CommandTemplate t;
        t.id = id;
        t.name = name;
        t.content = content;
        return t;
    }
};

void TestCommandCatalog::placeholdersAreDistinctAndSorted()
{
    QCOMPARE(templatePlaceholders(QStringLiteral("SOS,A,{0},{1},{2}#")), (QList<int>{0, 1, 2}));
    QCOMPARE(templatePlaceholders(QStringLiteral("X,{1},{0},{1}#")), (QList<int>{0, 1}));
    QCOMPARE(templatePlaceholders(QStringLiteral("WHERE#")), QList<int>());
    // A gap still asks for every value up to the highest.
    const CommandEntry gap = commandEntry(tmpl(QStringLiteral("5"), QString(), QStringLiteral("A,{0},{2}#")));
    QCOMPARE(gap.paramCount(), 3);
}

void TestCommandCatalog::knownTemplatesGetTypedFields()
{
    const CommandEntry relay = commandEntry(tmpl(QStringLiteral("163"), QStringLiteral("Fuel"), QStringLiteral("RELAY,{0}#")));
    QCOMPARE(relay.paramCount(), 1);
    QCOMPARE(relay.params.at(0).type, CommandParam::Type::Choice);
    QCOMPARE(relay.params.at(0).choices.size(), 2);

    const CommandEntry timer = commandEntry(tmpl(QStringLiteral("32"), QString(), QStringLiteral("TIMER,{0},{1}#")));
    QCOMPARE(timer.paramCount(), 2);
    QCOMPARE(timer.params.at(1).type, CommandParam::Type::Integer);
    QCOMPARE(timer.params.at(1).min, 5);
    QCOMPARE(timer.params.at(1).max, 18000);
    QCOMPARE(QString::fromLatin1(timer.params.at(1).unit), QStringLiteral("s"));

    const CommandEntry speed =
        commandEntry(tmpl(QStringLiteral("40"), QString(), QStringLiteral("speed, on,{0},{1},1#")));
    QCOMPARE(QString::fromUtf8(speed.params.at(1).unit), QStringLiteral("km/h"));

    const CommandEntry sos = commandEntry(tmpl(QStringLiteral("81"), QString(), QStringLiteral("SOS,A,{0},{1},{2}#")));
    QCOMPARE(sos.params.at(2).type, CommandParam::Type::Phone);
    QVERIFY(!sos.params.at(2).required);
}

void TestCommandCatalog::unknownTemplateWithoutDescriptionGetsTextFields()
{
    const CommandEntry e = commandEntry(tmpl(QStringLiteral("149"), QString(), QStringLiteral("FN&&A&&{0}&&{1}##")));
    QCOMPARE(e.paramCount(), 2);
    for (const CommandParam &p : e.params) {
        QCOMPARE(p.type, CommandParam::Type::Text);
        QVERIFY(!p.label); // "Parameter N"
    }
    QVERIFY(e.validate({QStringLiteral("a"), QString()}).isEmpty());
    QCOMPARE(e.fill({QStringLiteral("a"), QString()}), QStringLiteral("FN&&A&&a&&##"));
}

void TestCommandCatalog::validationNamesEachBadField()
{
    const CommandEntry timer = commandEntry(tmpl(QStringLiteral("32"), QString(), QStringLiteral("TIMER,{0},{1}#")));
    using K = ParamIssue::Kind;
    QCOMPARE(timer.validate({QStringLiteral("10"), QStringLiteral("300")}), QList<ParamIssue>());
    QCOMPARE(timer.validate({QStringLiteral("4"), QStringLiteral("18001")}),
             (QList<ParamIssue>{{0, K::BelowMin}, {1, K::AboveMax}}));
    QCOMPARE(timer.validate({QStringLiteral("1 0"), QString()}),
             (QList<ParamIssue>{{0, K::NotNumber}, {1, K::Required}}));
    QCOMPARE(timer.validate({QStringLiteral("10")}), (QList<ParamIssue>{{-1, K::WrongCount}}));

    const CommandEntry relay = commandEntry(tmpl(QStringLiteral("163"), QString(), QStringLiteral("RELAY,{0}#")));
    QCOMPARE(relay.validate({QStringLiteral("2")}), (QList<ParamIssue>{{0, K::NotChoice}}));

    const CommandEntry sos = commandEntry(tmpl(QStringLiteral("81"), QString(), QStringLiteral("SOS,A,{0},{1},{2}#")));
    QCOMPARE(sos.validate({QStringLiteral("+8613800000000"), QString(), QStringLiteral("12ab")}),
             (QList<ParamIssue>{{2, K::NotPhone}}));

    const CommandEntry user = commandEntry(tmpl(QStringLiteral("99"), QString(), QStringLiteral("{0}")));
    QCOMPARE(user.validate({QString()}), (QList<ParamIssue>{{0, K::Required}}));
    QCOMPARE(user.validate({QString(257, QLatin1Char('x'))}), (QList<ParamIssue>{{0, K::TooLong}}));
}

void TestCommandCatalog::valuesReachTheTextExactlyAsTyped()
{
    const CommandEntry user = commandEntry(tmpl(QStringLiteral("99"), QString(), QStringLiteral("{0}")));
    const QString odd = QStringLiteral("SMS,\"Grüß, 你好\",#{1}#");
    QVERIFY(user.validate({odd}).isEmpty());
    QCOMPARE(user.fill({odd}), odd);
    // And inst_param_json carries it whole, quotes and all.
    const QJsonObject sent = QJsonDocument::fromJson(user.request({odd}).toJson().toUtf8()).object();
    QCOMPARE(sent.value(QStringLiteral("params")).toArray().at(0).toString(), odd);
    QCOMPARE(commandEntry(tmpl(QStringLiteral("9"), QString(), QStringLiteral("A,{0}#"))).request({QString()}).toJson(),
             QStringLiteral(R"({"inst_id":"9","inst_template":"A,{0}#","params":[""],"is_cover":"true"})"));
    const CommandEntry two = commandEntry(tmpl(QStringLiteral("7"), QString(), QStringLiteral("X,{0},{1}#")));
    // A value holding a placeholder is not substituted again.
    QCOMPARE(two.fill({QStringLiteral("{1}"), QStringLiteral("b")}), QStringLiteral("X,{1},b#"));
}

void TestCommandCatalog::requestKeepsTheTemplateAsListed()
{
    const CommandEntry relay = commandEntry(tmpl(QStringLiteral("163"), QString(), QStringLiteral("RELAY,{0}#")));
    const CommandRequest r = relay.request({QStringLiteral("1")});
    QCOMPARE(r.toJson(),
             QStringLiteral(R"({"inst_id":"163","inst_template":"RELAY,{0}#","params":["1"],"is_cover":"true"})"));
}

void TestCommandCatalog::oursFillTheGapsByFamily()
{
    const QList<CommandTemplate> gt06{tmpl(QStringLiteral("99"), QStringLiteral("User-defined command"), QStringLiteral("{0}")),
                                      tmpl(QStringLiteral("163"), QStringLiteral("Fuel"), QStringLiteral("RELAY,{0}#")),
                                      tmpl(QStringLiteral("15"), QStringLiteral("Locate"), QStringLiteral("WHERE#"))};
    const QList<CommandEntry> list = commandCatalog(gt06, QStringLiteral("GT06N"), false);
    QStringList ours;
    for (const CommandEntry &e : list) {
        if (!e.fromCloud)
            ours.append(e.key);
    }
    // The cloud's RELAY,{0}# covers cut and restore; WHERE# is listed.
    QCOMPARE(ours, (QStringList{QStringLiteral("status"), QStringLiteral("param"), QStringLiteral("reset")}));
    const CommandEntry *status = findCommandEntry(list, QStringLiteral("status"));
    QVERIFY(status);
    QCOMPARE(status->route, CommandRoute::Template);
    QCOMPARE(status->request({}).toJson(),
             QStringLiteral(R"({"inst_id":"99","inst_template":"{0}","params":["STATUS#"],"is_cover":"true"})"));

    // A VL802 whose list lacks relay templates gets ours; a dashcam never does.
    const QList<CommandTemplate> bare{tmpl(QStringLiteral("96"), QStringLiteral("User-defined command"), QStringLiteral("{0}"))};
    const QList<CommandEntry> vl = commandCatalog(bare, QStringLiteral("VL802"), false);
    const CommandEntry *cut = findCommandEntry(vl, QStringLiteral("relay.cut"));
    QVERIFY(cut);
    QVERIFY(!cut->fromCloud);
    QCOMPARE(cut->danger({}), CommandDanger::FuelCut);
    QCOMPARE(cut->request({}).toJson(),
             QStringLiteral(R"({"inst_id":"96","inst_template":"{0}","params":["RELAY,1#"],"is_cover":"true"})"));
    QVERIFY(!findCommandEntry(commandCatalog(bare, QStringLiteral("JC400"), false), QStringLiteral("relay.cut")));
}

void TestCommandCatalog::oursGoThroughTheGatewayWithoutAUserDefinedTemplate()
{
    const QList<CommandTemplate> list{tmpl(QStringLiteral("15"), QStringLiteral("Locate"), QStringLiteral("WHERE#"))};
    const QList<CommandEntry> withGateway = commandCatalog(list, QStringLiteral("GT06N"), true);
    const CommandEntry *cut = findCommandEntry(withGateway, QStringLiteral("relay.cut"));
    QVERIFY(cut);
    QCOMPARE(cut->route, CommandRoute::Gateway);
    QCOMPARE(cut->fill({}), QStringLiteral("RELAY,1#"));
    // Neither route: ours are left out rather than offered and refused.
    const QList<CommandEntry> none = commandCatalog(list, QStringLiteral("GT06N"), false);
    QCOMPARE(none.size(), 1);
}

void TestCommandCatalog::dangerComesFromTheFinalText()
{
    QCOMPARE(commandDanger(QStringLiteral("RELAY,1#")), CommandDanger::FuelCut);
    QCOMPARE(commandDanger(QStringLiteral(" relay, 1 #")), CommandDanger::FuelCut);
    QCOMPARE(commandDanger(QStringLiteral("DYD,000000#")), CommandDanger::FuelCut);
    QCOMPARE(commandDanger(QStringLiteral("RELAY,0#")), CommandDanger::None);
    QCOMPARE(commandDanger(QStringLiteral("RESET#")), CommandDanger::Reboot);
    QCOMPARE(commandDanger(QStringLiteral("FACTORY#")), CommandDanger::FactoryReset);
    QCOMPARE(commandDanger(QStringLiteral("STATUS#")), CommandDanger::None);

    const CommandEntry relay = commandEntry(tmpl(QStringLiteral("163"), QString(), QStringLiteral("RELAY,{0}#")));
    QCOMPARE(relay.danger({QStringLiteral("1")}), CommandDanger::FuelCut);
    QCOMPARE(relay.danger({QStringLiteral("0")}), CommandDanger::None);
    // The user-defined template is as dangerous as what is typed into it.
    const CommandEntry user = commandEntry(tmpl(QStringLiteral("99"), QString(), QStringLiteral("{0}")));
    QCOMPARE(user.danger({QStringLiteral("reset#")}), CommandDanger::Reboot);
    // A cloud template whose fixed text reboots.
    const CommandEntry reboot = commandEntry(tmpl(QStringLiteral("113"), QString(), QStringLiteral("RELAY,1#")));
    QCOMPARE(reboot.danger({}), CommandDanger::FuelCut);

    for (CommandDanger d : {CommandDanger::None, CommandDanger::FuelCut, CommandDanger::Reboot,
                            CommandDanger::FactoryReset})
        QCOMPARE(commandDangerFromKey(commandDangerKey(d)), d);
}

void TestCommandCatalog::findByIdKeyOrName()
{
    const QList<CommandEntry> list =
        commandCatalog({tmpl(QStringLiteral("99"), QStringLiteral("User-defined command"), QStringLiteral("{0}")),
                        tmpl(QStringLiteral("32"), QStringLiteral("Upload interval"), QStringLiteral("TIMER,{0},{1}#"))},
                       QStringLiteral("GT06N"), false);
    QCOMPARE(findCommandEntry(list, QStringLiteral("32"))->tmpl.name, QStringLiteral("Upload interval"));
    QCOMPARE(findCommandEntry(list, QStringLiteral("upload INTERVAL"))->tmpl.id, QStringLiteral("32"));
    QCOMPARE(findCommandEntry(list, QStringLiteral("RELAY.CUT"))->key, QStringLiteral("relay.cut"));
    QVERIFY(!findCommandEntry(list, QStringLiteral("nope")));
}

void TestCommandCatalog::rawHexIsNormalised()
{
    QCOMPARE(normaliseRawHex(QStringLiteral("0b 02 c3a4")), QStringLiteral("0B02C3A4"));
    QVERIFY(!normaliseRawHex(QStringLiteral("0B0")));
    QVERIFY(!normaliseRawHex(QStringLiteral("0G")));
    QVERIFY(!normaliseRawHex(QString()));
    QVERIFY(!normaliseRawHex(QStringLiteral("０１"))); // full-width digits are not hex
}

void TestCommandCatalog::issuesAreWorded()
{
    const CommandEntry timer = commandEntry(tmpl(QStringLiteral("32"), QString(), QStringLiteral("TIMER,{0},{1}#")));
    QCOMPARE(describeParamIssue({0, ParamIssue::Kind::BelowMin}, timer.params),
             QStringLiteral("Interval with ignition on must be at least 5 s"));
    QCOMPARE(describeParamIssue({-1, ParamIssue::Kind::WrongCount}, timer.params),
             QStringLiteral("the command takes 2 parameter(s)"));
}

QTEST_GUILESS_MAIN(TestCommandCatalog)
#include "tst_commandcatalog.moc"
