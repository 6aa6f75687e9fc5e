#include "alarmattention.h"

#include "alarmtypes.h"

#include <climits>

namespace Fleet {

AlarmAttention::AlarmAttention(QObject *parent)
    : QObject(parent)
{
    m_frame.setSingleShot(true);
    m_frame.setInterval(16);
    connect(&m_frame, &QTimer::timeout, this, &AlarmAttention::check);
    m_repeat.setInterval(15000);
    connect(&m_repeat, &QTimer::timeout, this, &AlarmAttention::repeat);
    m_snooze.setSingleShot(true);
    connect(&m_snooze, &QTimer::timeout, this, [this] { Q_EMIT snoozeChanged(false); });
}

bool AlarmAttention::open(const QString &databasePath)
{
    if (!m_reader.open(databasePath))
        return false;
    m_lastSeen = m_reader.lastAlarmId();
    m_sessionStart = m_lastSeen;
    return true;
}

void AlarmAttention::setRepeatSeconds(int seconds)
{
    m_repeat.setInterval(qMax(1, seconds) * 1000);
}

void AlarmAttention::setMuted(bool muted)
{
    if (m_muted == muted)
        return;
    m_muted = muted;
    Q_EMIT mutedChanged(muted);
}

void AlarmAttention::snooze(int ms)
{
    if (ms <= 0) {
        if (m_snooze.isActive()) {
            m_snooze.stop();
            Q_EMIT snoozeChanged(false);
        }
        return;
    }
    m_snooze.start(ms);
    Q_EMIT snoozeChanged(true);
}

void AlarmAttention::storeChanged(const StoreChange &change)
{
    if (change.touches(StoreTable::AlarmActions))
        m_recount = true;
    if ((change.touches(StoreTable::Alarms) || change.touches(StoreTable::AlarmActions)) && !m_frame.isActive())
        m_frame.start();
}

void AlarmAttention::check()
{
    if (!m_reader.isOpen())
        return;
    // What arrived since the last look: new runs (a repeat folded into a run
    // asks for nothing more; an unhandled critical run repeats anyway). Every
    // query of this look stops at the same alarm.
    const qint64 upTo = m_reader.lastAlarmId();
    AlarmFilter arrived;
    arrived.minId = m_lastSeen;
    arrived.maxId = upTo;
    arrived.states = {AlarmState::New};
    const QList<AlarmDeskRow> fresh = upTo > m_lastSeen ? m_reader.alarmDesk(arrived) : QList<AlarmDeskRow>();
    m_lastSeen = qMax(m_lastSeen, upTo);
    QList<AlarmDeskRow> loud;
    AlarmSeverity loudest = AlarmSeverity::Info;
    for (const AlarmDeskRow &r : fresh) {
        const AlarmSeverity s = m_severities.of(r.alarm.typeId);
        if (m_doNotDisturb && s != AlarmSeverity::Critical)
            continue;
        loud.append(r);
        loudest = std::max(loudest, s);
    }
    if (!loud.isEmpty()) {
        Q_EMIT alerted(loud, loudest);
        sound(loudest);
        if (m_hidden && m_hidden()) {
            const QString title = loud.size() == 1 ? describe(loud.constFirst())
                                                   : tr("%1 new alarms").arg(loud.size());
            QStringList lines;
            for (qsizetype i = 0; i < loud.size() && i < 3; ++i)
                lines.append(describe(loud.at(i)));
            Q_EMIT notificationRequested(title, lines.join(QLatin1Char('\n')), loudest);
        }
    }

    // Unhandled critical alarms of this run of the program repeat their sound.
    int count = m_unhandledCritical;
    if (m_recount || !m_sinceRecount.isValid() || m_sinceRecount.hasExpired(2000)) {
        AlarmFilter critical;
        critical.minId = m_sessionStart;
        critical.maxId = m_lastSeen;
        critical.typeIds = m_severities.codes(AlarmSeverity::Critical);
        count = int(qMin<qint64>(m_reader.alarmStateCounts(critical).value(AlarmState::New), INT_MAX));
        m_recount = false;
        m_sinceRecount.start();
    } else {
        for (const AlarmDeskRow &r : fresh)
            count += m_severities.of(r.alarm.typeId) == AlarmSeverity::Critical;
    }
    if (count != m_unhandledCritical) {
        m_unhandledCritical = count;
        Q_EMIT unhandledCriticalChanged(count);
    }
    if (count > 0 && !m_repeat.isActive())
        m_repeat.start();
    else if (count == 0)
        m_repeat.stop();
}

void AlarmAttention::repeat()
{
    if (m_unhandledCritical > 0)
        sound(AlarmSeverity::Critical);
}

void AlarmAttention::sound(AlarmSeverity severity)
{
    if (m_muted || m_snooze.isActive())
        return;
    Q_EMIT soundRequested(severity);
}

QString AlarmAttention::describe(const AlarmDeskRow &row) const
{
    return tr("%1: %2").arg(alarmTypeDisplayName(row.alarm.typeId, row.alarm.typeName), row.vehicleName);
}

} // namespace Fleet
