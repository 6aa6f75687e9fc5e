#include "keyedupsert.h"

#include <QSqlError>

namespace Fleet {

namespace {

QString placeholder(const QString &column)
{
    return QLatin1Char(':') + column;
}

} // namespace

bool KeyedUpsert::prepare(QSqlDatabase &db, const Spec &spec, QString *error)
{
    m_spec = spec;
    m_all = spec.keys + spec.values + spec.insertOnly + spec.touch;

    QStringList holders;
    for (const QString &c : std::as_const(m_all))
        holders.append(placeholder(c));
    const QString insert = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT DO NOTHING")
                               .arg(spec.table, m_all.join(QStringLiteral(", ")), holders.join(QStringLiteral(", ")));

    QStringList sets;
    QStringList changed;
    for (const QString &c : spec.values) {
        const QString p = placeholder(c);
        switch (spec.policy) {
        case Policy::Merge:
            sets.append(QStringLiteral("%1 = coalesce(%2, %1)").arg(c, p));
            changed.append(QStringLiteral("(%2 IS NOT NULL AND %2 IS NOT %1)").arg(c, p));
            break;
        case Policy::Fill:
            sets.append(QStringLiteral("%1 = coalesce(%1, %2)").arg(c, p));
            changed.append(QStringLiteral("(%1 IS NULL AND %2 IS NOT NULL)").arg(c, p));
            break;
        case Policy::Replace:
            sets.append(QStringLiteral("%1 = %2").arg(c, p));
            changed.append(QStringLiteral("(%2 IS NOT %1)").arg(c, p));
            break;
        }
    }
    for (const QString &c : spec.touch)
        sets.append(QStringLiteral("%1 = %2").arg(c, placeholder(c)));
    QStringList where;
    for (const QString &k : spec.keys) {
        where.append(
            QStringLiteral("%1 %2 %3")
                .arg(k, spec.nullableKeys.contains(k) ? QLatin1String("IS") : QLatin1String("="), placeholder(k)));
    }
    if (changed.isEmpty())
        changed.append(QStringLiteral("0"));
    const QString update = QStringLiteral("UPDATE %1 SET %2 WHERE %3 AND (%4)")
                               .arg(spec.table, sets.join(QStringLiteral(", ")), where.join(QStringLiteral(" AND ")),
                                    changed.join(QStringLiteral(" OR ")));

    m_insert = QSqlQuery(db);
    m_update = QSqlQuery(db);
    if (!m_insert.prepare(insert)) {
        m_error = QStringLiteral("%1: %2").arg(spec.table, m_insert.lastError().text());
        if (error)
            *error = m_error;
        return false;
    }
    if (!spec.values.isEmpty() && !m_update.prepare(update)) {
        m_error = QStringLiteral("%1: %2").arg(spec.table, m_update.lastError().text());
        if (error)
            *error = m_error;
        return false;
    }
    return true;
}

KeyedUpsert::Outcome KeyedUpsert::write(const QVariantList &row, bool exists)
{
    Q_ASSERT(row.size() == m_all.size());
    const qsizetype keyCount = m_spec.keys.size();
    const qsizetype valueEnd = keyCount + m_spec.values.size();
    const qsizetype insertOnlyEnd = valueEnd + m_spec.insertOnly.size();
    const bool canUpdate = !m_spec.values.isEmpty();
    bool updateBound = false;

    const auto runInsert = [&]() -> int {
        for (qsizetype i = 0; i < m_all.size(); ++i)
            m_insert.bindValue(i, row.at(i));
        if (!m_insert.exec()) {
            m_error = QStringLiteral("%1: %2").arg(m_spec.table, m_insert.lastError().text());
            return -1;
        }
        return m_insert.numRowsAffected();
    };
    const auto runUpdate = [&]() -> int {
        if (!updateBound) {
            // The UPDATE names each value column several times; binding by
            // name sets every occurrence. It has no insert-only columns.
            for (qsizetype i = 0; i < m_all.size(); ++i) {
                if (i >= valueEnd && i < insertOnlyEnd)
                    continue;
                m_update.bindValue(placeholder(m_all.at(i)), row.at(i));
            }
            updateBound = true;
        }
        if (!m_update.exec()) {
            m_error = QStringLiteral("%1: %2").arg(m_spec.table, m_update.lastError().text());
            return -1;
        }
        return m_update.numRowsAffected();
    };

    if (m_spec.updateFirst && canUpdate) {
        const int updated = runUpdate();
        if (updated < 0)
            return Outcome::Failed;
        if (updated > 0)
            return Outcome::Updated;
        if (exists)
            return Outcome::Unchanged;
        const int inserted = runInsert();
        if (inserted < 0)
            return Outcome::Failed;
        return inserted > 0 ? Outcome::Inserted : Outcome::Unchanged;
    }
    const int inserted = runInsert();
    if (inserted < 0)
        return Outcome::Failed;
    if (inserted > 0)
        return Outcome::Inserted;
    if (!canUpdate)
        return Outcome::Unchanged;
    const int updated = runUpdate();
    if (updated < 0)
        return Outcome::Failed;
    return updated > 0 ? Outcome::Updated : Outcome::Unchanged;
}

} // namespace Fleet
