#pragma once

#include "domain/commandcatalog.h"
#include "domain/commandtracking.h"
#include "sync/commandsender.h"

#include <QDialog>
#include <QHash>

#include <functional>
#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace Fleet {

// A vehicle a command is for, as the window knows it.
struct CommandTarget
{
    QString imei;
    QString name;
    QString model;
    std::optional<double> speedKmh; // the freshest known
};

// "Send command…" for one vehicle or a selection. Lists the commands of the
// first vehicle's model (the cloud's templates, and ours where the list
// lacks them, marked), builds a form from the chosen one (a typed field per
// placeholder; values checked as they are typed; the text the device will
// get shown), has a raw tab for hex, asks before anything dangerous (naming
// the vehicles, the command and what it does, and which vehicles are moving
// faster than the setting), and then shows each vehicle's state and answer.
//
// Vehicles of other models get the command their model lists under the same
// text (or our same command); those whose model lacks it are left out, and
// the dialog says which. It talks to the session through signals: the
// window forwards templatesWanted and sendRequested, and feeds back what the
// session answers.
class SendCommandDialog : public QDialog
{
    Q_OBJECT

public:
    // Asks the dispatcher about a dangerous command: true to send.
    using Confirmer = std::function<bool(const QString &title, const QString &text, const QString &confirm)>;

    explicit SendCommandDialog(const QList<CommandTarget> &targets, QWidget *parent = nullptr);

    void setOperatorName(const QString &name) { m_operator = name; }
    void setGatewayAvailable(bool available) { m_gateway = available; }
    // Fuel or power cuts warn about vehicles faster than this.
    void setFuelCutWarnSpeed(double kmh) { m_warnKmh = kmh; }
    // Replaces the confirmation box (tests).
    void setConfirmer(Confirmer confirmer) { m_confirmer = std::move(confirmer); }
    // Asks for every model's list (templatesWanted); call once connected.
    void start();

    // What the session answers.
    void templatesLoaded(const QString &imei, const QList<CommandTemplate> &templates, const QString &error);
    void refused(const CommandRefusal &refusal);
    void batchStarted(const QString &batchKey);
    void commandUpdated(const CommandRecord &record);
    void progress(const QString &batchKey, int done, int total);

    const QList<CommandTarget> &targets() const { return m_targets; }
    // For tests: the parts a user works with.
    QListWidget *commandList() const { return m_list; }
    QTabWidget *tabs() const { return m_tabs; }
    QWidget *field(int index) const { return m_fields.value(index); }
    QLabel *issueLabel(int index) const { return m_issues.value(index); }
    QLabel *previewLabel() const { return m_preview; }
    QLabel *statusLabel() const { return m_status; }
    QLineEdit *rawField() const { return m_raw; }
    QPushButton *sendButton() const { return m_send; }
    QTableWidget *resultsTable() const { return m_results; }
    // The selected entry; null when none.
    const CommandEntry *currentEntry() const;

Q_SIGNALS:
    void templatesWanted(const QString &imei, const QString &model, bool refresh);
    void sendRequested(const Fleet::CommandOrder &order);

private:
    void fillList();
    void buildForm();
    QStringList values() const;
    void validate();
    void sendClicked();
    bool confirm(CommandDanger danger, const QList<CommandTarget> &vehicles, const QString &text,
                 const QString &name);
    // What a vehicle of another model gets for the lead's entry and values:
    // the same template, a fixed one of the same text, the same command of
    // ours, else the text through its user-defined template (or the
    // gateway). None when its model has no way to send it.
    std::optional<std::pair<CommandEntry, QStringList>> matching(const CommandEntry &lead, const QStringList &values,
                                                                 const QString &model) const;
    void showResults(const QList<CommandTarget> &sent, const QStringList &skipped);
    QString leadModel() const;

    QList<CommandTarget> m_targets;
    QHash<QString, QList<CommandEntry>> m_catalogs; // by model
    QHash<QString, QString> m_errors; // by model
    QString m_operator;
    bool m_gateway = false;
    double m_warnKmh = 20.0;
    Confirmer m_confirmer;

    QTabWidget *m_tabs;
    QLineEdit *m_filter;
    QListWidget *m_list;
    QPushButton *m_refresh;
    QLabel *m_title;
    QLabel *m_source;
    QLabel *m_explain;
    QWidget *m_formHost;
    QFormLayout *m_form;
    QHash<int, QWidget *> m_fields;
    QHash<int, QLabel *> m_issues;
    QLabel *m_preview;
    QLineEdit *m_raw;
    QLabel *m_rawPreview;
    QLabel *m_status;
    QProgressBar *m_progress;
    QTableWidget *m_results;
    QPushButton *m_send;
    QStringList m_batches; // of the last send
    QHash<QString, std::pair<int, int>> m_batchProgress;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::CommandTarget)
