#pragma once

#include "domain/timespan.h"
#include "history/trackexport.h"

#include <QColor>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

namespace Fleet {

class Clock;

// What the playback view replays: several vehicles' histories over one
// range, a playhead, and the play/pause state. Playback is proportional to
// real time at the chosen speed (a 10-minute stop takes ten times as long as
// a 1-minute one); positions between fixes are interpolated, never jumped.
// Pure of widgets: the timeline, the map layer and the panel all read it.
class PlaybackModel : public QObject
{
    Q_OBJECT

public:
    struct Vehicle
    {
        TrackExport::Vehicle data;
        QColor colour;
        std::vector<QPointF> world; // each fix projected (Web Mercator unit square)
        std::vector<qint64> timesMs; // each fix's time, ms since the epoch
        std::vector<double> speedSums; // speedSums[i]: the speeds of fixes 0..i-1 added up
        // The mean speed of the fixes (a, b]: what a simplified piece from a to b is coloured by.
        double meanSpeed(qsizetype a, qsizetype b) const
        {
            return b > a ? (speedSums[std::size_t(b + 1)] - speedSums[std::size_t(a + 1)]) / double(b - a) : 0.0;
        }
        // Projected and indexed; any thread (a loader makes them off the GUI thread).
        static Vehicle make(TrackExport::Vehicle data);
    };

    // Where a vehicle is at a moment.
    struct Sample
    {
        bool valid = false; // false: before its first fix (then world is where it will appear)
        QPointF world;
        double lat = 0.0;
        double lng = 0.0;
        std::optional<double> headingDeg;
        double speedKmh = 0.0;
        qsizetype fixIndex = -1; // the fix at or before the moment
        bool inGap = false; // no fix for longer than the gap setting: position unknown
    };

    explicit PlaybackModel(QObject *parent = nullptr);

    static const QList<int> &speeds(); // 1, 2, 5, 10, 30, 60, 300, 600, 3600
    static QColor vehicleColour(int index); // ten apart, then repeating

    void setRange(const TimeSpan &range);
    TimeSpan range() const { return m_range; }
    // Replaces the vehicles (a reload keeps the playhead); each gets its colour.
    void setVehicles(QList<Vehicle> vehicles);
    void setVehicles(const QList<TrackExport::Vehicle> &vehicles);
    const QList<Vehicle> &vehicles() const { return m_vehicles; }
    int vehicleIndex(const QString &imei) const;

    QDateTime playhead() const;
    qint64 playheadMs() const { return m_playheadMs; }
    void setPlayhead(const QDateTime &t);
    void setPlayheadMs(qint64 ms);

    bool isPlaying() const { return m_timer.isActive(); }
    void play();
    void pause();
    void togglePlay();
    int speed() const { return m_speed; }
    void setSpeed(int speed); // one of speeds()
    void faster();
    void slower();

    // The playhead to the next (direction > 0) or previous fix, stop or alarm
    // of any vehicle; false when there is none.
    bool stepFix(int direction);
    bool stepStop(int direction);
    bool stepAlarm(int direction);

    Sample sampleAt(int vehicle, qint64 ms) const;
    Sample sample(int vehicle) const { return sampleAt(vehicle, m_playheadMs); }

    // What moves the playhead while playing: monotonic milliseconds. Null:
    // the system clock. Not owned.
    void setClock(const Clock *clock);
    // One tick of playback (the timer's; tests call it after moving the clock).
    void advance();

Q_SIGNALS:
    void vehiclesChanged();
    void rangeChanged();
    void playheadChanged(qint64 ms);
    void playingChanged(bool playing);
    void speedChanged(int speed);

private:
    // A vehicle's candidate times, sorted: its own list, or one made in scratch.
    using Times = std::function<const std::vector<qint64> &(const Vehicle &, std::vector<qint64> &scratch)>;
    // The playhead to the nearest candidate after (or before) it, over all vehicles.
    bool stepTo(const Times &times, int direction);

    TimeSpan m_range;
    QList<Vehicle> m_vehicles;
    qint64 m_playheadMs = 0;
    int m_speed = 60;
    QTimer m_timer;
    const Clock *m_clock = nullptr;
    qint64 m_lastTickMs = 0;
    double m_carryMs = 0.0;
};

} // namespace Fleet
