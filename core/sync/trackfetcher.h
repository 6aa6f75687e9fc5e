#pragma once

#include "domain/timespan.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Fleet {

class Clock;
class JimiApi;
class StoreReader;
class SyncSink;

// Brings devices' tracks for a span into the store, for playback and export.
// It asks the store which parts it already holds whole (track_coverage),
// fetches only the rest from the cloud with jimi.device.track.list in windows
// of at most 7 days (oldest first, one call at a time), and hands each
// window's fixes, with the window as covered, to the sink: so a second
// request for the same span asks the cloud nothing. The part of the span
// after now (minus a margin) is the live data's and is not fetched.
//
// A window the cloud cannot serve is reported as missing, with the cloud's
// words. When the cloud cannot be reached at all (network, timeout), every
// window not fetched yet is missing and the fetch ends. How far back the cloud
// keeps data is the cloud's to say: a refused window is missing, never
// guessed.
//
// One fetch at a time; everything on the thread of the api and the reader.
class TrackFetcher : public QObject
{
    Q_OBJECT

public:
    struct Missing
    {
        QString imei;
        TimeSpan span;
        QString reason; // the cloud's words, or why it was not asked
        friend bool operator==(const Missing &, const Missing &) = default;
    };

    struct Outcome
    {
        QList<Missing> missing;
        int windowsFetched = 0; // cloud calls that succeeded
        qint64 fixes = 0; // fixes the cloud sent
        bool cancelled = false;
        bool complete() const { return missing.isEmpty() && !cancelled; }
    };

    static constexpr int kEndMarginSecs = 5;

    TrackFetcher(JimiApi *api, StoreReader *reader, SyncSink *sink, Clock *clock, QObject *parent = nullptr);

    // Starts fetching what the store lacks of [span] for each IMEI. False
    // (nothing started) while a fetch is running or the span is invalid.
    // Ends with finished(), also when there was nothing to fetch.
    bool fetch(const QStringList &imeis, const TimeSpan &span);
    // Stops after the call in flight (whose fixes are still stored); what was
    // not fetched is missing. finished() follows, with cancelled set.
    void cancel();
    bool isRunning() const { return m_running; }

    // What the store lacks of span for imei (pure; exposed for tests and the CLI).
    static QList<TimeSpan> plan(const QList<TimeSpan> &covered, const TimeSpan &span, const QDateTime &now);

Q_SIGNALS:
    // After each window: how many of all windows are done (fetched or missing).
    void progress(int done, int total);
    // A window's fixes are committed to the store.
    void windowStored(const QString &imei, const Fleet::TimeSpan &span, int fixes);
    void finished(const Fleet::TrackFetcher::Outcome &outcome);

private:
    struct Window
    {
        QString imei;
        TimeSpan span;
    };
    void next();
    void finish();
    void missRemaining(const QString &reason);

    JimiApi *m_api;
    StoreReader *m_reader;
    SyncSink *m_sink;
    Clock *m_clock;
    QList<Window> m_windows;
    qsizetype m_next = 0;
    int m_done = 0;
    int m_pendingStores = 0;
    bool m_callInFlight = false;
    bool m_running = false;
    bool m_cancelRequested = false;
    Outcome m_outcome;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::TrackFetcher::Outcome)
