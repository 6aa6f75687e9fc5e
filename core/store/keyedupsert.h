#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Fleet {

// Writes one row identified by a unique key, telling apart a new row, a
// changed row and an unchanged duplicate (one INSERT ... ON CONFLICT DO
// NOTHING and one guarded UPDATE, in the order that is cheaper for the
// table). Used by the writer for the low-volume tables; positions have a
// faster path of their own.
class KeyedUpsert
{
public:
    enum class Policy {
        Merge, // latest state: an offered non-NULL value replaces the stored one
        Fill, // facts: the first report stays; later ones only fill NULL columns
        Replace, // offered values replace stored ones, NULLs included
    };
    enum class Outcome { Inserted, Updated, Unchanged, Failed };

    struct Spec
    {
        QString table;
        QStringList keys; // the unique key, in bind order
        QStringList nullableKeys; // subset of keys compared with IS (NULL-safe)
        QStringList values; // columns the policy applies to
        QStringList insertOnly; // set when the row is created (source, received_at, ...)
        QStringList touch; // set on insert and on every real change (updated_at)
        Policy policy = Policy::Fill;
        bool updateFirst = false; // true where the row usually exists already
    };

    bool prepare(QSqlDatabase &db, const Spec &spec, QString *error);
    // row: keys, values, insertOnly, touch, in the order of the Spec.
    // exists: the caller knows the row is there (updateFirst tables), so an
    // update that changes nothing needs no INSERT to tell "unchanged" apart.
    Outcome write(const QVariantList &row, bool exists = false);
    QString lastError() const { return m_error; }
    const Spec &spec() const { return m_spec; }

private:
    Spec m_spec;
    QStringList m_all;
    QSqlQuery m_insert;
    QSqlQuery m_update;
    QString m_error;
};

} // namespace Fleet
