#pragma once

#include "domain/commandtracking.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Fleet {

class CommandListModel;

// The Commands dock: every command sent (and those the cloud reported that
// FleetDesk did not send, flagged), newest first, with filters by state,
// text and the selected vehicle; the selected command's whole story below
// (its text and values, who sent it, the cloud's words and the device's
// answer, as plain text); "Ask the cloud again" for a command without a
// final answer, and "Send command…" for its vehicle.
class CommandsPanel : public QWidget
{
    Q_OBJECT

public:
    enum class StateFilter { All, Open, Answered, Problems, NotFromFleetDesk };

    explicit CommandsPanel(QWidget *parent = nullptr);

    CommandListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QComboBox *stateBox() const { return m_state; }
    QLineEdit *searchField() const { return m_search; }
    QCheckBox *selectedOnlyBox() const { return m_selectedOnly; }
    QLabel *detailsLabel() const { return m_details; }
    QPushButton *askAgainButton() const { return m_askAgain; }

    bool open(const QString &databasePath);
    // The window's selected vehicle (for "only the selected vehicle").
    void setSelectedVehicle(const QString &imei);
    void setStateFilter(StateFilter filter);

Q_SIGNALS:
    // The cloud should be asked about these vehicles' commands now.
    void askAgainRequested(const QStringList &imeis);
    void sendCommandRequested(const QString &imei);
    void titleChanged(const QString &title);

private:
    void applyFilter();
    void showCurrent();
    void updateTitle();

    CommandListModel *m_model;
    QComboBox *m_state;
    QLineEdit *m_search;
    QCheckBox *m_selectedOnly;
    QTableView *m_view;
    QLabel *m_details;
    QPushButton *m_askAgain;
    QPushButton *m_sendAgain;
    QString m_selectedVehicle;
};

} // namespace Fleet
