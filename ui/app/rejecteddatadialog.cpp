#include "rejecteddatadialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Fleet {

namespace {

// The payload as text when it is UTF-8; else each byte that is not printable
// ASCII as \xNN, so nothing is hidden and nothing is interpreted.
QString payloadOf(const QByteArray &content)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(content);
    if (!utf8.hasError())
        return text;
    QString out;
    for (const char c : content) {
        const uchar u = uchar(c);
        if ((u >= 0x20 && u < 0x7f) || c == '\n' || c == '\t')
            out.append(QLatin1Char(c));
        else
            out.append(QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0')));
    }
    return out;
}

QString utc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

} // namespace

RejectedDataDialog::RejectedDataDialog(const QString &databasePath, QWidget *parent, int limit)
    : QDialog(parent)
    , m_path(databasePath)
    , m_list(new QTreeWidget(this))
    , m_payload(new QPlainTextEdit(this))
    , m_summary(new QLabel(this))
{
    setWindowTitle(tr("Rejected data"));
    StoreReader reader;
    if (reader.open(databasePath)) {
        m_rows = reader.quarantine(limit);
        m_total = reader.quarantineCount();
    } else {
        m_error = reader.errorString();
    }

    auto *layout = new QVBoxLayout(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setText(!m_error.isEmpty() ? tr("The database cannot be read: %1").arg(m_error)
                       : m_total == 0    ? tr("The webhook has refused nothing: every push it received could be read.")
                       : m_total > m_rows.size()
                           ? tr("%1 pushes or items could not be read; the newest %2 are shown.").arg(m_total).arg(m_rows.size())
                           : tr("%n push(es) or item(s) could not be read. Each is kept as received.", nullptr,
                                int(m_total)));
    layout->addWidget(m_summary);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_list->setParent(split);
    m_list->setObjectName(QStringLiteral("rejectedList"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Last received"), tr("Endpoint"), tr("Item"), tr("Times"), tr("Reason")});
    m_list->header()->setStretchLastSection(true);
    for (const QuarantineRow &r : std::as_const(m_rows)) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, QLocale().toString(r.lastReceived.toLocalTime(), QLocale::ShortFormat));
        item->setText(1, r.endpoint);
        item->setText(2, r.itemIndex < 0 ? tr("the whole request") : QString::number(r.itemIndex));
        item->setText(3, QString::number(r.timesReceived));
        item->setText(4, r.reason);
        item->setToolTip(4, QStringLiteral("<p>%1</p>").arg(r.reason.toHtmlEscaped()));
    }
    m_payload->setParent(split);
    m_payload->setObjectName(QStringLiteral("rejectedPayload"));
    m_payload->setReadOnly(true);
    m_payload->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_payload->setPlaceholderText(tr("Select a row to see what was received."));
    layout->addWidget(split, 1);
    connect(m_list, &QTreeWidget::currentItemChanged, this,
            [this] { selectRow(m_list->indexOfTopLevelItem(m_list->currentItem())); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *exportButton = buttons->addButton(tr("&Export…"), QDialogButtonBox::ActionRole);
    exportButton->setEnabled(m_total > 0);
    connect(exportButton, &QPushButton::clicked, this, &RejectedDataDialog::chooseExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(900, 560);
}

int RejectedDataDialog::rowCount() const
{
    return int(m_rows.size());
}

void RejectedDataDialog::selectRow(int row)
{
    if (row < 0 || row >= m_rows.size()) {
        m_payload->clear();
        return;
    }
    if (m_list->currentItem() != m_list->topLevelItem(row))
        m_list->setCurrentItem(m_list->topLevelItem(row));
    const QuarantineRow &r = m_rows.at(row);
    m_payload->setPlainText(tr("%1, first received %2 UTC, %n time(s)\n%3\n\n", nullptr, r.timesReceived)
                                .arg(r.endpoint, utc(r.received), r.reason)
                            + payloadOf(r.content));
}

QString RejectedDataDialog::payloadText() const
{
    return m_payload->toPlainText();
}

bool RejectedDataDialog::exportTo(const QString &path, QString *error)
{
    StoreReader reader;
    if (!reader.open(m_path)) {
        if (error)
            *error = reader.errorString();
        return false;
    }
    const QList<QuarantineRow> all = reader.quarantine(-1);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    for (const QuarantineRow &r : all) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = utf8.decode(r.content);
        QJsonObject o{
            {QStringLiteral("id"), r.id},
            {QStringLiteral("endpoint"), r.endpoint},
            {QStringLiteral("received"), utc(r.received)},
            {QStringLiteral("last_received"), utc(r.lastReceived)},
            {QStringLiteral("times_received"), r.timesReceived},
            {QStringLiteral("item_index"), r.itemIndex},
            {QStringLiteral("reason"), r.reason},
        };
        // As received: text when it is UTF-8, else base64.
        if (utf8.hasError())
            o.insert(QStringLiteral("content_base64"), QString::fromLatin1(r.content.toBase64()));
        else
            o.insert(QStringLiteral("content"), text);
        file.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void RejectedDataDialog::chooseExport()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export rejected data"),
                                                      dir + QStringLiteral("/rejected.jsonl"),
                                                      tr("JSON Lines (*.jsonl)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export rejected data"), tr("The file could not be written: %1").arg(error));
}

} // namespace Fleet
