#include "fenceengine.h"

#include "fenceindex.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace Fleet {

bool FenceSchedule::covers(const QDateTime &utc) const
{
    if (isAlways())
        return true;
    const QDateTime local = utc.toTimeZone(zone);
    const int weekday = local.date().dayOfWeek(); // 1 Monday .. 7 Sunday
    if (!(days & (1u << (weekday - 1))))
        return false;
    if (!from.isValid() || !to.isValid())
        return true;
    const QTime t = local.time();
    return from <= to ? (t >= from && t < to) : (t >= from || t < to);
}

QString FenceEvent::typeCode(Kind kind)
{
    switch (kind) {
    case Kind::Enter: return QStringLiteral("local.fence.enter");
    case Kind::Exit: return QStringLiteral("local.fence.exit");
    case Kind::Dwell: return QStringLiteral("local.fence.dwell");
    }
    return {};
}

FenceEngine::FenceEngine()
    : FenceEngine(Options())
{ }

FenceEngine::FenceEngine(const Options &options)
    : m_options(options)
    , m_index(std::make_unique<FenceIndex>())
{ }

FenceEngine::~FenceEngine() = default;

void FenceEngine::setRules(const QList<FenceRule> &rules)
{
    QHash<qint64, Rule> next;
    const double margin = std::max(m_options.enterMarginM, m_options.exitMarginM);
    for (const FenceRule &r : rules) {
        const auto old = m_rules.constFind(r.id);
        const bool sameShape = old != m_rules.cend() && old->rule.shape == r.shape;
        if (!sameShape && !m_index->insert(r.id, r.shape, margin))
            continue; // unusable: never evaluated
        next.insert(r.id, Rule{r, sameShape ? old->addedAt : m_counter});
        if (!sameShape) {
            for (auto &byFence : m_states)
                byFence.remove(r.id);
        }
    }
    for (auto it = m_rules.cbegin(); it != m_rules.cend(); ++it) {
        if (next.contains(it.key()))
            continue;
        m_index->remove(it.key());
        for (auto &byFence : m_states)
            byFence.remove(it.key());
    }
    m_rules = std::move(next);
}

int FenceEngine::ruleCount() const
{
    return int(m_rules.size());
}

bool FenceEngine::appliesTo(const Rule &rule, const QString &imei) const
{
    return rule.rule.imeis.isEmpty() || rule.rule.imeis.contains(imei);
}

QList<FenceEvent> FenceEngine::evaluate(const QString &imei, const QDateTime &time, const GeoPoint &where)
{
    QList<FenceEvent> events;
    if (imei.isEmpty() || !time.isValid() || !std::isfinite(where.lat) || !std::isfinite(where.lng))
        return events;
    const auto last = m_last.constFind(imei);
    if (last != m_last.cend() && time <= *last)
        return events; // a repeat or a late fix: its time was decided
    const quint64 previous = m_lastSeen.value(imei, 0);
    const bool seenBefore = last != m_last.cend();
    ++m_counter;
    m_last.insert(imei, time);
    m_lastSeen.insert(imei, m_counter);

    // The fences near the fix, and those the vehicle was inside of (it may
    // have jumped far away).
    QHash<qint64, State> &mine = m_states[imei];
    QSet<qint64> fences;
    for (const FenceIndex::Near &n : m_index->near(where))
        fences.insert(n.id);
    for (auto it = mine.cbegin(); it != mine.cend(); ++it)
        fences.insert(it.key());
    QList<qint64> order(fences.cbegin(), fences.cend());
    std::sort(order.begin(), order.end());

    for (const qint64 id : std::as_const(order)) {
        const auto rule = m_rules.constFind(id);
        if (rule == m_rules.cend() || !appliesTo(*rule, imei)) {
            mine.remove(id);
            continue;
        }
        const FenceRule &r = rule->rule;
        const double d = m_index->signedDistanceM(id, where);
        const bool clearlyIn = d <= -m_options.enterMarginM;
        const bool clearlyOut = d >= m_options.exitMarginM;
        const auto raise = [&](FenceEvent::Kind kind) {
            if (r.schedule.covers(time))
                events.append(FenceEvent{kind, id, imei, time, where});
        };
        auto state = mine.find(id);
        if (state == mine.end()) {
            // No state: outside, if the vehicle was seen since the fence
            // came (its earlier fixes were not near); else not known yet.
            const bool knownOutside = seenBefore && previous > rule->addedAt;
            if (clearlyIn) {
                mine.insert(id, State{imei, id, true, time, false});
                if (knownOutside && r.alarmOnEnter)
                    raise(FenceEvent::Kind::Enter);
            } else if (!clearlyOut && !knownOutside) {
                mine.insert(id, State{imei, id, false, {}, false}); // in the band, side unknown
            }
            state = mine.find(id);
            if (state == mine.end())
                continue;
        } else if (!state->inside) {
            if (clearlyIn)
                *state = State{imei, id, true, time, false};
            else if (clearlyOut)
                mine.erase(state);
            continue; // the side is learned, not crossed
        } else if (clearlyOut) {
            mine.erase(state);
            if (r.alarmOnExit)
                raise(FenceEvent::Kind::Exit);
            continue;
        }
        if (state->inside && r.dwellSecs > 0 && !state->dwellRaised && state->since.secsTo(time) >= r.dwellSecs) {
            state->dwellRaised = true;
            raise(FenceEvent::Kind::Dwell);
        }
    }
    if (mine.isEmpty())
        m_states.remove(imei);
    return events;
}

QList<FenceEngine::State> FenceEngine::states() const
{
    QList<State> out;
    for (const auto &byFence : m_states)
        for (const State &s : byFence)
            out.append(s);
    std::sort(out.begin(), out.end(),
              [](const State &a, const State &b) { return a.imei != b.imei ? a.imei < b.imei : a.fence < b.fence; });
    return out;
}

void FenceEngine::restore(const QHash<QString, QDateTime> &lastFixes, const QList<State> &states)
{
    m_last = lastFixes;
    m_states.clear();
    m_lastSeen.clear();
    // Every vehicle known then was seen after every fence known then.
    ++m_counter;
    for (auto it = m_last.cbegin(); it != m_last.cend(); ++it)
        m_lastSeen.insert(it.key(), m_counter);
    for (const State &s : states) {
        if (m_rules.contains(s.fence) && !s.imei.isEmpty())
            m_states[s.imei].insert(s.fence, s);
    }
}

} // namespace Fleet
