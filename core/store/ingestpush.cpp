#include "ingestsubjects.h"

#include <type_traits>

namespace Fleet::Ingest {

namespace {

// The command state a gateway answer code stands for (reference Appendix A:
// 100 ok, 200 bad parameter, 300 offline, 600 timeout); a code it does not
// list is not guessed at.
// The callback carries no time of its own: the file was created in the cloud
// when the callback arrived.
qint64 mediaCreated(const MediaUpload &m, qint64 now)
{
    return m.received.isValid() ? m.received.toSecsSinceEpoch() : now;
}

// Facts that need an IMEI, a time and whatever `complete` asks for; the
// others are refused with `refusal`.
template<typename Row>
bool writeTimedFacts(Context &context, Tx &tx, StoreTable table, KeyedTable<Row> &statement, const QList<Row> &rows,
                     QDateTime Row::*time, std::type_identity_t<bool (*)(const Row &)> complete, const char *refusal)
{
    for (const Row &r : rows) {
        if (r.imei.isEmpty() || !(r.*time).isValid() || (complete && !complete(r))) {
            tx.reject(table, QString::fromLatin1(refusal));
            continue;
        }
        const qint64 t = (r.*time).toSecsSinceEpoch();
        if (!context.writeFact(tx, table, statement, r, r.imei, t, t))
            return false;
    }
    return true;
}

} // namespace

bool PushIngest::prepare(QString *error)
{
    using P = KeyedUpsert::Policy;
    QSqlDatabase &db = m_context.db();
    const auto atNow = [](const auto &, qint64 t) { return QVariant(t); };
    const auto imei = [](const auto &r, qint64) { return QVariant(r.imei); };
    using E = DeviceEvent;
    using H = Heartbeat;
    using F = FaultCode;
    using FR = FuelReading;
    using TR = TemperatureReading;
    using LR = LbsReading;
    using O = ObdReading;
    using M = MediaUpload;
    using LM = ListedFile;
    using PM = PushMessage;
    using Q = PushQuarantineRecord;
    return m_deviceEvents.prepare(db, QStringLiteral("device_events"), P::Fill, false,
                                  {
                                      {"imei", Role::Key, imei},
                                      {"event_type", Role::Key, [](const E &e, qint64) { return QVariant(e.type); }},
                                      {"event_time", Role::Key,
                                       [](const E &e, qint64) { return QVariant(e.time.toSecsSinceEpoch()); }},
                                      {"device_timezone", Role::Value,
                                       [](const E &e, qint64) { return text(e.timezone); }},
                                      {"received_at", Role::InsertOnly, atNow},
                                  },
                                  error)
        && m_heartbeats.prepare(
            db, QStringLiteral("heartbeats"), P::Fill, false,
            {
                {"imei", Role::Key, imei},
                {"heartbeat_time", Role::Key, [](const H &h, qint64) { return QVariant(h.time.toSecsSinceEpoch()); }},
                {"power_level_pct", Role::Value, [](const H &h, qint64) { return integer(h.powerLevelPct); }},
                {"gsm_signal", Role::Value, [](const H &h, qint64) { return integer(h.gsmSignal); }},
                {"acc", Role::Value, [](const H &h, qint64) { return flag(h.acc); }},
                {"charging", Role::Value, [](const H &h, qint64) { return flag(h.charging); }},
                {"fortify", Role::Value, [](const H &h, qint64) { return integer(h.fortify); }},
                {"oil_cut", Role::Value, [](const H &h, qint64) { return flag(h.oilCut); }},
                {"gps_positioned", Role::Value, [](const H &h, qint64) { return flag(h.gpsPositioned); }},
                {"remote_lock", Role::Value, [](const H &h, qint64) { return integer(h.remoteLock); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        && m_faultCodes.prepare(
            db, QStringLiteral("fault_codes"), P::Fill, false,
            {
                {"imei", Role::Key, [](const F &f, qint64) { return QVariant(f.report.imei); }},
                {"report_time", Role::Key,
                 [](const F &f, qint64) { return QVariant(f.report.reportTime.toSecsSinceEpoch()); }},
                {"fault_code", Role::Key, [](const F &f, qint64) { return QVariant(f.code); }},
                {"event_time", Role::Value, [](const F &f, qint64) { return secs(f.report.eventTime); }},
                {"fault_num", Role::Value, [](const F &f, qint64) { return integer(f.report.faultNum); }},
                {"status_flags", Role::Value, [](const F &f, qint64) { return integer64(f.report.statusFlags); }},
                {"lat", Role::Value, [](const F &f, qint64) { return latitude(f.report.lat, f.report.lng); }},
                {"lng", Role::Value, [](const F &f, qint64) { return longitude(f.report.lat, f.report.lng); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        && m_fuel.prepare(db, QStringLiteral("fuel_readings"), P::Fill, false,
                          {
                              {"imei", Role::Key, imei},
                              {"sensor_path", Role::Key, [](const FR &f, qint64) { return QVariant(f.sensorPath); }},
                              {"reading_time", Role::Key,
                               [](const FR &f, qint64) { return QVariant(f.time.toSecsSinceEpoch()); }},
                              {"value", Role::Value, [](const FR &f, qint64) { return real(f.value); }},
                              {"unit", Role::Value, [](const FR &f, qint64) { return text(f.unit); }},
                              {"gps_time", Role::Value, [](const FR &f, qint64) { return secs(f.gpsTime); }},
                              {"lat", Role::Value, [](const FR &f, qint64) { return latitude(f.lat, f.lng); }},
                              {"lng", Role::Value, [](const FR &f, qint64) { return longitude(f.lat, f.lng); }},
                              {"received_at", Role::InsertOnly, atNow},
                          },
                          error)
        && m_temperatures.prepare(
            db, QStringLiteral("temperature_readings"), P::Fill, false,
            {
                {"imei", Role::Key, imei},
                {"reading_time", Role::Key, [](const TR &r, qint64) { return QVariant(r.time.toSecsSinceEpoch()); }},
                {"temperature_c", Role::Value, [](const TR &r, qint64) { return real(r.temperatureC); }},
                {"humidity_pct", Role::Value, [](const TR &r, qint64) { return real(r.humidityPct); }},
                {"post_time", Role::Value, [](const TR &r, qint64) { return secs(r.postTime); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        && m_lbs.prepare(db, QStringLiteral("lbs_readings"), P::Fill, false,
                         {
                             {"imei", Role::Key, imei},
                             {"reading_time", Role::Key,
                              [](const LR &r, qint64) { return QVariant(r.time.toSecsSinceEpoch()); }},
                             {"post_type", Role::Key, [](const LR &r, qint64) { return QVariant(r.postType); }},
                             {"lbs_json", Role::Value, [](const LR &r, qint64) { return text(r.lbsJson); }},
                             {"received_at", Role::InsertOnly, atNow},
                         },
                         error)
        && m_obd.prepare(
            db, QStringLiteral("obd_readings"), P::Fill, false,
            {
                {"imei", Role::Key, imei},
                {"event_time", Role::Key, [](const O &r, qint64) { return QVariant(r.eventTime.toSecsSinceEpoch()); }},
                {"push_time", Role::Value, [](const O &r, qint64) { return secs(r.pushTime); }},
                {"car_type", Role::Value, [](const O &r, qint64) { return integer(r.carType); }},
                {"acc", Role::Value, [](const O &r, qint64) { return flag(r.acc); }},
                {"status_flags", Role::Value, [](const O &r, qint64) { return integer64(r.statusFlags); }},
                {"lat", Role::Value, [](const O &r, qint64) { return latitude(r.lat, r.lng); }},
                {"lng", Role::Value, [](const O &r, qint64) { return longitude(r.lat, r.lng); }},
                {"engine_rpm", Role::Value, [](const O &r, qint64) { return real(r.engineRpm); }},
                {"coolant_temp_c", Role::Value, [](const O &r, qint64) { return real(r.coolantTempC); }},
                {"fuel_level_pct", Role::Value, [](const O &r, qint64) { return real(r.fuelLevelPct); }},
                {"battery_voltage", Role::Value, [](const O &r, qint64) { return real(r.batteryVoltage); }},
                {"intake_pressure", Role::Value, [](const O &r, qint64) { return real(r.intakePressureKpa); }},
                {"throttle_pct", Role::Value, [](const O &r, qint64) { return real(r.throttlePct); }},
                {"vehicle_speed", Role::Value, [](const O &r, qint64) { return real(r.vehicleSpeedKmh); }},
                {"engine_load_pct", Role::Value, [](const O &r, qint64) { return real(r.engineLoadPct); }},
                {"obd_data", Role::Value, [](const O &r, qint64) { return text(r.obdJson); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        && m_media.prepare(
            db, QStringLiteral("media"), P::Fill, false,
            {
                {"imei", Role::Key, imei},
                {"file_key", Role::Key, [](const M &m, qint64) { return QVariant(m.fileKey); }},
                {"camera", Role::Value, [](const M &m, qint64) { return integer(m.camera); }},
                {"media_type", Role::Value, [](const M &m, qint64) { return text(m.mediaType); }},
                {"mime_type", Role::Value, [](const M &m, qint64) { return text(m.mimeType); }},
                {"created_time", Role::Value, [](const M &m, qint64 now) { return QVariant(mediaCreated(m, now)); }},
                {"duration_s", Role::Value, [](const M &m, qint64) { return integer(m.durationSeconds); }},
                {"business_type", Role::Value, [](const M &m, qint64) { return text(m.businessType); }},
                {"alarm_time", Role::Value, [](const M &m, qint64) { return secs(m.alarmTime); }},
                {"lat", Role::Value, [](const M &m, qint64) { return latitude(m.lat, m.lng); }},
                {"lng", Role::Value, [](const M &m, qint64) { return longitude(m.lat, m.lng); }},
                {"instruction_id", Role::Value, [](const M &m, qint64) { return text(m.instructionId); }},
                {"local_file_name", Role::Value, [](const M &m, qint64) { return text(m.localFileName); }},
                {"source", Role::InsertOnly,
                 [](const M &, qint64) { return QVariant(QString(reportSourceName(ReportSource::Push))); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        // What the cloud lists is its latest word on a file: it fills what a
        // callback left out (where the file is) and replaces a link that
        // changed; what it does not say (a clip's length) stays.
        && m_listedMedia.prepare(
            db, QStringLiteral("media"), P::Merge, false,
            {
                {"imei", Role::Key, [](const LM &m, qint64) { return QVariant(m.event.imei); }},
                {"file_key", Role::Key, [](const LM &m, qint64) { return QVariant(m.key); }},
                {"camera", Role::Value, [](const LM &m, qint64) { return integer(m.file.camera); }},
                {"media_type", Role::Value, [](const LM &m, qint64) { return text(mediaTypeName(m.file.mediaType)); }},
                {"mime_type", Role::Value, [](const LM &m, qint64) { return text(m.file.mimeType); }},
                {"file_url", Role::Value, [](const LM &m, qint64) { return text(m.file.fileUrl); }},
                {"thumb_url", Role::Value, [](const LM &m, qint64) { return text(m.file.thumbUrl); }},
                {"created_time", Role::Value,
                 [](const LM &m, qint64) { return secs(m.file.created.isValid() ? m.file.created : m.event.created); }},
                {"file_size_bytes", Role::Value, [](const LM &m, qint64) { return integer64(m.file.fileSize); }},
                {"business_type", Role::Value, [](const LM &, qint64) { return QVariant(QStringLiteral("eventAttachment")); }},
                {"alarm_time", Role::Value, [](const LM &m, qint64) { return secs(m.event.alarmTime); }},
                {"event_type_id", Role::Value, [](const LM &m, qint64) { return text(m.event.eventTypeId); }},
                {"lat", Role::Value, [](const LM &m, qint64) { return latitude(m.event.lat, m.event.lng); }},
                {"lng", Role::Value, [](const LM &m, qint64) { return longitude(m.event.lat, m.event.lng); }},
                {"source", Role::InsertOnly,
                 [](const LM &, qint64) { return QVariant(QString(reportSourceName(ReportSource::Poll))); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        && m_pushMessages.prepare(
            db, QStringLiteral("push_messages"), P::Fill, false,
            {
                {"endpoint", Role::Key, [](const PM &m, qint64) { return QVariant(m.endpoint); }},
                {"imei", Role::Key, [](const PM &m, qint64) { return QVariant(nonNull(m.imei)); }},
                {"message_time", Role::Key, [](const PM &m, qint64) { return QVariant(m.time.toSecsSinceEpoch()); }},
                {"payload_hash", Role::Key,
                 [](const PM &m, qint64) { return QVariant(sha256Hex(nonNull(m.payload).toUtf8())); }},
                {"kind", Role::InsertOnly, [](const PM &m, qint64) { return QVariant(nonNull(m.kind)); }},
                {"payload", Role::InsertOnly, [](const PM &m, qint64) { return QVariant(nonNull(m.payload)); }},
                {"received_at", Role::InsertOnly, atNow},
            },
            error)
        && m_quarantine.prepare(
            db, QStringLiteral("push_quarantine"), P::Fill, false,
            {
                {"endpoint", Role::Key, [](const Q &q, qint64) { return QVariant(q.endpoint); }},
                {"item_index", Role::Key, [](const Q &q, qint64) { return QVariant(q.itemIndex); }},
                {"content_hash", Role::Key, [](const Q &q, qint64) { return QVariant(sha256Hex(nonNull(q.content))); }},
                {"received_at", Role::InsertOnly,
                 [](const Q &q, qint64) { return QVariant(q.received.toSecsSinceEpoch()); }},
                {"reason", Role::InsertOnly, [](const Q &q, qint64) { return QVariant(nonNull(q.reason)); }},
                {"content", Role::InsertOnly, [](const Q &q, qint64) { return QVariant(nonNull(q.content)); }},
                {"last_received_at", Role::InsertOnly,
                 [](const Q &q, qint64) { return QVariant(q.received.toSecsSinceEpoch()); }},
            },
            error)
        && m_context.prepareQuery(m_quarantineRepeat,
                                  QStringLiteral(
                                      "UPDATE push_quarantine SET times_received = times_received + 1, "
                                      "last_received_at = max(last_received_at, :at) WHERE endpoint = :endpoint "
                                      "AND item_index = :item AND content_hash = :hash"),
                                  error);
}

bool PushIngest::writeEvents(Tx &tx, const IngestBatch &b)
{
    return writeDeviceEvents(tx, b) && writeHeartbeats(tx, b);
}

bool PushIngest::writeFacts(Tx &tx, const IngestBatch &b)
{
    return writeFaultReports(tx, b) && writeFuelReadings(tx, b) && writeTemperatureReadings(tx, b)
        && writeLbsReadings(tx, b) && writeObdReadings(tx, b) && writeMediaUploads(tx, b)
        && writeListedMedia(tx, b) && writePushMessages(tx, b) && writeQuarantine(tx, b);
}

bool PushIngest::writeDeviceEvents(Tx &tx, const IngestBatch &b)
{
    return writeTimedFacts(
        m_context, tx, StoreTable::DeviceEvents, m_deviceEvents, b.deviceEvents, &DeviceEvent::time,
        [](const DeviceEvent &e) { return !e.type.isEmpty(); }, "device event without IMEI, type or time");
}

bool PushIngest::writeHeartbeats(Tx &tx, const IngestBatch &b)
{
    for (const Heartbeat &h : b.heartbeats) {
        if (h.imei.isEmpty() || !h.time.isValid()) {
            tx.reject(StoreTable::Heartbeats, QStringLiteral("heartbeat without IMEI or time"));
            continue;
        }
        const qint64 t = h.time.toSecsSinceEpoch();
        if (!m_context.writeFact(tx, StoreTable::Heartbeats, m_heartbeats, h, h.imei, t, t)
            || !m_state.writeHeartbeat(tx, h))
            return false;
    }
    return true;
}

bool PushIngest::writeFaultReports(Tx &tx, const IngestBatch &b)
{
    for (const FaultReport &r : b.faultReports) {
        if (r.imei.isEmpty() || !r.reportTime.isValid()) {
            tx.reject(StoreTable::FaultCodes, QStringLiteral("fault report without IMEI or report time"));
            continue;
        }
        if (std::none_of(r.codes.cbegin(), r.codes.cend(), [](const QString &c) { return !c.isEmpty(); })) {
            tx.reject(StoreTable::FaultCodes, QStringLiteral("fault report without fault codes"));
            continue;
        }
        if (!m_context.ensureDevice(tx, r.imei))
            return false;
        const qint64 t = r.reportTime.toSecsSinceEpoch();
        for (const QString &code : r.codes) {
            if (code.isEmpty()) {
                tx.reject(StoreTable::FaultCodes, QStringLiteral("empty fault code"));
                continue;
            }
            if (!Context::countFact(tx, StoreTable::FaultCodes, m_faultCodes.upsert(),
                                    m_faultCodes.write(FaultCode{r, code}, tx.now), r.imei, t, t))
                return false;
        }
    }
    return true;
}

bool PushIngest::writeFuelReadings(Tx &tx, const IngestBatch &b)
{
    return writeTimedFacts(m_context, tx, StoreTable::FuelReadings, m_fuel, b.fuelReadings, &FuelReading::time, nullptr,
                           "fuel reading without IMEI or time");
}

bool PushIngest::writeTemperatureReadings(Tx &tx, const IngestBatch &b)
{
    return writeTimedFacts(m_context, tx, StoreTable::TemperatureReadings, m_temperatures, b.temperatureReadings,
                           &TemperatureReading::time, nullptr, "temperature reading without IMEI or time");
}

bool PushIngest::writeLbsReadings(Tx &tx, const IngestBatch &b)
{
    return writeTimedFacts(
        m_context, tx, StoreTable::LbsReadings, m_lbs, b.lbsReadings, &LbsReading::time,
        [](const LbsReading &r) { return !r.postType.isEmpty(); }, "LBS reading without IMEI, time or post type");
}

bool PushIngest::writeObdReadings(Tx &tx, const IngestBatch &b)
{
    return writeTimedFacts(m_context, tx, StoreTable::ObdReadings, m_obd, b.obdReadings, &ObdReading::eventTime,
                           nullptr, "OBD reading without IMEI or event time");
}

bool PushIngest::writeMediaUploads(Tx &tx, const IngestBatch &b)
{
    for (const MediaUpload &m : b.mediaUploads) {
        if (m.imei.isEmpty() || m.fileKey.isEmpty()) {
            tx.reject(StoreTable::Media, QStringLiteral("media upload without IMEI or file key"));
            continue;
        }
        const qint64 created = mediaCreated(m, tx.now);
        if (!m_context.writeFact(tx, StoreTable::Media, m_media, m, m.imei, created, created))
            return false;
    }
    return true;
}

bool PushIngest::writeListedMedia(Tx &tx, const IngestBatch &b)
{
    for (const MediaEvent &e : b.mediaEvents) {
        for (const MediaFile &f : e.files) {
            const QString key = mediaFileKey(f);
            if (e.imei.isEmpty() || key.isEmpty()) {
                tx.reject(StoreTable::Media, QStringLiteral("listed media without IMEI or file URL"));
                continue;
            }
            const QDateTime when = e.alarmTime.isValid() ? e.alarmTime : e.created;
            const qint64 t = when.isValid() ? when.toSecsSinceEpoch() : tx.now;
            if (!m_context.writeFact(tx, StoreTable::Media, m_listedMedia, ListedFile{e, f, key}, e.imei, t, t))
                return false;
        }
    }
    return true;
}

bool PushIngest::writePushMessages(Tx &tx, const IngestBatch &b)
{
    for (const PushMessage &m : b.pushMessages) {
        if (m.endpoint.isEmpty() || !m.time.isValid()) {
            tx.reject(StoreTable::PushMessages, QStringLiteral("push message without endpoint or time"));
            continue;
        }
        // An item that names no device is kept without creating one.
        if (!m.imei.isEmpty() && !m_context.ensureDevice(tx, m.imei))
            return false;
        const qint64 t = m.time.toSecsSinceEpoch();
        if (!Context::countFact(tx, StoreTable::PushMessages, m_pushMessages.upsert(), m_pushMessages.write(m, tx.now),
                                m.imei, t, t))
            return false;
    }
    return true;
}

bool PushIngest::writeQuarantine(Tx &tx, const IngestBatch &b)
{
    for (const PushQuarantineRecord &q : b.quarantine) {
        if (q.endpoint.isEmpty() || !q.received.isValid()) {
            tx.reject(StoreTable::PushQuarantine, QStringLiteral("quarantined push without endpoint or receive time"));
            continue;
        }
        const KeyedUpsert::Outcome outcome = m_quarantine.write(q, tx.now);
        if (outcome != KeyedUpsert::Outcome::Unchanged) {
            if (!Context::count(tx, StoreTable::PushQuarantine, m_quarantine.upsert(), outcome))
                return false;
            continue;
        }
        // The cloud retried a push it had no answer for: one row, counted.
        m_quarantineRepeat.bindValue(QStringLiteral(":at"), q.received.toSecsSinceEpoch());
        m_quarantineRepeat.bindValue(QStringLiteral(":endpoint"), q.endpoint);
        m_quarantineRepeat.bindValue(QStringLiteral(":item"), q.itemIndex);
        m_quarantineRepeat.bindValue(QStringLiteral(":hash"), sha256Hex(nonNull(q.content)));
        if (Context::run(tx, m_quarantineRepeat, QStringLiteral("push_quarantine")) < 0)
            return false;
        ++tx.change.count(StoreTable::PushQuarantine).updated;
    }
    return true;
}

} // namespace Fleet::Ingest
