#include "ingestsubjects.h"

namespace Fleet::Ingest {

namespace {

QVariant source(ReportSource s)
{
    return QString(reportSourceName(s));
}

// Why a trip is refused; empty when it is not.
QString tripProblem(const QString &imei, const QDateTime &start, const QDateTime &end)
{
    if (imei.isEmpty() || !start.isValid())
        return QStringLiteral("trip without IMEI or start time");
    if (end.isValid() && end < start)
        return QStringLiteral("trip ends before it starts");
    return {};
}

} // namespace

bool ReportIngest::prepare(QString *error)
{
    using P = KeyedUpsert::Policy;
    using T = TripRecord;
    using S = StopPeriod;
    using PT = PushedTrip;
    QSqlDatabase &db = m_context.db();
    const auto atNow = [](const auto &, qint64 t) { return QVariant(t); };
    return m_positions.prepare(db, error)
        // BUG-02: kilometres as reported, never scaled. BUG-03: maxSpeed kept.
        && m_trips.prepare(
            db, QStringLiteral("trips"), P::Fill, false,
            {
                {"imei", Role::Key, [](const T &r, qint64) { return QVariant(r.trip.imei); }},
                {"start_time", Role::Key, [](const T &r, qint64) { return QVariant(r.trip.start.toSecsSinceEpoch()); }},
                {"end_time", Role::Value, [](const T &r, qint64) { return secs(r.trip.end); }},
                {"distance_km", Role::Value, [](const T &r, qint64) { return amount(r.trip.distanceKm); }},
                {"avg_speed_kmh", Role::Value, [](const T &r, qint64) { return real(r.trip.avgSpeedKmh); }},
                {"max_speed_kmh", Role::Value, [](const T &r, qint64) { return real(r.trip.maxSpeedKmh); }},
                {"run_time_s", Role::Value, [](const T &r, qint64) { return integer(r.trip.runSeconds); }},
                {"idle_time_s", Role::Value, [](const T &r, qint64) { return integer(r.trip.idleSeconds); }},
                {"start_lat", Role::Value,
                 [](const T &r, qint64) { return latitude(r.trip.startLat, r.trip.startLng); }},
                {"start_lng", Role::Value,
                 [](const T &r, qint64) { return longitude(r.trip.startLat, r.trip.startLng); }},
                {"end_lat", Role::Value, [](const T &r, qint64) { return latitude(r.trip.endLat, r.trip.endLng); }},
                {"end_lng", Role::Value, [](const T &r, qint64) { return longitude(r.trip.endLat, r.trip.endLng); }},
                {"source", Role::InsertOnly, [](const T &r, qint64) { return source(r.source); }},
                {"received_at", Role::InsertOnly, atNow},
                {"updated_at", Role::Touch, atNow},
            },
            error)
        // BUG-02 holds for miles too: kilometres as reported, never scaled.
        && m_pushedTrips.prepare(
            db, QStringLiteral("trips"), P::Fill, false,
            {
                {"imei", Role::Key, [](const PT &p, qint64) { return QVariant(p.imei); }},
                {"start_time", Role::Key, [](const PT &p, qint64) { return QVariant(p.start.toSecsSinceEpoch()); }},
                {"end_time", Role::Value, [](const PT &p, qint64) { return secs(p.end); }},
                {"distance_km", Role::Value, [](const PT &p, qint64) { return amount(p.distanceKm); }},
                {"idle_time_s", Role::Value, [](const PT &p, qint64) { return integer(p.idleSeconds); }},
                {"start_lat", Role::Value, [](const PT &p, qint64) { return latitude(p.startLat, p.startLng); }},
                {"start_lng", Role::Value, [](const PT &p, qint64) { return longitude(p.startLat, p.startLng); }},
                {"end_lat", Role::Value, [](const PT &p, qint64) { return latitude(p.endLat, p.endLng); }},
                {"end_lng", Role::Value, [](const PT &p, qint64) { return longitude(p.endLat, p.endLng); }},
                {"fuel_l", Role::Value, [](const PT &p, qint64) { return amount(p.fuelL); }},
                {"trip_seq", Role::Value, [](const PT &p, qint64) { return integer(p.tripSeq); }},
                {"source", Role::InsertOnly, [](const PT &, qint64) { return source(ReportSource::Push); }},
                {"received_at", Role::InsertOnly, atNow},
                {"updated_at", Role::Touch, atNow},
            },
            error)
        // POLL-02: durSecond is the duration; stopSecond is secondary.
        && m_stops.prepare(db, QStringLiteral("parking_idling"), P::Fill, false,
                           {
                               {"imei", Role::Key, [](const S &s, qint64) { return QVariant(s.imei); }},
                               {"start_time", Role::Key,
                                [](const S &s, qint64) { return QVariant(s.start.toSecsSinceEpoch()); }},
                               {"acc_on", Role::NullableKey, [](const S &s, qint64) { return flag(s.accOn); }},
                               {"end_time", Role::Value, [](const S &s, qint64) { return secs(s.end); }},
                               {"duration_s", Role::Value,
                                [](const S &s, qint64) { return integer(s.durationSeconds); }},
                               {"stop_s", Role::Value, [](const S &s, qint64) { return integer(s.stopSeconds); }},
                               {"lat", Role::Value, [](const S &s, qint64) { return latitude(s.lat, s.lng); }},
                               {"lng", Role::Value, [](const S &s, qint64) { return longitude(s.lat, s.lng); }},
                               {"address", Role::Value, [](const S &s, qint64) { return text(s.address); }},
                               {"device_name", Role::Value, [](const S &s, qint64) { return text(s.deviceName); }},
                               {"received_at", Role::InsertOnly, atNow},
                               {"updated_at", Role::Touch, atNow},
                           },
                           error);
}

void ReportIngest::collectPositions(Tx &tx, const IngestBatch &b)
{
    for (const PositionRecord &r : b.positions) {
        const QString problem = positionProblem(r.position);
        if (!problem.isEmpty()) {
            tx.reject(StoreTable::PositionHistory, problem);
            continue;
        }
        tx.positions.push_back({&r.position, r.position.gpsTime.toSecsSinceEpoch(), r.source});
    }
}

bool ReportIngest::writePositions(Tx &tx)
{
    auto &rows = tx.positions;
    if (rows.empty())
        return true;
    // Device by device, in time order: the index is written in key order
    // (far fewer pages touched), and equal keys keep their arrival order, so
    // the first report of a fix is the one stored.
    std::stable_sort(rows.begin(), rows.end(), [](const PositionInserter::Row &a, const PositionInserter::Row &b) {
        const QString &ia = a.position->imei;
        const QString &ib = b.position->imei;
        if (ia.constData() != ib.constData()) {
            const int c = ia.compare(ib);
            if (c != 0)
                return c < 0;
        }
        return a.gpsTime < b.gpsTime;
    });
    const QString *previous = nullptr;
    for (const PositionInserter::Row &r : rows) {
        if (previous && *previous == r.position->imei)
            continue;
        previous = &r.position->imei;
        if (!m_context.ensureDevice(tx, *previous))
            return false;
    }

    std::vector<char> isNew;
    qint64 inserted = 0;
    if (!m_positions.insert(rows, tx.now, &isNew, &inserted, &tx.error))
        return false;
    TableCounts &c = tx.change.count(StoreTable::PositionHistory);
    c.inserted += inserted;
    c.duplicates += qint64(rows.size()) - inserted;
    const QString *last = nullptr;
    qint64 from = 0;
    qint64 to = 0;
    bool any = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!isNew[i])
            continue;
        const PositionInserter::Row &r = rows[i];
        if (!last || *last != r.position->imei) {
            last = &r.position->imei;
            tx.change.imeis.insert(*last);
        }
        from = any ? qMin(from, r.gpsTime) : r.gpsTime;
        to = any ? qMax(to, r.gpsTime) : r.gpsTime;
        any = true;
    }
    if (any)
        tx.change.addSpan(from, to);
    return true;
}

bool ReportIngest::writeTrips(Tx &tx, const IngestBatch &b)
{
    for (const TripRecord &rec : b.trips) {
        const Trip &t = rec.trip;
        if (const QString problem = tripProblem(t.imei, t.start, t.end); !problem.isEmpty()) {
            tx.reject(StoreTable::Trips, problem);
            continue;
        }
        const qint64 start = t.start.toSecsSinceEpoch();
        if (!m_context.writeFact(tx, StoreTable::Trips, m_trips, rec, t.imei, start,
                                 t.end.isValid() ? t.end.toSecsSinceEpoch() : start))
            return false;
    }
    return true;
}

bool ReportIngest::writePushedTrips(Tx &tx, const IngestBatch &b)
{
    for (const PushedTrip &p : b.pushedTrips) {
        if (const QString problem = tripProblem(p.imei, p.start, p.end); !problem.isEmpty()) {
            tx.reject(StoreTable::Trips, problem);
            continue;
        }
        const qint64 start = p.start.toSecsSinceEpoch();
        if (!m_context.writeFact(tx, StoreTable::Trips, m_pushedTrips, p, p.imei, start,
                                 p.end.isValid() ? p.end.toSecsSinceEpoch() : start))
            return false;
    }
    return true;
}

bool ReportIngest::writeStops(Tx &tx, const IngestBatch &b)
{
    for (const StopPeriod &s : b.stops) {
        if (s.imei.isEmpty() || !s.start.isValid()) {
            tx.reject(StoreTable::ParkingIdling, QStringLiteral("stop without IMEI or start time"));
            continue;
        }
        const qint64 start = s.start.toSecsSinceEpoch();
        const qint64 end = s.end.isValid() && s.end >= s.start ? s.end.toSecsSinceEpoch() : start;
        if (!m_context.writeFact(tx, StoreTable::ParkingIdling, m_stops, s, s.imei, start, end))
            return false;
    }
    return true;
}

} // namespace Fleet::Ingest
