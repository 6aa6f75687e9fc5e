#pragma once

#include "fencegeometry.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QStringList>
#include <QTime>
#include <QTimeZone>

#include <memory>

namespace Fleet {

class FenceIndex;

// When a fence's alarms count: days of the week and a span of the day, in a
// time zone. Empty (the default): always.
struct FenceSchedule
{
    quint8 days = 0x7f; // bit 0 Monday .. bit 6 Sunday
    QTime from; // invalid with to: the whole day
    QTime to; // exclusive; before from: the span crosses midnight
    QTimeZone zone = QTimeZone::utc();

    bool covers(const QDateTime &utc) const;
    bool isAlways() const { return days == 0x7f && !from.isValid() && !to.isValid(); }
    friend bool operator==(const FenceSchedule &, const FenceSchedule &) = default;
};

// A fence as the local engine evaluates it.
struct FenceRule
{
    qint64 id = 0;
    FenceShape shape;
    bool alarmOnEnter = true;
    bool alarmOnExit = true;
    int dwellSecs = 0; // > 0: a dwell alarm once a vehicle stayed inside this long
    QStringList imeis; // the vehicles it applies to; empty: every vehicle
    FenceSchedule schedule;

    friend bool operator==(const FenceRule &, const FenceRule &) = default;
};

// What a crossing raised: an alarm of FleetDesk's own.
struct FenceEvent
{
    enum class Kind { Enter, Exit, Dwell };
    Kind kind = Kind::Enter;
    qint64 fence = 0;
    QString imei;
    QDateTime time; // the fix that decided it (UTC)
    GeoPoint where;

    // "local.fence.enter", "local.fence.exit", "local.fence.dwell": the
    // alarm type codes of these events.
    static QString typeCode(Kind kind);
    friend bool operator==(const FenceEvent &, const FenceEvent &) = default;
};

// The local fence engine: every position of every vehicle, from the poller
// and the webhook alike, against the fences that apply to it.
//
// - A crossing needs the vehicle clearly on the other side: inside by at
//   least enterMarginM to enter, outside by at least exitMarginM to leave.
//   GPS jitter along the border changes nothing (hysteresis).
// - Each device's fixes count in time order. A fix no newer than the
//   newest one taken (a repeat from the other source, a late one) is
//   ignored, so one crossing raises one event however the fixes arrive.
// - A vehicle first seen inside a fence (the first fix, or a fence just
//   added) did not cross into it: no event; leaving it later does raise one.
// - Outside the fence's schedule a crossing changes the state, silently.
//
// The state (which vehicles are inside which fences since when) is small and
// can be saved and restored, so that a restart neither repeats nor loses a
// crossing. Not thread-safe; single-threaded by design (the writer's side).
class FenceEngine
{
public:
    struct Options
    {
        double enterMarginM = 15;
        double exitMarginM = 15;
    };

    // Where a vehicle stands with a fence it is inside of (or near, its side
    // not known yet). Vehicles outside a fence have no state with it.
    struct State
    {
        QString imei;
        qint64 fence = 0;
        bool inside = false; // false: not known yet (first seen in the band)
        QDateTime since; // inside since (the entering fix, or the first fix seen inside)
        bool dwellRaised = false;
        friend bool operator==(const State &, const State &) = default;
    };

    FenceEngine();
    explicit FenceEngine(const Options &options);
    ~FenceEngine();

    // The fences to evaluate, replacing the others. The states of fences
    // gone are dropped; a fence whose shape changed starts afresh.
    void setRules(const QList<FenceRule> &rules);
    int ruleCount() const;

    // One fix of a vehicle: the events it raises, in fence order.
    QList<FenceEvent> evaluate(const QString &imei, const QDateTime &time, const GeoPoint &where);

    // The newest fix taken per vehicle, and the states, to save; restore()
    // before evaluating (after setRules).
    QHash<QString, QDateTime> lastFixes() const { return m_last; }
    QList<State> states() const;
    void restore(const QHash<QString, QDateTime> &lastFixes, const QList<State> &states);

private:
    struct Rule
    {
        FenceRule rule;
        quint64 addedAt = 0; // evaluation counter when it came
    };
    bool appliesTo(const Rule &rule, const QString &imei) const;

    Options m_options;
    std::unique_ptr<FenceIndex> m_index;
    QHash<qint64, Rule> m_rules;
    QHash<QString, QHash<qint64, State>> m_states; // imei -> fence -> state
    QHash<QString, QDateTime> m_last; // newest fix taken per vehicle
    QHash<QString, quint64> m_lastSeen; // evaluation counter of that fix
    quint64 m_counter = 0;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::FenceEvent)
