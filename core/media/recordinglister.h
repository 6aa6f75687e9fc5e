#pragma once

#include "domain/media.h"

#include <QDate>
#include <QObject>
#include <QTimer>

namespace Fleet {

class Clock;
class JimiApi;

// The recordings a dashcam keeps on its card for one channel and day
// (reference §7, field notes §4): history.list.cmd asks the device to
// upload its list under a fresh instructionId, then history.list.get is
// asked until the list is there. While the cloud answers 1207 ("not
// uploaded yet") it polls with back-off (1, 1, 2, 2, 4, 4, 8 … s) for at
// most kMaxWaitSecs of the session's clock, saying so on each wait. An
// offline device, or any other refusal, ends it with the cloud's words.
class RecordingLister : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxWaitSecs = 60;

    struct Outcome
    {
        bool ok = false;
        QList<VideoSegment> segments; // by start time
        QString error; // the cloud's words, when !ok
        QString detail; // the device's result code ("228": offline)
        int polls = 0; // history.list.get asked
    };

    RecordingLister(JimiApi *api, Clock *clock, QObject *parent = nullptr);

    // One list at a time: a new one drops the one under way.
    void list(const QString &imei, int channel, const QDate &day);
    bool isBusy() const { return !m_instructionId.isEmpty(); }

    // The back-off before the n-th repeat of history.list.get (1-based).
    static int backoffSecs(int attempt);

Q_SIGNALS:
    // The device has not uploaded its list yet; asked again in seconds.
    void waiting(int attempt, int seconds);
    void finished(const Fleet::RecordingLister::Outcome &outcome);

private:
    void poll();
    void finish(Outcome outcome);

    JimiApi *m_api;
    Clock *m_clock;
    QTimer m_retry;
    QString m_instructionId;
    QString m_appId;
    QDateTime m_startedAt;
    int m_polls = 0;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::RecordingLister::Outcome)
