#include "alarmsettingsdialog.h"

#include "alarmlistmodel.h"
#include "alarmtypes.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Fleet {

namespace {
constexpr int kCodeRole = Qt::UserRole + 1;
}

AlarmSettingsDialog::AlarmSettingsDialog(const AlarmSeverities &severities, int foldSeconds, QWidget *parent)
    : QDialog(parent)
    , m_list(new QTreeWidget(this))
    , m_fold(new QSpinBox(this))
    , m_newCode(new QLineEdit(this))
{
    setWindowTitle(tr("Alarm settings"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("How loudly each alarm type asks for attention. Critical alarms are pinned on "
                                "top of the list until resolved, and their sound repeats until acknowledged."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list->setObjectName(QStringLiteral("severityList"));
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("Code"), tr("Alarm"), tr("Severity")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    QStringList codes = alarmTypeCodes();
    for (auto it = severities.overrides().cbegin(); it != severities.overrides().cend(); ++it) {
        if (!codes.contains(it.key()))
            codes.append(it.key());
    }
    for (const QString &code : std::as_const(codes))
        addRow(code, severities.of(code));
    layout->addWidget(m_list, 1);

    auto *add = new QHBoxLayout;
    m_newCode->setObjectName(QStringLiteral("newCode"));
    m_newCode->setPlaceholderText(tr("Another code the cloud sends"));
    m_newCode->setMaxLength(64);
    auto *addButton = new QPushButton(tr("&Add"), this);
    connect(addButton, &QPushButton::clicked, this, [this] {
        if (addCode(m_newCode->text()))
            m_newCode->clear();
    });
    auto *reset = new QPushButton(tr("&Reset to defaults"), this);
    connect(reset, &QPushButton::clicked, this, &AlarmSettingsDialog::resetToDefaults);
    add->addWidget(m_newCode, 1);
    add->addWidget(addButton);
    add->addStretch();
    add->addWidget(reset);
    layout->addLayout(add);

    auto *form = new QFormLayout;
    m_fold->setObjectName(QStringLiteral("foldSeconds"));
    m_fold->setRange(0, 3600);
    m_fold->setSuffix(tr(" s"));
    m_fold->setSpecialValueText(tr("never"));
    m_fold->setValue(foldSeconds);
    m_fold->setToolTip(tr("Repeats of an unresolved alarm of the same type and vehicle within this time fold into "
                          "its row. Applies from the next start."));
    form->addRow(tr("Fold repeats within:"), m_fold);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 600);
}

QTreeWidgetItem *AlarmSettingsDialog::addRow(const QString &code, AlarmSeverity severity)
{
    auto *item = new QTreeWidgetItem(m_list);
    item->setText(0, code);
    item->setData(0, kCodeRole, code);
    item->setText(1, alarmTypeDisplayName(code));
    auto *box = new QComboBox(m_list);
    for (AlarmSeverity s : {AlarmSeverity::Info, AlarmSeverity::Warning, AlarmSeverity::Critical})
        box->addItem(AlarmListModel::severityText(s), int(s));
    box->setCurrentIndex(box->findData(int(severity)));
    m_list->setItemWidget(item, 2, box);
    return item;
}

QTreeWidgetItem *AlarmSettingsDialog::itemOf(const QString &code) const
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(0, kCodeRole).toString() == code)
            return m_list->topLevelItem(i);
    }
    return nullptr;
}

void AlarmSettingsDialog::setSeverity(const QString &code, AlarmSeverity severity)
{
    if (QTreeWidgetItem *item = itemOf(code)) {
        auto *box = qobject_cast<QComboBox *>(m_list->itemWidget(item, 2));
        box->setCurrentIndex(box->findData(int(severity)));
    }
}

bool AlarmSettingsDialog::addCode(const QString &text)
{
    const QString code = text.trimmed();
    if (code.isEmpty() || itemOf(code))
        return false;
    m_list->scrollToItem(addRow(code, AlarmSeverities::defaultFor(code)));
    return true;
}

void AlarmSettingsDialog::resetToDefaults()
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        const QString code = item->data(0, kCodeRole).toString();
        setSeverity(code, AlarmSeverities::defaultFor(code));
    }
    m_fold->setValue(60);
}

AlarmSeverities AlarmSettingsDialog::severities() const
{
    AlarmSeverities s;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        const auto *box = qobject_cast<QComboBox *>(m_list->itemWidget(item, 2));
        s.set(item->data(0, kCodeRole).toString(), AlarmSeverity(box->currentData().toInt()));
    }
    return s;
}

int AlarmSettingsDialog::foldSeconds() const
{
    return m_fold->value();
}

} // namespace Fleet
