#pragma once

#include "domain/device.h"

#include <QListWidget>
#include <QSet>

#include <optional>

namespace Fleet {

// The desk's own groups in the fleet dock: "All vehicles", then each local
// group with its count. Choosing one limits the fleet list and the map to
// its vehicles; vehicles dragged from the fleet list onto a group join it.
// Its context menu renames or deletes a group and takes the selected
// vehicles out of it. Changes go out as LocalGroupChange lists (the window
// writes them through the session); setGroups() shows what the store holds.
class LocalGroupsList : public QListWidget
{
    Q_OBJECT

public:
    explicit LocalGroupsList(QWidget *parent = nullptr);

    void setGroups(const QList<LocalGroup> &groups);
    const QList<LocalGroup> &groups() const { return m_groups; }
    // The chosen group's name; empty: all vehicles.
    QString currentGroup() const;
    void setCurrentGroup(const QString &name);
    // The vehicles the list and the map are limited to; none: all.
    std::optional<QSet<QString>> vehicleLimit() const;
    // What the context menu's "Remove the selected vehicles" takes out.
    void setSelectionProvider(std::function<QStringList()> provider) { m_selection = std::move(provider); }
    // Asks for a new group's name and creates it, with these vehicles.
    void createGroup(const QStringList &imeis);
    // Whether a name is free (case ignored).
    bool isFreeName(const QString &name) const;

Q_SIGNALS:
    void changeRequested(const QList<Fleet::LocalGroupChange> &changes);
    void limitChanged(const std::optional<QSet<QString>> &imeis);

protected:
    QStringList mimeTypes() const override;
    bool dropMimeData(int index, const QMimeData *data, Qt::DropAction action) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    // A name typed into a dialog: empty when cancelled, or taken (said).
    QString askName(const QString &title, const QString &label, const QString &initial);

    QList<LocalGroup> m_groups;
    std::function<QStringList()> m_selection;
    QString m_current;
};

} // namespace Fleet
