#include "storeschema.h"

#include "storelog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Fleet {

namespace {

// Version 1: the whole schema of issue 3. Table and column names follow the
// reference's production system where it has them (position_history.source,
// trips.distance_km / max_speed_kmh, alarms.alarm_type / alarm_name /
// alarm_time, obd_readings' scalar columns); every *_time / *_at column is
// INTEGER Unix seconds UTC. See docs/SCHEMA.md.
QStringList version1()
{
    return {
        QStringLiteral("PRAGMA application_id = 1179403348"), // kApplicationId

        // --- devices and their latest state ---
        QStringLiteral(R"(CREATE TABLE devices (
            imei               TEXT PRIMARY KEY NOT NULL,
            device_name        TEXT,
            mc_type            TEXT,
            sim                TEXT,
            iccid              TEXT,
            imsi               TEXT,
            vin                TEXT,
            vehicle_name       TEXT,
            vehicle_number     TEXT,
            vehicle_icon       TEXT,
            driver_name        TEXT,
            driver_phone       TEXT,
            group_id           TEXT,
            group_name         TEXT,
            account            TEXT,
            customer_name      TEXT,
            remark             TEXT,
            activation_time    INTEGER,
            expiration_time    INTEGER,
            enabled            INTEGER,
            current_mileage_km REAL,
            first_seen_at      INTEGER NOT NULL,
            updated_at         INTEGER NOT NULL))"),
        QStringLiteral("CREATE INDEX devices_group ON devices(group_id)"),
        QStringLiteral(R"(CREATE TABLE device_groups (
            group_id   TEXT PRIMARY KEY NOT NULL,
            group_name TEXT,
            updated_at INTEGER NOT NULL))"),
        QStringLiteral(R"(CREATE TABLE device_state (
            imei               TEXT PRIMARY KEY NOT NULL,
            online             INTEGER,
            heartbeat_time     INTEGER,
            gsm_signal         INTEGER,
            current_mileage_km REAL,
            external_voltage_v REAL,
            battery_voltage_v  REAL,
            battery_pct        REAL,
            temperature_c      REAL,
            fuel_l             REAL,
            expired            INTEGER,
            activated          INTEGER,
            address            TEXT,
            updated_at         INTEGER NOT NULL))"),

        // --- positions ---
        // No CHECK constraints here: they cost a third of the insert rate.
        // The writer, the only one who writes, refuses 0,0, out-of-range
        // coordinates and unknown sources before SQL (see IngestWriter).
        QStringLiteral(R"(CREATE TABLE position_history (
            id            INTEGER PRIMARY KEY,
            imei          TEXT NOT NULL,
            gps_time      INTEGER NOT NULL,
            lat           REAL NOT NULL,
            lng           REAL NOT NULL,
            speed_kmh     REAL,
            direction_deg REAL,
            acc           INTEGER,
            satellites    INTEGER,
            altitude_m    REAL,
            confidence    INTEGER,
            pos_type      TEXT,
            reuploaded    INTEGER,
            source        TEXT NOT NULL,
            received_at   INTEGER NOT NULL))"),
        QStringLiteral("CREATE UNIQUE INDEX position_history_key ON position_history(imei, gps_time)"),

        // --- reports ---
        QStringLiteral(R"(CREATE TABLE trips (
            id            INTEGER PRIMARY KEY,
            imei          TEXT NOT NULL,
            start_time    INTEGER NOT NULL,
            end_time      INTEGER,
            distance_km   REAL,
            avg_speed_kmh REAL,
            max_speed_kmh REAL,
            run_time_s    INTEGER,
            idle_time_s   INTEGER,
            start_lat     REAL,
            start_lng     REAL,
            end_lat       REAL,
            end_lng       REAL,
            fuel_l        REAL,
            trip_seq      INTEGER,
            source        TEXT NOT NULL CHECK (source IN ('poll', 'push')),
            received_at   INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL))"),
        QStringLiteral("CREATE UNIQUE INDEX trips_key ON trips(imei, start_time)"),
        QStringLiteral(R"(CREATE TABLE alarms (
            id            INTEGER PRIMARY KEY,
            imei          TEXT NOT NULL,
            alarm_type    TEXT NOT NULL,
            alarm_name    TEXT,
            alarm_time    INTEGER NOT NULL,
            position_time INTEGER,
            lat           REAL,
            lng           REAL,
            speed_kmh     REAL,
            fence_id      TEXT,
            device_name   TEXT,
            model         TEXT,
            source        TEXT NOT NULL CHECK (source IN ('poll', 'push')),
            received_at   INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL))"),
        QStringLiteral("CREATE UNIQUE INDEX alarms_key ON alarms(imei, alarm_type, alarm_time)"),
        QStringLiteral("CREATE INDEX alarms_imei_time ON alarms(imei, alarm_time)"),
        QStringLiteral("CREATE INDEX alarms_time ON alarms(alarm_time)"),
        QStringLiteral(R"(CREATE TABLE parking_idling (
            id          INTEGER PRIMARY KEY,
            imei        TEXT NOT NULL,
            start_time  INTEGER NOT NULL,
            end_time    INTEGER,
            duration_s  INTEGER,
            stop_s      INTEGER,
            acc_on      INTEGER,
            lat         REAL,
            lng         REAL,
            address     TEXT,
            device_name TEXT,
            received_at INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL))"),
        // acc_on may be unknown; NULLs are distinct in a UNIQUE index, so key on -1 instead.
        QStringLiteral("CREATE UNIQUE INDEX parking_idling_key "
                       "ON parking_idling(imei, start_time, coalesce(acc_on, -1))"),

        // --- push-only data (writers come with the webhook issue) ---
        QStringLiteral(R"(CREATE TABLE device_events (
            id              INTEGER PRIMARY KEY,
            imei            TEXT NOT NULL,
            event_type      TEXT NOT NULL,
            event_time      INTEGER NOT NULL,
            device_timezone TEXT,
            received_at     INTEGER NOT NULL,
            UNIQUE (imei, event_type, event_time)))"),
        QStringLiteral(R"(CREATE TABLE heartbeats (
            id              INTEGER PRIMARY KEY,
            imei            TEXT NOT NULL,
            heartbeat_time  INTEGER NOT NULL,
            power_level_pct INTEGER,
            gsm_signal      INTEGER,
            acc             INTEGER,
            charging        INTEGER,
            fortify         INTEGER,
            received_at     INTEGER NOT NULL,
            UNIQUE (imei, heartbeat_time)))"),
        QStringLiteral(R"(CREATE TABLE fault_codes (
            id           INTEGER PRIMARY KEY,
            imei         TEXT NOT NULL,
            report_time  INTEGER NOT NULL,
            fault_code   TEXT NOT NULL,
            event_time   INTEGER,
            fault_num    INTEGER,
            status_flags INTEGER,
            lat          REAL,
            lng          REAL,
            received_at  INTEGER NOT NULL,
            UNIQUE (imei, report_time, fault_code)))"),
        QStringLiteral(R"(CREATE TABLE fuel_readings (
            id           INTEGER PRIMARY KEY,
            imei         TEXT NOT NULL,
            sensor_path  INTEGER NOT NULL DEFAULT 0,
            reading_time INTEGER NOT NULL,
            value        REAL,
            unit         TEXT,
            gps_time     INTEGER,
            lat          REAL,
            lng          REAL,
            received_at  INTEGER NOT NULL,
            UNIQUE (imei, sensor_path, reading_time)))"),
        QStringLiteral(R"(CREATE TABLE temperature_readings (
            id            INTEGER PRIMARY KEY,
            imei          TEXT NOT NULL,
            reading_time  INTEGER NOT NULL,
            temperature_c REAL,
            humidity_pct  REAL,
            post_time     INTEGER,
            received_at   INTEGER NOT NULL,
            UNIQUE (imei, reading_time)))"),
        QStringLiteral(R"(CREATE TABLE lbs_readings (
            id           INTEGER PRIMARY KEY,
            imei         TEXT NOT NULL,
            reading_time INTEGER NOT NULL,
            post_type    TEXT NOT NULL,
            lbs_json     TEXT,
            lat          REAL,
            lng          REAL,
            accuracy_m   REAL,
            received_at  INTEGER NOT NULL,
            UNIQUE (imei, reading_time, post_type)))"),
        QStringLiteral(R"(CREATE TABLE obd_readings (
            id              INTEGER PRIMARY KEY,
            imei            TEXT NOT NULL,
            event_time      INTEGER NOT NULL,
            push_time       INTEGER,
            car_type        INTEGER,
            acc             INTEGER,
            status_flags    INTEGER,
            lat             REAL,
            lng             REAL,
            engine_rpm      REAL,
            coolant_temp_c  REAL,
            fuel_level_pct  REAL,
            battery_voltage REAL,
            intake_pressure REAL,
            throttle_pct    REAL,
            vehicle_speed   REAL,
            engine_load_pct REAL,
            obd_data        TEXT,
            received_at     INTEGER NOT NULL,
            UNIQUE (imei, event_time)))"),

        // --- fences, commands, media ---
        QStringLiteral(R"(CREATE TABLE fences (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL CHECK (kind IN ('platform', 'device')),
            fence_id    TEXT,
            imei        TEXT NOT NULL DEFAULT '',
            account     TEXT,
            name        TEXT NOT NULL,
            shape       TEXT NOT NULL CHECK (shape IN ('circle', 'polygon')),
            points_json TEXT NOT NULL,
            radius_m    INTEGER,
            color       TEXT,
            description TEXT,
            alarm_type  TEXT,
            report_mode INTEGER,
            enabled     INTEGER NOT NULL DEFAULT 1,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL))"),
        QStringLiteral("CREATE UNIQUE INDEX fences_key ON fences(kind, imei, fence_id)"),
        QStringLiteral(R"(CREATE TABLE fence_bindings (
            fence           INTEGER NOT NULL REFERENCES fences(id) ON DELETE CASCADE,
            imei            TEXT NOT NULL,
            alert_type      TEXT,
            stay_time_in_s  INTEGER,
            stay_time_out_s INTEGER,
            updated_at      INTEGER NOT NULL,
            PRIMARY KEY (fence, imei)) WITHOUT ROWID)"),
        QStringLiteral(R"(CREATE TABLE commands (
            id             INTEGER PRIMARY KEY,
            imei           TEXT NOT NULL,
            template_id    TEXT,
            command_text   TEXT NOT NULL,
            params_json    TEXT,
            sent_time      INTEGER NOT NULL,
            sender         TEXT,
            result_code    INTEGER,
            result_message TEXT,
            server_flag_id TEXT,
            state          TEXT NOT NULL DEFAULT 'waiting'
                           CHECK (state IN ('unknown', 'waiting', 'succeeded', 'failed', 'cancelled')),
            code_id        TEXT,
            reply_content  TEXT,
            reply_time     INTEGER,
            updated_at     INTEGER NOT NULL))"),
        QStringLiteral("CREATE INDEX commands_imei_time ON commands(imei, sent_time)"),
        QStringLiteral("CREATE UNIQUE INDEX commands_server_flag ON commands(imei, server_flag_id)"),
        QStringLiteral(R"(CREATE TABLE media (
            id              INTEGER PRIMARY KEY,
            imei            TEXT NOT NULL,
            file_key        TEXT NOT NULL,
            camera          INTEGER,
            media_type      TEXT,
            mime_type       TEXT,
            file_url        TEXT,
            thumb_url       TEXT,
            created_time    INTEGER,
            file_size_bytes INTEGER,
            duration_s      INTEGER,
            business_type   TEXT,
            alarm_time      INTEGER,
            event_type_id   TEXT,
            lat             REAL,
            lng             REAL,
            instruction_id  TEXT,
            source          TEXT NOT NULL CHECK (source IN ('poll', 'push')),
            received_at     INTEGER NOT NULL,
            UNIQUE (imei, file_key)))"),
        QStringLiteral("CREATE INDEX media_imei_time ON media(imei, created_time)"),

        // --- tokens and sync state ---
        QStringLiteral(R"(CREATE TABLE tokens (
            account_key         TEXT PRIMARY KEY NOT NULL,
            account             TEXT,
            access_token        TEXT,
            refresh_token       TEXT,
            obtained_at         INTEGER,
            expires_at          INTEGER,
            last_token_get_time INTEGER,
            updated_at          INTEGER NOT NULL))"),
        QStringLiteral(R"(CREATE TABLE sync_state (
            job            TEXT NOT NULL,
            imei           TEXT NOT NULL DEFAULT '',
            watermark_time INTEGER NOT NULL,
            updated_at     INTEGER NOT NULL,
            PRIMARY KEY (job, imei)) WITHOUT ROWID)"),
    };
}

// Version 2: the webhook issue. The push quarantine, a table for
// the pushes that have none of their own, the device status that pushes
// report, and the columns the push lists bring to tables of version 1.
QStringList version2()
{
    return {
        // What could not be read; a retried push is one row, counted.
        QStringLiteral(R"(CREATE TABLE push_quarantine (
            id               INTEGER PRIMARY KEY,
            endpoint         TEXT NOT NULL,
            received_at      INTEGER NOT NULL,
            item_index       INTEGER NOT NULL,
            reason           TEXT NOT NULL,
            content          BLOB NOT NULL,
            content_hash     TEXT NOT NULL,
            times_received   INTEGER NOT NULL DEFAULT 1,
            last_received_at INTEGER NOT NULL,
            UNIQUE (endpoint, item_index, content_hash)))"),
        QStringLiteral("CREATE INDEX push_quarantine_last ON push_quarantine(last_received_at)"),
        // '' rather than NULL for an item without device or sub-type: both
        // are part of the key, and NULLs would be distinct in it.
        QStringLiteral(R"(CREATE TABLE push_messages (
            id           INTEGER PRIMARY KEY,
            endpoint     TEXT NOT NULL,
            imei         TEXT NOT NULL DEFAULT '',
            kind         TEXT NOT NULL DEFAULT '',
            message_time INTEGER NOT NULL,
            payload      TEXT NOT NULL,
            payload_hash TEXT NOT NULL,
            received_at  INTEGER NOT NULL,
            UNIQUE (endpoint, imei, message_time, payload_hash)))"),
        QStringLiteral("CREATE INDEX push_messages_imei_time ON push_messages(imei, message_time)"),

        // The status bits of /pushgps and the heartbeat's values, as the
        // device's latest state.
        QStringLiteral("ALTER TABLE device_state ADD COLUMN status_flags INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN status_time INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN oil_cut INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN power_cut INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN door_locked INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN doors_open INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN gnss TEXT"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN power_level_pct INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN charging INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN fortify INTEGER"),

        QStringLiteral("ALTER TABLE heartbeats ADD COLUMN oil_cut INTEGER"),
        QStringLiteral("ALTER TABLE heartbeats ADD COLUMN gps_positioned INTEGER"),
        QStringLiteral("ALTER TABLE heartbeats ADD COLUMN remote_lock INTEGER"),

        QStringLiteral("ALTER TABLE media ADD COLUMN local_file_name TEXT"),

        // A command's answer may arrive for a command FleetDesk did not send
        // (the web platform, another client): then its text and send time
        // are unknown, which version 1 did not allow. SQLite cannot drop a
        // NOT NULL constraint, so the table is rebuilt, rows and ids kept.
        QStringLiteral(R"(CREATE TABLE commands_v2 (
            id             INTEGER PRIMARY KEY,
            imei           TEXT NOT NULL,
            template_id    TEXT,
            command_text   TEXT,
            params_json    TEXT,
            sent_time      INTEGER,
            sender         TEXT,
            result_code    INTEGER,
            result_message TEXT,
            server_flag_id TEXT,
            state          TEXT NOT NULL DEFAULT 'waiting'
                           CHECK (state IN ('unknown', 'waiting', 'succeeded', 'failed', 'cancelled')),
            code_id        TEXT,
            reply_content  TEXT,
            reply_time     INTEGER,
            reply_msg_type INTEGER,
            updated_at     INTEGER NOT NULL))"),
        QStringLiteral("INSERT INTO commands_v2 (id, imei, template_id, command_text, params_json, sent_time, sender, "
                       "result_code, result_message, server_flag_id, state, code_id, reply_content, reply_time, "
                       "updated_at) SELECT id, imei, template_id, command_text, params_json, sent_time, sender, "
                       "result_code, result_message, server_flag_id, state, code_id, reply_content, reply_time, "
                       "updated_at FROM commands"),
        QStringLiteral("DROP TABLE commands"),
        QStringLiteral("ALTER TABLE commands_v2 RENAME TO commands"),
        QStringLiteral("CREATE INDEX commands_imei_time ON commands(imei, sent_time)"),
        QStringLiteral("CREATE UNIQUE INDEX commands_server_flag ON commands(imei, server_flag_id)"),
    };
}

// Version 3: the cloud's sharp edges (issue 10). The device's current
// readings, each with the device time it belongs to, so that an ignition
// change with a repeated GPS time, or speed and heading without a fix, are
// kept (and a late report never overwrites a newer one).
QStringList version3()
{
    return {
        QStringLiteral("ALTER TABLE device_state ADD COLUMN acc INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN acc_time INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN speed_kmh REAL"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN direction_deg REAL"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN satellites INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN pos_type TEXT"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN motion_time INTEGER"),
        // The device's odometer as pushed (/pushgps distance), and the
        // newest per-device total of track.mileage with the range it covers.
        QStringLiteral("ALTER TABLE device_state ADD COLUMN odometer_km REAL"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN odometer_time INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN mileage_total_km REAL"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN mileage_from INTEGER"),
        QStringLiteral("ALTER TABLE device_state ADD COLUMN mileage_to INTEGER"),
        // What a dispatcher needs of an alarm beyond its type and place: the
        // device's serial number (the input of "acknowledge alarm"), the
        // driver, the media the device took, the value, and (polled) the account.
        QStringLiteral("ALTER TABLE alarms ADD COLUMN account TEXT"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN serial_no INTEGER"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN driver_name TEXT"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN driver_id TEXT"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN media_file TEXT"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN alert_value TEXT"),
    };
}

// Version 4: track playback (issue 12). Which spans of a device's track the
// store holds whole, as jimi.device.track.list answered them, so that a
// replay asks the cloud only for what is missing, and only once. Spans of
// one device never overlap or touch: the writer merges them.
QStringList version4()
{
    return {
        QStringLiteral(R"(CREATE TABLE track_coverage (
            imei       TEXT NOT NULL,
            from_time  INTEGER NOT NULL,
            to_time    INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (imei, from_time),
            CHECK (to_time >= from_time)) WITHOUT ROWID)"),
    };
}

// Version 5: the alarm desk (issue 13). Where each alarm's handling stands
// (state, who, when, the last note), repeats folded into the first alarm of a
// run (folded_into names it; the first keeps the count and the newest time),
// and every step in alarm_actions. The partial indexes serve the desk's
// newest-first pages of fold heads, whole or by state.
QStringList version5()
{
    return {
        QStringLiteral("ALTER TABLE alarms ADD COLUMN state TEXT NOT NULL DEFAULT 'new' "
                       "CHECK (state IN ('new', 'acknowledged', 'resolved'))"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN handled_by TEXT"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN handled_at INTEGER"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN note TEXT"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN folded_into INTEGER"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN fold_count INTEGER NOT NULL DEFAULT 1"),
        QStringLiteral("ALTER TABLE alarms ADD COLUMN fold_last INTEGER"),
        QStringLiteral("UPDATE alarms SET fold_last = alarm_time"),
        QStringLiteral("CREATE INDEX alarms_heads ON alarms(alarm_time, id) WHERE folded_into IS NULL"),
        QStringLiteral("CREATE INDEX alarms_state_heads ON alarms(state, alarm_time, id) WHERE folded_into IS NULL"),
        QStringLiteral("CREATE INDEX alarms_folded ON alarms(folded_into) WHERE folded_into IS NOT NULL"),
        QStringLiteral("CREATE INDEX alarms_type_heads ON alarms(alarm_type, state, alarm_time) WHERE folded_into IS NULL"),
        // A change's rows: the runs of its vehicles that reach into its span.
        QStringLiteral("CREATE INDEX alarms_imei_fold ON alarms(imei, fold_last) WHERE folded_into IS NULL"),
        QStringLiteral(R"(CREATE TABLE alarm_actions (
            id         INTEGER PRIMARY KEY,
            alarm      INTEGER NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
            action     TEXT NOT NULL CHECK (action IN ('acknowledge', 'resolve', 'note')),
            from_state TEXT NOT NULL,
            to_state   TEXT NOT NULL,
            operator   TEXT NOT NULL,
            note       TEXT,
            acted_at   INTEGER NOT NULL))"),
        QStringLiteral("CREATE INDEX alarm_actions_alarm ON alarm_actions(alarm, acted_at)"),
    };
}

// Version 6: acknowledgements sent to devices (issue 13). A 'device_ack' row
// of alarm_actions is the instruction (Appendix A, proNo 33283) sent for one
// alarm: its serial number, then the gateway's answer (device_result,
// result_code, result_message, answered_at), matched by request_key. SQLite
// cannot widen a CHECK, so the table is rebuilt, rows and ids kept.
QStringList version6()
{
    return {
        QStringLiteral(R"(CREATE TABLE alarm_actions_v6 (
            id             INTEGER PRIMARY KEY,
            alarm          INTEGER NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
            action         TEXT NOT NULL CHECK (action IN ('acknowledge', 'resolve', 'note', 'device_ack')),
            from_state     TEXT NOT NULL,
            to_state       TEXT NOT NULL,
            operator       TEXT NOT NULL,
            note           TEXT,
            acted_at       INTEGER NOT NULL,
            serial_no      INTEGER,
            device_result  TEXT CHECK (device_result IN
                               ('sending', 'confirmed', 'refused', 'offline', 'timed_out', 'failed')),
            result_code    INTEGER,
            result_message TEXT,
            answered_at    INTEGER,
            request_key    TEXT UNIQUE,
            CHECK ((action = 'device_ack') = (device_result IS NOT NULL AND serial_no IS NOT NULL
                                              AND request_key IS NOT NULL))))"),
        QStringLiteral("INSERT INTO alarm_actions_v6 (id, alarm, action, from_state, to_state, operator, note, acted_at) "
                       "SELECT id, alarm, action, from_state, to_state, operator, note, acted_at FROM alarm_actions"),
        QStringLiteral("DROP TABLE alarm_actions"),
        QStringLiteral("ALTER TABLE alarm_actions_v6 RENAME TO alarm_actions"),
        QStringLiteral("CREATE INDEX alarm_actions_alarm ON alarm_actions(alarm, acted_at)"),
    };
}

// Version 7: photos and clips on alarms (issue 13). The desk looks up the
// media taken for an alarm by device and alarm time.
QStringList version7()
{
    return {
        QStringLiteral("CREATE INDEX media_imei_alarm ON media(imei, alarm_time)"),
    };
}

// Version 8: the desk's text search (issue 13). What a search compares
// falls in two parts. The vehicle (IMEI, the registry's name and plate, the
// name an alarm gave its device) leads to a few IMEIs, whose alarms an index
// finds: alarm_device_names keeps each (IMEI, device name) the alarms gave.
// The alarm's own words (name, type code, last note, operator) are in
// alarm_search, a trigram full-text index (FTS5: any substring of 3
// characters or more) of the runs' first alarms. Triggers keep both. The
// search still compares with LIKE; these only find the few rows a rare text
// matches without a walk of every alarm.
QString searchWords(const QString &a)
{
    return QStringLiteral("ifnull(%1.alarm_name, '') || ' ' || %1.alarm_type || ' ' || ifnull(%1.note, '') || ' ' || "
                          "ifnull(%1.handled_by, '')")
        .arg(a);
}

// The journal of video streams: every stream opened in the cloud until the
// cloud confirms its close, so that one a crash left open is closed at the
// next start; then kept, as a record of the watch time the cloud bills.
QStringList version9()
{
    return {
        QStringLiteral("CREATE TABLE video_streams (app_id TEXT NOT NULL, imei TEXT NOT NULL, "
                       "channel INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('live', 'history')), "
                       "opened_at INTEGER, closed_at INTEGER, close_result TEXT, updated_at INTEGER NOT NULL, "
                       "PRIMARY KEY (app_id, imei, channel, kind)) WITHOUT ROWID"),
        QStringLiteral("CREATE INDEX video_streams_open ON video_streams (opened_at) WHERE closed_at IS NULL"),
    };
}

// Version 10: commands tracked to the end, and the desk's own groups (issue
// 15). A command now moves through sending, accepted, queued, delivered and
// a final state (answered, failed, timed_out, offline, cancelled); it keeps
// who sent it (operator), the send it belongs to (batch_key, one per
// "send to N vehicles"), how it went (route), its danger, its deadline, and
// the instruction.result row it was matched to (result_key: the text and
// sendTime, as the cloud lists it; see docs/COMMANDS.md). Rows the cloud
// reported for commands FleetDesk did not send have origin 'cloud'. Old
// states map: waiting -> accepted, succeeded -> answered (delivered when no
// reply came). SQLite cannot change a CHECK, so the table is rebuilt.
QStringList version10()
{
    return {
        QStringLiteral(R"(CREATE TABLE commands_v10 (
            id             INTEGER PRIMARY KEY,
            imei           TEXT NOT NULL,
            client_key     TEXT,
            batch_key      TEXT,
            origin         TEXT NOT NULL DEFAULT 'fleetdesk' CHECK (origin IN ('fleetdesk', 'cloud')),
            route          TEXT CHECK (route IN ('template', 'gateway', 'raw')),
            template_id    TEXT,
            template_name  TEXT,
            command_text   TEXT,
            params_json    TEXT,
            danger         TEXT,
            operator       TEXT,
            sent_time      INTEGER,
            sender         TEXT,
            result_code    INTEGER,
            result_message TEXT,
            server_flag_id TEXT,
            state          TEXT NOT NULL DEFAULT 'sending'
                           CHECK (state IN ('sending', 'accepted', 'queued', 'delivered', 'answered', 'failed',
                                            'timed_out', 'offline', 'cancelled', 'unknown')),
            state_time     INTEGER,
            deadline       INTEGER,
            code_id        TEXT,
            result_key     TEXT,
            reply_content  TEXT,
            reply_time     INTEGER,
            reply_msg_type INTEGER,
            updated_at     INTEGER NOT NULL))"),
        QStringLiteral("INSERT INTO commands_v10 (id, imei, origin, template_id, command_text, params_json, sent_time, "
                       "sender, result_code, result_message, server_flag_id, state, state_time, code_id, "
                       "reply_content, reply_time, reply_msg_type, updated_at) "
                       "SELECT id, imei, CASE WHEN command_text IS NULL THEN 'cloud' ELSE 'fleetdesk' END, "
                       "template_id, command_text, params_json, sent_time, sender, result_code, result_message, "
                       "server_flag_id, CASE state WHEN 'waiting' THEN 'accepted' WHEN 'succeeded' THEN "
                       "CASE WHEN ifnull(reply_content, '') = '' THEN 'delivered' ELSE 'answered' END ELSE state END, "
                       "updated_at, code_id, reply_content, reply_time, reply_msg_type, updated_at FROM commands"),
        QStringLiteral("DROP TABLE commands"),
        QStringLiteral("ALTER TABLE commands_v10 RENAME TO commands"),
        QStringLiteral("CREATE INDEX commands_imei_time ON commands(imei, sent_time)"),
        QStringLiteral("CREATE UNIQUE INDEX commands_server_flag ON commands(imei, server_flag_id)"),
        QStringLiteral("CREATE UNIQUE INDEX commands_client_key ON commands(client_key)"),
        QStringLiteral("CREATE UNIQUE INDEX commands_result_key ON commands(imei, result_key)"),
        // The Commands list: newest first, by the time a row is listed under.
        QStringLiteral("CREATE INDEX commands_listed ON commands(coalesce(sent_time, reply_time, updated_at), id)"),
        QStringLiteral("CREATE INDEX commands_open ON commands(state) WHERE state IN ('sending', 'accepted', "
                       "'queued', 'delivered')"),

        // Local groups (tags): the desk's own grouping of vehicles, beside
        // the cloud's groups, which it cannot change membership of.
        QStringLiteral("CREATE TABLE local_groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, "
                       "color TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE local_group_members (grp INTEGER NOT NULL REFERENCES local_groups(id) "
                       "ON DELETE CASCADE, imei TEXT NOT NULL, added_at INTEGER NOT NULL, "
                       "PRIMARY KEY (grp, imei)) WITHOUT ROWID"),
        QStringLiteral("CREATE INDEX local_group_members_imei ON local_group_members(imei)"),
    };
}

// Version 11: fleet administration (issue 15). A device moved to another
// account (jimi.open.device.move) leaves this account's view: departed_at and
// departed_to say when and where, until a device list names it again. Its
// history stays.
QStringList version11()
{
    return {
        QStringLiteral("ALTER TABLE devices ADD COLUMN departed_at INTEGER"),
        QStringLiteral("ALTER TABLE devices ADD COLUMN departed_to TEXT"),
        QStringLiteral("CREATE INDEX devices_expiration ON devices(expiration_time) WHERE departed_at IS NULL"),
    };
}

QStringList version8()
{
    return {
        QStringLiteral("CREATE VIRTUAL TABLE alarm_search USING fts5(words, tokenize = 'trigram')"),
        QStringLiteral("INSERT INTO alarm_search(rowid, words) SELECT a.id, %1 FROM alarms a WHERE a.folded_into IS NULL")
            .arg(searchWords(QStringLiteral("a"))),
        QStringLiteral("CREATE TABLE alarm_device_names (imei TEXT NOT NULL, device_name TEXT NOT NULL, "
                       "PRIMARY KEY (imei, device_name)) WITHOUT ROWID"),
        QStringLiteral("INSERT OR IGNORE INTO alarm_device_names SELECT imei, device_name FROM alarms "
                       "WHERE device_name IS NOT NULL"),
        QStringLiteral("CREATE TRIGGER alarm_search_added AFTER INSERT ON alarms BEGIN "
                       "INSERT INTO alarm_search(rowid, words) SELECT new.id, %1 WHERE new.folded_into IS NULL; "
                       "INSERT OR IGNORE INTO alarm_device_names SELECT new.imei, new.device_name "
                       "WHERE new.device_name IS NOT NULL; END")
            .arg(searchWords(QStringLiteral("new"))),
        QStringLiteral("CREATE TRIGGER alarm_search_changed AFTER UPDATE OF alarm_name, alarm_type, note, handled_by, "
                       "folded_into ON alarms "
                       "WHEN old.alarm_name IS NOT new.alarm_name OR old.alarm_type IS NOT new.alarm_type "
                       "OR old.note IS NOT new.note OR old.handled_by IS NOT new.handled_by "
                       "OR old.folded_into IS NOT new.folded_into BEGIN "
                       "DELETE FROM alarm_search WHERE rowid = old.id; "
                       "INSERT INTO alarm_search(rowid, words) SELECT new.id, %1 WHERE new.folded_into IS NULL; END")
            .arg(searchWords(QStringLiteral("new"))),
        QStringLiteral("CREATE TRIGGER alarm_device_name_changed AFTER UPDATE OF imei, device_name ON alarms "
                       "WHEN new.device_name IS NOT NULL AND (old.imei IS NOT new.imei "
                       "OR old.device_name IS NOT new.device_name) BEGIN "
                       "INSERT OR IGNORE INTO alarm_device_names VALUES (new.imei, new.device_name); END"),
        QStringLiteral("CREATE TRIGGER alarm_search_removed AFTER DELETE ON alarms BEGIN "
                       "DELETE FROM alarm_search WHERE rowid = old.id; END"),
    };
}

bool execOne(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

QString firstLine(const QString &sql)
{
    const QString simplified = sql.simplified();
    return simplified.size() > 80 ? simplified.left(77) + QStringLiteral("...") : simplified;
}

} // namespace

const QList<StoreMigration> &StoreSchema::migrations()
{
    static const QList<StoreMigration> list{
        StoreMigration{1, QStringLiteral("initial schema (issue 3)"), version1()},
        StoreMigration{2, QStringLiteral("push data (webhook issue)"), version2()},
        StoreMigration{3, QStringLiteral("current readings, alarm details, odometers (issue 10)"), version3()},
        StoreMigration{4, QStringLiteral("track coverage (issue 12)"), version4()},
        StoreMigration{5, QStringLiteral("alarm desk (issue 13)"), version5()},
        StoreMigration{6, QStringLiteral("acknowledgements sent to devices (issue 13)"), version6()},
        StoreMigration{7, QStringLiteral("media on alarms (issue 13)"), version7()},
        StoreMigration{8, QStringLiteral("text search of the alarm desk (issue 13)"), version8()},
        StoreMigration{9, QStringLiteral("video streams opened in the cloud (issue 14)"), version9()},
        StoreMigration{10, QStringLiteral("commands tracked to the end, local groups (issue 15)"), version10()},
        StoreMigration{11, QStringLiteral("devices moved to other accounts (issue 15)"), version11()},
    };
    return list;
}

int StoreSchema::latestVersion()
{
    return migrations().isEmpty() ? 0 : migrations().constLast().version;
}

int StoreSchema::version(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        if (error)
            *error = QStringLiteral("cannot read the schema version: %1").arg(q.lastError().text());
        return -1;
    }
    return q.value(0).toInt();
}

QString StoreSchema::newerSchemaMessage(int found, int supported)
{
    return QStringLiteral("database schema version %1 is newer than this FleetDesk (supports up to %2)")
        .arg(found)
        .arg(supported);
}

bool StoreSchema::refuse(QSqlDatabase &db, int supported, QString *error)
{
    QString readError;
    const int current = version(db, &readError);
    if (current < 0) {
        if (error)
            *error = readError;
        return true;
    }
    if (current > supported) {
        if (error)
            *error = newerSchemaMessage(current, supported);
        return true;
    }
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA application_id")) || !q.next()) {
        if (error)
            *error = QStringLiteral("cannot read the application id: %1").arg(q.lastError().text());
        return true;
    }
    const int appId = q.value(0).toInt();
    q.finish();
    if (appId != 0 && appId != kApplicationId) {
        if (error)
            *error = QStringLiteral("not a FleetDesk database (application id %1)").arg(appId);
        return true;
    }
    if (current == 0) {
        // Version 0 is a new, empty file; anything else is somebody else's database.
        if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next()) {
            if (error)
                *error = q.lastError().text();
            return true;
        }
        if (q.value(0).toInt() > 0) {
            if (error)
                *error = QStringLiteral("not a FleetDesk database (it has tables but no FleetDesk schema version)");
            return true;
        }
    }
    return false;
}

bool StoreSchema::migrate(QSqlDatabase &db, const QList<StoreMigration> &list, QString *error)
{
    const int supported = list.isEmpty() ? 0 : list.constLast().version;
    if (refuse(db, supported, error))
        return false;
    const int current = version(db, error);
    for (const StoreMigration &m : list) {
        if (m.version <= current)
            continue;
        // IMMEDIATE takes the write lock first, so two processes opening the
        // same new file cannot both start migrating it.
        QString why;
        if (!execOne(db, QStringLiteral("BEGIN IMMEDIATE"), &why)) {
            if (error)
                *error = QStringLiteral("migration %1 (%2) could not start: %3").arg(m.version).arg(m.name, why);
            return false;
        }
        // Another process may have migrated between our check and the lock.
        const int now = version(db, &why);
        if (now >= m.version) {
            execOne(db, QStringLiteral("ROLLBACK"), nullptr);
            continue;
        }
        bool ok = true;
        for (const QString &sql : m.statements) {
            if (!execOne(db, sql, &why)) {
                why = QStringLiteral("%1 [in: %2]").arg(why, firstLine(sql));
                ok = false;
                break;
            }
        }
        if (ok)
            ok = execOne(db, QStringLiteral("PRAGMA user_version = %1").arg(m.version), &why);
        if (ok)
            ok = execOne(db, QStringLiteral("COMMIT"), &why);
        if (!ok) {
            execOne(db, QStringLiteral("ROLLBACK"), nullptr);
            if (error)
                *error = QStringLiteral("migration %1 (%2) failed and was rolled back; the database stays at "
                                        "version %3: %4")
                             .arg(m.version)
                             .arg(m.name)
                             .arg(now)
                             .arg(why);
            qCWarning(lcStore).noquote() << (error ? *error : why);
            return false;
        }
        qCInfo(lcStore) << "schema migrated to version" << m.version << m.name;
    }
    return true;
}

} // namespace Fleet
