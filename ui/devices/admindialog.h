#pragma once

#include "sync/fleetadmin.h"

#include <QDialog>
#include <QHash>

#include <functional>

class QLabel;

namespace Fleet {

// A vehicle named in an administration dialog.
struct AdminVehicle
{
    QString imei;
    QString name;
};

// Names vehicles in a sentence: all of them up to ten, else the first ten
// and how many more.
QString vehicleNames(const QList<AdminVehicle> &vehicles);

// What the fleet administration dialogs share: a request goes to the cloud
// (requested), the dialog waits, and the session's answer (finished) either
// closes it or shows the cloud's words, naming each device refused. The
// words are shown as plain text: they come from the cloud.
class AdminDialog : public QDialog
{
    Q_OBJECT

public:
    // Asks the dispatcher to confirm (text: what happens); true: go on.
    using Confirmer = std::function<bool(QWidget *parent, const QString &title, const QString &text)>;

    explicit AdminDialog(QWidget *parent = nullptr);

    // The session's answer to requested.
    void finished(const AdminOutcome &outcome);
    bool isBusy() const { return m_busy; }
    QLabel *messageLabel() const { return m_message; }
    // Tests answer the confirmations; by default a question box, No first.
    void setConfirmer(Confirmer confirmer) { m_confirm = std::move(confirmer); }

    // The outcome in words: the cloud's message, then each device refused.
    QString describe(const AdminOutcome &outcome) const;

Q_SIGNALS:
    void requested(const Fleet::FleetAdminRequest &request);

protected:
    // Sends request unless checkAdminRequest finds a fault (then shown).
    void send(const FleetAdminRequest &request, const QString &waiting);
    bool confirm(const QString &title, const QString &text);
    void showMessage(const QString &text, bool problem);
    // What the answer does: by default, accept() on success, else the words.
    virtual void answered(const AdminOutcome &outcome);
    // Enables and disables the dialog's own buttons while a request runs.
    virtual void busyChanged(bool busy) = 0;
    // Vehicles named in messages by these names (else by IMEI).
    void setVehicleNames(const QList<AdminVehicle> &vehicles);
    QString nameOf(const QString &imei) const { return m_names.value(imei, imei); }

private:
    QLabel *m_message;
    Confirmer m_confirm;
    QHash<QString, QString> m_names;
    bool m_busy = false;
};

} // namespace Fleet
