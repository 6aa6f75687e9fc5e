#pragma once

#include "domain/alarmdesk.h"

#include <QDialog>

class QSpinBox;
class QTreeWidget;
class QTreeWidgetItem;
class QLineEdit;

namespace Fleet {

// Alarm settings: the severity of each alarm type (our defaults, which the
// user may change; a code the appendix lacks can be added, since the cloud
// sends others), and the window within which repeats fold into one row.
class AlarmSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    AlarmSettingsDialog(const AlarmSeverities &severities, int foldSeconds, QWidget *parent = nullptr);

    AlarmSeverities severities() const;
    int foldSeconds() const;

    // For tests: the row of a code, its severity as chosen.
    QTreeWidgetItem *itemOf(const QString &code) const;
    void setSeverity(const QString &code, AlarmSeverity severity);
    // Adds a row for a code the list lacks (false: empty or already there).
    bool addCode(const QString &code);

private:
    QTreeWidgetItem *addRow(const QString &code, AlarmSeverity severity);
    void resetToDefaults();

    QTreeWidget *m_list;
    QSpinBox *m_fold;
    QLineEdit *m_newCode;
};

} // namespace Fleet
