#include "positioninserter.h"

#include <QSqlError>

#include <algorithm>
#include <bit>
#include <cmath>

namespace Fleet {

namespace {

constexpr int kColumns = 14;

const QString &sourceText(PositionSource s)
{
    static const QString poll = QStringLiteral("poll");
    static const QString trackList = QStringLiteral("track_list");
    static const QString push = QStringLiteral("push");
    switch (s) {
    case PositionSource::Poll: return poll;
    case PositionSource::TrackList: return trackList;
    case PositionSource::Push: return push;
    }
    return poll;
}

const QString &typeText(PositionType t)
{
    static const QString none;
    static const QString gps = QStringLiteral("GPS");
    static const QString lbs = QStringLiteral("LBS");
    static const QString wifi = QStringLiteral("WIFI");
    static const QString beacon = QStringLiteral("BEACON");
    switch (t) {
    case PositionType::Gps: return gps;
    case PositionType::Lbs: return lbs;
    case PositionType::Wifi: return wifi;
    case PositionType::Beacon: return beacon;
    case PositionType::Unknown: break;
    }
    return none;
}

} // namespace

PositionInserter::PositionInserter(int rowsPerStatement)
    : m_rowsPerStatement(qMax(1, rowsPerStatement))
{ }

bool PositionInserter::prepareStatement(QSqlDatabase &db, Statement &s, int rows, QString *error)
{
    QString sql = QStringLiteral(
        "INSERT INTO position_history (imei, gps_time, lat, lng, speed_kmh, direction_deg, acc, satellites, "
        "altitude_m, confidence, pos_type, reuploaded, source, received_at) VALUES ");
    // Named placeholders, bound through keys built once: Qt binds them by
    // hash lookup alone, while a positional bind formats its key first.
    s.keys.clear();
    for (int i = 0; i < rows; ++i) {
        sql += i > 0 ? QLatin1String(",(") : QLatin1String("(");
        for (int c = 0; c < kColumns; ++c) {
            s.keys.append(QStringLiteral(":p%1_%2").arg(i).arg(c));
            if (c > 0)
                sql += QLatin1Char(',');
            sql += s.keys.constLast();
        }
        sql += QLatin1Char(')');
    }
    sql += QLatin1String(" ON CONFLICT DO NOTHING");
    s.query = QSqlQuery(db);
    s.rows = rows;
    s.cells.assign(std::size_t(rows) * kColumns, Cell());
    if (!s.query.prepare(sql)) {
        if (error)
            *error = QStringLiteral("position_history: %1").arg(s.query.lastError().text());
        return false;
    }
    return true;
}

bool PositionInserter::prepare(QSqlDatabase &db, QString *error)
{
    if (!prepareStatement(db, m_multi, m_rowsPerStatement, error) || !prepareStatement(db, m_single, 1, error))
        return false;
    m_maxRowid = QSqlQuery(db);
    m_newRows = QSqlQuery(db);
    m_newRows.setForwardOnly(true);
    if (!m_maxRowid.prepare(QStringLiteral("SELECT coalesce(max(id), 0) FROM position_history"))
        || !m_newRows.prepare(
            QStringLiteral("SELECT imei, gps_time FROM position_history WHERE id > ? AND id <= ? ORDER BY id"))) {
        if (error)
            *error = QStringLiteral("position_history: %1").arg(m_newRows.lastError().text());
        return false;
    }
    return true;
}

void PositionInserter::invalidate()
{
    for (Statement *s : {&m_multi, &m_single}) {
        for (Cell &c : s->cells)
            c.kind = Cell::Unset;
    }
}

void PositionInserter::bindRow(Statement &s, int slot, const Row &row, qint64 receivedAt)
{
    const Position &p = *row.position;
    const int base = slot * kColumns;
    Cell *cells = s.cells.data() + base;
    QSqlQuery &q = s.query;

    const auto setNull = [&](int col) {
        Cell &c = cells[col];
        if (c.kind != Cell::Null) {
            q.bindValue(s.keys.at(base + col), QVariant());
            c.kind = Cell::Null;
        }
    };
    const auto setInt = [&](int col, qint64 v) {
        Cell &c = cells[col];
        if (c.kind != Cell::Int || c.bits != v) {
            q.bindValue(s.keys.at(base + col), QVariant(v));
            c.kind = Cell::Int;
            c.bits = v;
        }
    };
    const auto setReal = [&](int col, double v) {
        Cell &c = cells[col];
        const qint64 bits = std::bit_cast<qint64>(v);
        if (c.kind != Cell::Real || c.bits != bits) {
            q.bindValue(s.keys.at(base + col), QVariant(v));
            c.kind = Cell::Real;
            c.bits = bits;
        }
    };
    const auto setText = [&](int col, const QString &v) {
        if (v.isEmpty()) {
            setNull(col);
            return;
        }
        Cell &c = cells[col];
        if (c.kind != Cell::Text || c.text != v) {
            q.bindValue(s.keys.at(base + col), QVariant(v));
            c.kind = Cell::Text;
            c.text = v;
        }
    };
    const auto setOptReal = [&](int col, const std::optional<double> &v) {
        if (v && std::isfinite(*v))
            setReal(col, *v);
        else
            setNull(col);
    };
    const auto setOptInt = [&](int col, const std::optional<int> &v) {
        if (v)
            setInt(col, *v);
        else
            setNull(col);
    };
    const auto setOptBool = [&](int col, const std::optional<bool> &v) {
        if (v)
            setInt(col, *v ? 1 : 0);
        else
            setNull(col);
    };

    setText(0, p.imei);
    setInt(1, row.gpsTime);
    setReal(2, p.lat);
    setReal(3, p.lng);
    setOptReal(4, p.speedKmh);
    setOptReal(5, p.courseDeg);
    setOptBool(6, p.acc);
    setOptInt(7, p.satellites);
    setOptReal(8, p.altitudeM);
    setOptInt(9, p.confidence);
    setText(10, typeText(p.type));
    setOptBool(11, p.reuploaded);
    setText(12, sourceText(row.source));
    setInt(13, receivedAt);
}

bool PositionInserter::run(Statement &s, const std::vector<Row> &rows, const int *indexes, int count, QString *error)
{
    if (!s.query.exec()) {
        if (error)
            *error = QStringLiteral("position_history: %1").arg(s.query.lastError().text());
        invalidate();
        return false;
    }
    const int inserted = s.query.numRowsAffected();
    if (inserted <= 0)
        return true;
    m_inserted += inserted;
    std::vector<char> &isNew = *m_isNew;
    const qint64 lastRowid = s.query.lastInsertId().toLongLong();
    const bool contiguous = lastRowid - m_lastRowid == inserted;
    if (inserted == count || !contiguous) {
        // All new, or (never seen) rowids out of sequence: mark them all,
        // which is at worst a superset.
        for (int i = 0; i < count; ++i)
            isNew[std::size_t(indexes[i])] = 1;
    } else {
        m_newRows.bindValue(0, m_lastRowid);
        m_newRows.bindValue(1, lastRowid);
        if (!m_newRows.exec()) {
            if (error)
                *error = QStringLiteral("position_history: %1").arg(m_newRows.lastError().text());
            return false;
        }
        while (m_newRows.next()) {
            const QString imei = m_newRows.value(0).toString();
            const qint64 time = m_newRows.value(1).toLongLong();
            for (int i = 0; i < count; ++i) {
                const Row &r = rows[std::size_t(indexes[i])];
                if (r.gpsTime == time && r.position->imei == imei) {
                    isNew[std::size_t(indexes[i])] = 1;
                    break;
                }
            }
        }
        m_newRows.finish();
    }
    m_lastRowid = qMax(m_lastRowid, lastRowid);
    return true;
}

bool PositionInserter::insertInOrder(const std::vector<Row> &rows, const std::vector<int> &order, qint64 receivedAt,
                                     QString *error)
{
    const int n = int(order.size());
    int i = 0;
    for (; i + m_multi.rows <= n; i += m_multi.rows) {
        for (int slot = 0; slot < m_multi.rows; ++slot)
            bindRow(m_multi, slot, rows[std::size_t(order[std::size_t(i) + std::size_t(slot)])], receivedAt);
        if (!run(m_multi, rows, order.data() + i, m_multi.rows, error))
            return false;
    }
    for (; i < n; ++i) {
        bindRow(m_single, 0, rows[std::size_t(order[std::size_t(i)])], receivedAt);
        if (!run(m_single, rows, order.data() + i, 1, error))
            return false;
    }
    return true;
}

bool PositionInserter::insert(const std::vector<Row> &rows, qint64 receivedAt, std::vector<char> *isNew,
                              qint64 *inserted, QString *error)
{
    const int n = int(rows.size());
    const int width = m_multi.rows;
    isNew->assign(rows.size(), 0);
    m_isNew = isNew;
    m_inserted = 0;
    const auto done = [&](bool ok) {
        *inserted += m_inserted;
        m_isNew = nullptr;
        return ok;
    };
    if (!m_maxRowid.exec() || !m_maxRowid.next()) {
        if (error)
            *error = QStringLiteral("position_history: %1").arg(m_maxRowid.lastError().text());
        return done(false);
    }
    m_lastRowid = m_maxRowid.value(0).toLongLong();
    m_maxRowid.finish();

    // Runs of one device: [begin, end) in `rows`.
    std::vector<std::pair<int, int>> runs;
    for (int i = 0; i < n;) {
        int end = i + 1;
        const QString &imei = rows[std::size_t(i)].position->imei;
        while (end < n && rows[std::size_t(end)].position->imei == imei)
            ++end;
        runs.emplace_back(i, end);
        i = end;
    }

    // Each slot follows one device; an exhausted slot takes the next device.
    // Stop as soon as a slot finds no device left.
    std::vector<int> cursor(std::size_t(width), 0);
    std::vector<int> end(std::size_t(width), 0);
    std::size_t nextRun = 0;
    bool full = runs.size() >= std::size_t(width);
    if (full) {
        for (int k = 0; k < width; ++k) {
            cursor[std::size_t(k)] = runs[nextRun].first;
            end[std::size_t(k)] = runs[nextRun].second;
            ++nextRun;
        }
    }
    std::vector<int> statementRows(std::size_t(width), 0);
    while (full) {
        for (int k = 0; k < width; ++k) {
            const int r = cursor[std::size_t(k)];
            statementRows[std::size_t(k)] = r;
            bindRow(m_multi, k, rows[std::size_t(r)], receivedAt);
        }
        if (!run(m_multi, rows, statementRows.data(), width, error))
            return done(false);
        for (int k = 0; k < width; ++k) {
            if (++cursor[std::size_t(k)] < end[std::size_t(k)])
                continue;
            if (nextRun < runs.size()) {
                cursor[std::size_t(k)] = runs[nextRun].first;
                end[std::size_t(k)] = runs[nextRun].second;
                ++nextRun;
            } else {
                full = false;
            }
        }
    }

    // The rest in input order: every device has been handed to a slot by
    // now, so what is left is what the width did not get to.
    std::vector<int> rest;
    if (runs.size() >= std::size_t(width)) {
        for (int k = 0; k < width; ++k) {
            for (int r = cursor[std::size_t(k)]; r < end[std::size_t(k)]; ++r)
                rest.push_back(r);
        }
        std::sort(rest.begin(), rest.end());
    } else {
        rest.resize(std::size_t(n));
        for (int r = 0; r < n; ++r)
            rest[std::size_t(r)] = r;
    }
    return done(insertInOrder(rows, rest, receivedAt, error));
}

} // namespace Fleet
