#include "ingestsubjects.h"

namespace Fleet::Ingest {

bool LocalGroupIngest::prepare(QString *error)
{
    return m_context.prepareQuery(m_create,
                                  QStringLiteral("INSERT OR IGNORE INTO local_groups (name, color, created_at, "
                                                 "updated_at) VALUES (?, ?, ?, ?)"),
                                  error)
        // A new name that another group has: nothing happens (the caller said so first).
        && m_context.prepareQuery(m_rename,
                                  QStringLiteral("UPDATE OR IGNORE local_groups SET name = ?, updated_at = ? "
                                                 "WHERE name = ? AND name IS NOT ?"),
                                  error)
        && m_context.prepareQuery(m_delete, QStringLiteral("DELETE FROM local_groups WHERE name = ?"), error)
        && m_context.prepareQuery(m_add,
                                  QStringLiteral("INSERT OR IGNORE INTO local_group_members (grp, imei, added_at) "
                                                 "SELECT id, ?, ? FROM local_groups WHERE name = ?"),
                                  error)
        && m_context.prepareQuery(m_remove,
                                  QStringLiteral("DELETE FROM local_group_members WHERE imei = ? AND grp = "
                                                 "(SELECT id FROM local_groups WHERE name = ?)"),
                                  error);
}

bool LocalGroupIngest::write(Tx &tx, const IngestBatch &b)
{
    using K = LocalGroupChange::Kind;
    const auto count = [&tx](int changed, bool inserted) {
        TableCounts &c = tx.change.count(StoreTable::LocalGroups);
        if (changed > 0)
            ++(inserted ? c.inserted : c.updated);
        else
            ++c.duplicates;
    };
    for (const LocalGroupChange &g : b.localGroups) {
        const QString name = g.name.trimmed();
        if (name.isEmpty() || (g.kind == K::Rename && g.newName.trimmed().isEmpty())) {
            tx.reject(StoreTable::LocalGroups, QStringLiteral("local group without a name"));
            continue;
        }
        int changed = 0;
        switch (g.kind) {
        case K::Create:
            m_create.bindValue(0, name);
            m_create.bindValue(1, text(g.color));
            m_create.bindValue(2, tx.now);
            m_create.bindValue(3, tx.now);
            changed = Context::run(tx, m_create, QStringLiteral("local_groups"));
            count(changed, true);
            break;
        case K::Rename:
            m_rename.bindValue(0, g.newName.trimmed());
            m_rename.bindValue(1, tx.now);
            m_rename.bindValue(2, name);
            m_rename.bindValue(3, g.newName.trimmed());
            changed = Context::run(tx, m_rename, QStringLiteral("local_groups"));
            count(changed, false);
            break;
        case K::Delete:
            m_delete.bindValue(0, name);
            changed = Context::run(tx, m_delete, QStringLiteral("local_groups"));
            count(changed, false);
            break;
        case K::Add:
        case K::Remove: break;
        }
        if (changed < 0)
            return false;
        if (g.kind != K::Add && g.kind != K::Remove && g.kind != K::Create)
            continue;
        for (const QString &imei : g.imeis) {
            if (imei.isEmpty())
                continue;
            QSqlQuery &q = g.kind == K::Remove ? m_remove : m_add;
            if (g.kind == K::Remove) {
                q.bindValue(0, imei);
                q.bindValue(1, name);
            } else {
                q.bindValue(0, imei);
                q.bindValue(1, tx.now);
                q.bindValue(2, name);
            }
            const int n = Context::run(tx, q, QStringLiteral("local_group_members"));
            if (n < 0)
                return false;
            count(n, g.kind != K::Remove);
            if (n > 0)
                tx.change.imeis.insert(imei);
        }
    }
    return true;
}

} // namespace Fleet::Ingest
