#pragma once

#include "domain/alarmdesk.h"
#include "domain/media.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace Fleet {

class JimiApi;
class StoreWriter;

// What to ask the cloud for a fold's photos and clips: its device's event
// media from kAlarmMediaWindowSecs before its first alarm to as long after
// its last, at most the last day of it.
struct AlarmMediaRequest
{
    qint64 alarmId = 0; // the fold's first alarm: what the answer is about
    QString imei;
    QDateTime from; // UTC
    QDateTime to;
};

std::optional<AlarmMediaRequest> alarmMediaRequest(const QList<AlarmDeskRow> &fold);

struct AlarmMediaOutcome
{
    qint64 alarmId = 0;
    int files = 0; // files the cloud listed, now in the store
    QString error; // why the list is not whole (the cloud's words), empty when it is
};

// Brings the event media the cloud lists for an alarm
// (jimi.device.media.event.URL, photos then clips, up to kMaxPages pages of
// each) into the media table through the writer, so that the desk and the
// CLI read them from the store. What arrived before an error is kept.
// Everything on the thread of the api.
class AlarmMediaFetcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 50;
    static constexpr int kMaxPages = 4;

    AlarmMediaFetcher(JimiApi *api, StoreWriter *writer, QObject *parent = nullptr);
    // Fetches still under way end here with their done called (an error).
    ~AlarmMediaFetcher() override;

    // done is called once, after the store committed what was found (or
    // could not).
    using Done = std::function<void(const AlarmMediaOutcome &outcome)>;
    void fetch(const AlarmMediaRequest &request, Done done);

private:
    struct Job
    {
        AlarmMediaRequest request;
        Done done;
        QList<MediaEvent> found;
        int kind = 0; // 0 photos, 1 clips
        int page = 1;
        QString error;
    };
    void ask(int id);
    void store(int id);

    JimiApi *m_api;
    StoreWriter *m_writer;
    QHash<int, Job> m_jobs;
    int m_lastId = 0;
};

} // namespace Fleet
