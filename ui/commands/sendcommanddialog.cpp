#include "sendcommanddialog.h"

#include "commandwords.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace Fleet {

namespace {

constexpr int kEntryRole = Qt::UserRole + 1; // index into the lead model's catalogue

QLabel *plainLabel(QWidget *parent, bool wrap = true)
{
    auto *l = new QLabel(parent);
    l->setTextFormat(Qt::PlainText); // cloud text is never HTML
    l->setWordWrap(wrap);
    return l;
}

QString namesOf(const QList<CommandTarget> &targets, int shown = 8)
{
    QStringList names;
    for (int i = 0; i < targets.size() && i < shown; ++i)
        names.append(targets.at(i).name);
    QString text = names.join(QStringLiteral(", "));
    if (targets.size() > shown)
        text += SendCommandDialog::tr(" and %n more", nullptr, int(targets.size()) - shown);
    return text;
}

} // namespace

SendCommandDialog::SendCommandDialog(const QList<CommandTarget> &targets, QWidget *parent)
    : QDialog(parent)
    , m_targets(targets)
    , m_tabs(new QTabWidget(this))
    , m_filter(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_refresh(new QPushButton(tr("&Refresh list"), this))
    , m_title(plainLabel(this))
    , m_source(plainLabel(this))
    , m_explain(plainLabel(this))
    , m_formHost(new QWidget(this))
    , m_form(new QFormLayout(m_formHost))
    , m_preview(plainLabel(this))
    , m_raw(new QLineEdit(this))
    , m_rawPreview(plainLabel(this))
    , m_status(plainLabel(this))
    , m_progress(new QProgressBar(this))
    , m_results(new QTableWidget(0, 3, this))
    , m_send(new QPushButton(tr("&Send"), this))
{
    setObjectName(QStringLiteral("sendCommandDialog"));
    setWindowTitle(targets.size() == 1 ? tr("Send command to %1").arg(targets.first().name)
                                       : tr("Send command to %n vehicle(s)", nullptr, int(targets.size())));

    // Commands: the list on the left, the chosen one's form on the right.
    auto *commands = new QWidget(m_tabs);
    auto *left = new QVBoxLayout;
    m_filter->setObjectName(QStringLiteral("commandFilter"));
    m_filter->setPlaceholderText(tr("Filter commands"));
    m_filter->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("commandList"));
    m_list->setMinimumWidth(220);
    const int icon = m_list->fontMetrics().height();
    m_list->setIconSize(QSize(icon, icon));
    m_refresh->setObjectName(QStringLiteral("refreshList"));
    m_refresh->setToolTip(tr("Ask the cloud again for the commands this model supports"));
    left->addWidget(m_filter);
    left->addWidget(m_list, 1);
    left->addWidget(m_refresh);
    auto *right = new QVBoxLayout;
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    m_source->setObjectName(QStringLiteral("sourceLabel"));
    m_explain->setObjectName(QStringLiteral("explainLabel"));
    m_preview->setObjectName(QStringLiteral("previewLabel"));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_form->setContentsMargins(0, 8, 0, 8);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    right->addWidget(m_title);
    right->addWidget(m_source);
    right->addWidget(m_explain);
    right->addWidget(m_formHost);
    right->addWidget(m_preview);
    right->addStretch(1);
    auto *split = new QHBoxLayout(commands);
    split->addLayout(left, 2);
    split->addLayout(right, 3);
    m_tabs->addTab(commands, tr("&Commands"));

    // Raw: bytes in hex, for experts.
    auto *raw = new QWidget(m_tabs);
    auto *rawLayout = new QVBoxLayout(raw);
    QLabel *rawHelp = plainLabel(raw);
    rawHelp->setText(tr("Sends bytes to the device as they are (jimi.open.instruction.raw.send). The device's "
                        "protocol decides what they mean; the cloud reports no answer for raw commands."));
    m_raw->setObjectName(QStringLiteral("rawField"));
    m_raw->setPlaceholderText(QStringLiteral("0B 02 C3 A4"));
    m_raw->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9A-Fa-f ]*")), m_raw));
    rawLayout->addWidget(rawHelp);
    rawLayout->addWidget(m_raw);
    rawLayout->addWidget(m_rawPreview);
    rawLayout->addStretch(1);
    m_tabs->addTab(raw, tr("&Raw (hex)"));

    QLabel *to = plainLabel(this);
    to->setObjectName(QStringLiteral("targetsLabel"));
    to->setText(tr("To: %1").arg(namesOf(m_targets)));
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_progress->setVisible(false);
    m_results->setObjectName(QStringLiteral("resultsTable"));
    m_results->setHorizontalHeaderLabels({tr("Vehicle"), tr("State"), tr("Answer")});
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->verticalHeader()->setVisible(false);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setWordWrap(false);
    m_results->setVisible(false);

    auto *buttons = new QDialogButtonBox(this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);
    buttons->addButton(m_send, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 3);
    layout->addWidget(to);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_results, 2);
    layout->addWidget(buttons);
    resize(760, 560);

    connect(m_filter, &QLineEdit::textChanged, this, &SendCommandDialog::fillList);
    connect(m_list, &QListWidget::currentRowChanged, this, &SendCommandDialog::buildForm);
    connect(m_refresh, &QPushButton::clicked, this, [this] {
        m_catalogs.clear();
        m_errors.clear();
        m_status->setText(tr("Asking the cloud for the commands…"));
        QSet<QString> asked;
        for (const CommandTarget &t : std::as_const(m_targets)) {
            if (!asked.contains(t.model)) {
                asked.insert(t.model);
                Q_EMIT templatesWanted(t.imei, t.model, true);
            }
        }
    });
    connect(m_raw, &QLineEdit::textChanged, this, &SendCommandDialog::validate);
    connect(m_tabs, &QTabWidget::currentChanged, this, &SendCommandDialog::validate);
    connect(m_send, &QPushButton::clicked, this, &SendCommandDialog::sendClicked);
    m_status->setText(tr("Asking the cloud for the commands…"));
    validate();
}

QString SendCommandDialog::leadModel() const
{
    return m_targets.isEmpty() ? QString() : m_targets.first().model;
}

void SendCommandDialog::start()
{
    QSet<QString> asked;
    for (const CommandTarget &t : std::as_const(m_targets)) {
        if (!asked.contains(t.model)) {
            asked.insert(t.model);
            Q_EMIT templatesWanted(t.imei, t.model, false);
        }
    }
}

void SendCommandDialog::templatesLoaded(const QString &imei, const QList<CommandTemplate> &templates,
                                        const QString &error)
{
    const auto target = std::find_if(m_targets.cbegin(), m_targets.cend(),
                                     [&](const CommandTarget &t) { return t.imei == imei; });
    if (target == m_targets.cend())
        return; // another dialog's
    if (!error.isEmpty()) {
        m_errors.insert(target->model, error);
        m_catalogs.remove(target->model);
    } else {
        m_errors.remove(target->model);
        m_catalogs.insert(target->model, commandCatalog(templates, target->model, m_gateway));
    }
    if (target->model == leadModel()) {
        fillList();
        if (m_list->currentRow() < 0 && m_list->count() > 0)
            m_list->setCurrentRow(0);
    }
    if (m_errors.contains(leadModel()))
        m_status->setText(tr("The cloud did not give the command list: %1").arg(m_errors.value(leadModel())));
    else
        m_status->clear();
    validate();
}

void SendCommandDialog::fillList()
{
    const QString current = currentEntry() ? currentEntry()->tmpl.id + currentEntry()->key : QString();
    const QList<CommandEntry> catalog = m_catalogs.value(leadModel());
    const QSignalBlocker block(m_list);
    m_list->clear();
    const QString filter = m_filter->text().trimmed();
    for (int i = 0; i < catalog.size(); ++i) {
        const CommandEntry &e = catalog.at(i);
        const QString name = CommandWords::entryName(e);
        if (!filter.isEmpty() && !name.contains(filter, Qt::CaseInsensitive)
            && !e.tmpl.content.contains(filter, Qt::CaseInsensitive))
            continue;
        auto *item = new QListWidgetItem(e.fromCloud ? name : tr("%1 (FleetDesk)").arg(name), m_list);
        item->setData(kEntryRole, i);
        item->setToolTip(e.tmpl.content);
        // Marked when some value makes it dangerous (RELAY,{0}# with 1).
        bool dangerous = e.staticDanger != CommandDanger::None;
        if (e.params.size() == 1 && e.params.first().type == CommandParam::Type::Choice) {
            for (const CommandParam::Choice &c : e.params.first().choices)
                dangerous = dangerous || e.danger({c.value}) != CommandDanger::None;
        }
        if (dangerous) {
            item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
            item->setToolTip(tr("%1\nCan stop the vehicle or the device: asks before sending.").arg(e.tmpl.content));
        }
        if (e.tmpl.id + e.key == current)
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem())
        buildForm();
}

const CommandEntry *SendCommandDialog::currentEntry() const
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return nullptr;
    const auto it = m_catalogs.constFind(leadModel());
    const int i = item->data(kEntryRole).toInt();
    return it != m_catalogs.cend() && i >= 0 && i < it->size() ? &it->at(i) : nullptr;
}

void SendCommandDialog::buildForm()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();
    m_issues.clear();
    const CommandEntry *e = currentEntry();
    m_title->setText(e ? CommandWords::entryName(*e) : QString());
    m_explain->setText(e ? CommandWords::entryExplain(*e) : QString());
    if (!e) {
        m_source->clear();
    } else if (e->fromCloud) {
        m_source->setText(tr("From the cloud's list for %1 (template %2: %3)")
                              .arg(leadModel().isEmpty() ? tr("this model") : leadModel(), e->tmpl.id, e->tmpl.content));
    } else {
        m_source->setText(e->route == CommandRoute::Gateway
                              ? tr("FleetDesk's own command, not from the cloud's list: sent as the text %1 "
                                   "through the instruction gateway.")
                                    .arg(e->tmpl.content)
                              : tr("FleetDesk's own command, not from the cloud's list: sent as the text %1 "
                                   "through the model's user-defined command.")
                                    .arg(e->tmpl.content));
    }
    if (e) {
        for (const CommandParam &p : e->params) {
            QWidget *field = nullptr;
            switch (p.type) {
            case CommandParam::Type::Choice: {
                auto *box = new QComboBox(m_formHost);
                for (const CommandParam::Choice &c : p.choices)
                    box->addItem(QCoreApplication::translate("CommandCatalog", c.label), c.value);
                connect(box, &QComboBox::currentIndexChanged, this, &SendCommandDialog::validate);
                field = box;
                break;
            }
            case CommandParam::Type::Integer: {
                auto *spin = new QSpinBox(m_formHost);
                spin->setRange(int(p.min.value_or(0)), int(p.max.value_or(999999)));
                if (p.unit)
                    spin->setSuffix(QStringLiteral(" ") + QString::fromUtf8(p.unit));
                connect(spin, &QSpinBox::valueChanged, this, &SendCommandDialog::validate);
                field = spin;
                break;
            }
            case CommandParam::Type::Phone:
            case CommandParam::Type::Text: {
                auto *line = new QLineEdit(m_formHost);
                if (p.type == CommandParam::Type::Phone)
                    line->setPlaceholderText(tr("+8613800000000"));
                else if (!p.required)
                    line->setPlaceholderText(tr("(may be empty)"));
                connect(line, &QLineEdit::textChanged, this, &SendCommandDialog::validate);
                field = line;
                break;
            }
            }
            field->setObjectName(QStringLiteral("param%1").arg(p.index));
            QLabel *issue = plainLabel(m_formHost);
            issue->setObjectName(QStringLiteral("issue%1").arg(p.index));
            QPalette red = issue->palette();
            red.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
            issue->setPalette(red);
            issue->hide();
            auto *cell = new QWidget(m_formHost);
            auto *cellLayout = new QVBoxLayout(cell);
            cellLayout->setContentsMargins(0, 0, 0, 0);
            cellLayout->setSpacing(2);
            cellLayout->addWidget(field);
            cellLayout->addWidget(issue);
            m_form->addRow(CommandWords::paramLabel(p), cell);
            m_fields.insert(p.index, field);
            m_issues.insert(p.index, issue);
        }
        if (e->params.isEmpty()) {
            QLabel *none = plainLabel(m_formHost);
            none->setText(tr("This command takes no values."));
            m_form->addRow(none);
        }
    }
    validate();
}

QStringList SendCommandDialog::values() const
{
    const CommandEntry *e = currentEntry();
    QStringList out;
    if (!e)
        return out;
    for (const CommandParam &p : e->params) {
        QWidget *w = m_fields.value(p.index);
        if (auto *box = qobject_cast<QComboBox *>(w))
            out.append(box->currentData().toString());
        else if (auto *spin = qobject_cast<QSpinBox *>(w))
            out.append(QString::number(spin->value()));
        else if (auto *line = qobject_cast<QLineEdit *>(w))
            out.append(line->text()); // as typed: commas, #, quotes and all
        else
            out.append(QString());
    }
    return out;
}

void SendCommandDialog::validate()
{
    bool ok = false;
    if (m_tabs->currentIndex() == 1) {
        const std::optional<QString> hex = normaliseRawHex(m_raw->text());
        ok = hex.has_value();
        QString spaced;
        for (qsizetype i = 0; hex && i < hex->size(); i += 2)
            spaced += hex->mid(i, 2) + QLatin1Char(' ');
        m_rawPreview->setText(hex ? tr("Sends %n byte(s): %1", nullptr, int(hex->size() / 2)).arg(spaced.trimmed())
                                  : (m_raw->text().trimmed().isEmpty() ? QString()
                                                                       : tr("Whole bytes, please: two hex digits each.")));
    } else if (const CommandEntry *e = currentEntry()) {
        const QStringList v = values();
        const QList<ParamIssue> issues = e->validate(v);
        for (auto it = m_issues.cbegin(); it != m_issues.cend(); ++it) {
            QString text;
            for (const ParamIssue &i : issues) {
                if (i.index == it.key())
                    text = CommandWords::issueText(i, e->params);
            }
            it.value()->setText(text);
            it.value()->setVisible(!text.isEmpty());
        }
        ok = issues.isEmpty();
        m_preview->setText(ok ? tr("The device gets: %1").arg(e->fill(v)) : QString());
    } else {
        m_preview->clear();
    }
    // Every model's list is needed to know what each vehicle gets.
    bool listsIn = true;
    for (const CommandTarget &t : std::as_const(m_targets))
        listsIn = listsIn && (m_catalogs.contains(t.model) || m_errors.contains(t.model));
    m_send->setEnabled(ok && (listsIn || m_tabs->currentIndex() == 1) && !m_targets.isEmpty());
}

std::optional<std::pair<CommandEntry, QStringList>>
SendCommandDialog::matching(const CommandEntry &lead, const QStringList &values, const QString &model) const
{
    const auto it = m_catalogs.constFind(model);
    if (it == m_catalogs.cend())
        return std::nullopt;
    const QString text = lead.fill(values);
    const CommandEntry *userDefined = nullptr;
    for (const CommandEntry &e : *it) {
        if (!lead.fromCloud && !e.fromCloud && e.key == lead.key)
            return std::pair{e, values};
        if (lead.fromCloud && e.fromCloud && commandTextKey(e.tmpl.content) == commandTextKey(lead.tmpl.content))
            return std::pair{e, values};
        if (e.fromCloud && e.params.isEmpty() && commandTextKey(e.tmpl.content) == commandTextKey(text))
            return std::pair{e, QStringList()};
        if (e.fromCloud && e.tmpl.content.trimmed() == QLatin1String("{0}") && !userDefined)
            userDefined = &e;
    }
    if (userDefined)
        return std::pair{*userDefined, QStringList{text}};
    if (m_gateway) {
        // Through the gateway as text, as our own commands go there.
        CommandEntry viaGateway;
        viaGateway.fromCloud = false;
        viaGateway.key = lead.key.isEmpty() ? QStringLiteral("text") : lead.key;
        viaGateway.route = CommandRoute::Gateway;
        viaGateway.tmpl.name = lead.tmpl.name;
        viaGateway.tmpl.content = text;
        return std::pair{viaGateway, QStringList()};
    }
    return std::nullopt;
}

bool SendCommandDialog::confirm(CommandDanger danger, const QList<CommandTarget> &vehicles, const QString &text,
                                const QString &name)
{
    QString body = tr("Command: %1 (%2)").arg(text, name);
    body += QLatin1Char('\n') + tr("Vehicles (%1): %2").arg(vehicles.size()).arg(namesOf(vehicles, 12));
    body += QStringLiteral("\n\n") + CommandWords::dangerConsequence(danger);
    if (danger == CommandDanger::FuelCut) {
        QStringList moving;
        for (const CommandTarget &t : vehicles) {
            if (t.speedKmh && *t.speedKmh > m_warnKmh)
                moving.append(tr("%1 (%2 km/h)").arg(t.name).arg(qRound(*t.speedKmh)));
        }
        if (!moving.isEmpty()) {
            body += QStringLiteral("\n\n")
                + tr("Moving faster than %1 km/h now: %2. Cutting the engine at speed is dangerous.")
                      .arg(qRound(m_warnKmh))
                      .arg(moving.join(QStringLiteral(", ")));
        }
    }
    const QString title = CommandWords::dangerTitle(danger);
    const QString action = CommandWords::dangerAction(danger, int(vehicles.size()));
    if (m_confirmer)
        return m_confirmer(title, body, action);
    QMessageBox box(QMessageBox::Warning, title, body, QMessageBox::NoButton, this);
    box.setTextFormat(Qt::PlainText);
    QPushButton *go = box.addButton(action, QMessageBox::DestructiveRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == go;
}

void SendCommandDialog::sendClicked()
{
    if (!m_send->isEnabled())
        return;
    QList<CommandOrder> orders;
    QList<CommandTarget> included;
    QStringList skipped;
    CommandDanger danger = CommandDanger::None;
    QString text;
    QString name;
    if (m_tabs->currentIndex() == 1) {
        CommandOrder o;
        o.rawHex = m_raw->text();
        for (const CommandTarget &t : std::as_const(m_targets))
            o.imeis.append(t.imei);
        included = m_targets;
        orders.append(o);
        text = *normaliseRawHex(m_raw->text());
        name = tr("raw bytes");
    } else {
        const CommandEntry *lead = currentEntry();
        if (!lead)
            return;
        const QStringList v = values();
        danger = lead->danger(v);
        text = lead->fill(v);
        name = CommandWords::entryName(*lead);
        QHash<QString, int> orderOf; // model -> order
        for (const CommandTarget &t : std::as_const(m_targets)) {
            const auto match = t.model == leadModel() ? std::optional(std::pair{*lead, v}) : matching(*lead, v, t.model);
            if (!match) {
                skipped.append(t.name);
                continue;
            }
            included.append(t);
            const auto it = orderOf.constFind(t.model);
            if (it != orderOf.cend()) {
                orders[*it].imeis.append(t.imei);
                continue;
            }
            CommandOrder o;
            o.entry = match->first;
            o.values = match->second;
            o.imeis = {t.imei};
            orderOf.insert(t.model, int(orders.size()));
            orders.append(o);
        }
    }
    if (included.isEmpty()) {
        m_status->setText(tr("None of the vehicles' models has this command."));
        return;
    }
    if (danger != CommandDanger::None && !confirm(danger, included, text, name)) {
        m_status->setText(tr("Not sent."));
        return;
    }
    m_batches.clear();
    m_batchProgress.clear();
    for (CommandOrder &o : orders) {
        o.operatorName = m_operator;
        o.confirmed = danger != CommandDanger::None;
        Q_EMIT sendRequested(o);
    }
    showResults(included, skipped);
}

void SendCommandDialog::showResults(const QList<CommandTarget> &sent, const QStringList &skipped)
{
    m_results->setRowCount(0);
    for (const CommandTarget &t : sent) {
        const int row = m_results->rowCount();
        m_results->insertRow(row);
        auto *vehicle = new QTableWidgetItem(t.name);
        vehicle->setData(Qt::UserRole, t.imei);
        m_results->setItem(row, 0, vehicle);
        m_results->setItem(row, 1, new QTableWidgetItem(CommandWords::stateName(CommandState::Sending)));
        m_results->setItem(row, 2, new QTableWidgetItem);
    }
    m_results->setVisible(true);
    m_progress->setRange(0, int(sent.size()));
    m_progress->setValue(0);
    m_progress->setVisible(sent.size() > 1);
    m_status->setText(skipped.isEmpty()
                          ? tr("Sending to %n vehicle(s)…", nullptr, int(sent.size()))
                          : tr("Sending to %n vehicle(s). Left out, their model has no such command: %1", nullptr,
                               int(sent.size()))
                                .arg(skipped.join(QStringLiteral(", "))));
}

void SendCommandDialog::refused(const CommandRefusal &refusal)
{
    const CommandEntry *e = currentEntry();
    m_status->setText(tr("Not sent: %1").arg(CommandWords::refusalText(refusal, e ? *e : CommandEntry())));
    m_progress->setVisible(false);
}

void SendCommandDialog::batchStarted(const QString &batchKey)
{
    m_batches.append(batchKey);
}

void SendCommandDialog::commandUpdated(const CommandRecord &record)
{
    if (!m_batches.contains(record.batchKey))
        return;
    for (int row = 0; row < m_results->rowCount(); ++row) {
        if (m_results->item(row, 0)->data(Qt::UserRole).toString() != record.imei)
            continue;
        QTableWidgetItem *state = m_results->item(row, 1);
        state->setText(CommandWords::stateName(record.state));
        state->setToolTip(CommandWords::stateMeaning(record.state));
        state->setForeground(CommandWords::stateColor(record.state).isValid()
                                 ? QBrush(CommandWords::stateColor(record.state))
                                 : palette().text());
        // The device's answer, else the cloud's words: plain text.
        const QString answer = !record.reply.isEmpty() ? record.reply : record.resultMessage;
        m_results->item(row, 2)->setText(answer);
        m_results->item(row, 2)->setToolTip(answer);
    }
}

void SendCommandDialog::progress(const QString &batchKey, int done, int total)
{
    if (!m_batches.contains(batchKey))
        return;
    m_batchProgress.insert(batchKey, {done, total});
    int allDone = 0, allTotal = 0;
    for (const auto &p : std::as_const(m_batchProgress)) {
        allDone += p.first;
        allTotal += p.second;
    }
    m_progress->setValue(allDone);
    if (allDone >= m_results->rowCount())
        m_status->setText(tr("Sent to %n vehicle(s). The answers come as the devices reply.", nullptr, allTotal));
    else
        m_status->setText(tr("Sent to %1 of %2 vehicles…").arg(allDone).arg(m_results->rowCount()));
}

} // namespace Fleet
