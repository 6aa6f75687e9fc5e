#include "alarmlistmodel.h"

#include "alarmtypes.h"

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QPointer>
#include <QThreadPool>

#include <algorithm>
#include <utility>

namespace Fleet {

namespace {

// Newest first: by time, then id.
bool newer(const AlarmDeskRow &a, const AlarmDeskRow &b)
{
    const qint64 ta = a.alarm.time.toSecsSinceEpoch();
    const qint64 tb = b.alarm.time.toSecsSinceEpoch();
    return ta != tb ? ta > tb : a.id > b.id;
}

AlarmCursor cursorOf(const AlarmDeskRow &row)
{
    return AlarmCursor{row.alarm.time.toSecsSinceEpoch(), row.id};
}

// Cloud text in a tooltip: tooltips guess rich text, so it is escaped.
QString plainTip(const QString &text)
{
    return QStringLiteral("<p>%1</p>").arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

QColor severityColour(AlarmSeverity s)
{
    switch (s) {
    case AlarmSeverity::Critical: return QColor(0xd3, 0x2f, 0x2f);
    case AlarmSeverity::Warning: return QColor(0xf5, 0x9e, 0x0b);
    case AlarmSeverity::Info: return QColor(0x60, 0x7d, 0x8b);
    }
    return {};
}

const QPixmap &severityIcon(AlarmSeverity s)
{
    static QHash<int, QPixmap> icons;
    auto it = icons.find(int(s));
    if (it == icons.end()) {
        QPixmap pm(12, 12);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(severityColour(s));
        if (s == AlarmSeverity::Critical) {
            // A triangle: not only colour tells critical apart.
            const QPointF tri[3] = {{6, 0.5}, {11.5, 11}, {0.5, 11}};
            p.drawPolygon(tri, 3);
        } else {
            p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
        }
        p.end();
        it = icons.insert(int(s), pm);
    }
    return *it;
}

} // namespace

AlarmListModel::AlarmListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    // "Within one frame of the commit": notices of a frame are applied together.
    m_applyTimer.setSingleShot(true);
    m_applyTimer.setInterval(16);
    connect(&m_applyTimer, &QTimer::timeout, this, &AlarmListModel::applyPending);
    connect(&m_pollTimer, &QTimer::timeout, this, &AlarmListModel::pollExternal);
    m_countPool.setMaxThreadCount(1);
    m_countPool.setThreadPriority(QThread::IdlePriority);
    m_countPause.setSingleShot(true);
    m_countPause.setInterval(500);
    connect(&m_countPause, &QTimer::timeout, this, [this] {
        if (m_countAgain && !m_counting && !m_searching)
            startCount();
    });
}

AlarmListModel::~AlarmListModel() = default;

bool AlarmListModel::open(const QString &databasePath)
{
    m_path = databasePath;
    if (!m_reader.open(databasePath))
        return false;
    m_dataVersion = m_reader.dataVersion();
    reload();
    return true;
}

void AlarmListModel::setFilter(const AlarmFilter &filter)
{
    m_filter = filter;
    m_filter.pinned = AlarmFilter::Pinned::Any;
    m_filter.pinnedTypeIds.clear();
    m_filter.touchedFrom = {};
    m_filter.touchedTo = {};
    reload();
}

void AlarmListModel::setSeverities(const AlarmSeverities &severities)
{
    m_severities = severities;
    reload();
}

void AlarmListModel::setExternalPollInterval(int ms)
{
    if (ms <= 0) {
        m_pollTimer.stop();
        return;
    }
    m_pollTimer.start(ms);
}

AlarmFilter AlarmListModel::segmentFilter(AlarmFilter::Pinned pinned) const
{
    AlarmFilter f = m_filter;
    f.pinned = pinned;
    f.pinnedTypeIds = m_severities.codes(AlarmSeverity::Critical);
    return f;
}

int AlarmListModel::offsetOf(const Segment &segment) const
{
    return &segment == &m_pinned ? 0 : int(m_pinned.rows.size());
}

void AlarmListModel::reload()
{
    ++m_generation;
    m_pageWanted = false;
    // The first page comes with the reset: no insert follows it. A text
    // search's comes later, read off the GUI thread.
    const bool scan = !m_filter.text.isEmpty() && m_reader.isOpen();
    beginResetModel();
    m_pinned = Segment{segmentFilter(AlarmFilter::Pinned::Only), {}, !m_reader.isOpen()};
    m_rest = Segment{segmentFilter(AlarmFilter::Pinned::Excluded), {}, !m_reader.isOpen()};
    if (!scan)
        loadPage(false);
    endResetModel();
    if (scan)
        loadPageAsync();
    countLater();
}

AlarmListModel::PageRequest AlarmListModel::pageRequest() const
{
    PageRequest r;
    r.pinned = m_pinned.filter;
    r.rest = m_rest.filter;
    if (!m_pinned.rows.isEmpty())
        r.pinnedAfter = cursorOf(m_pinned.rows.constLast());
    if (!m_rest.rows.isEmpty())
        r.restAfter = cursorOf(m_rest.rows.constLast());
    r.pinnedDone = m_pinned.exhausted;
    r.restDone = m_rest.exhausted;
    r.size = m_pageSize;
    return r;
}

AlarmListModel::PageResult AlarmListModel::readPage(StoreReader &reader, const PageRequest &r)
{
    // The pinned rows first; the rest once they are all there.
    PageResult out;
    out.pinnedAfter = r.pinnedAfter;
    out.restAfter = r.restAfter;
    out.pinnedDone = r.pinnedDone || !reader.isOpen();
    out.restDone = r.restDone || !reader.isOpen();
    int want = r.size;
    if (!out.pinnedDone) {
        out.pinned = reader.alarmDesk(r.pinned, r.pinnedAfter, want);
        out.pinnedDone = out.pinned.size() < want;
        want -= int(out.pinned.size());
        if (!out.pinnedDone)
            return out;
    }
    if (!out.restDone && want > 0) {
        out.rest = reader.alarmDesk(r.rest, r.restAfter, want);
        out.restDone = out.rest.size() < want;
    }
    return out;
}

void AlarmListModel::loadPage(bool notify)
{
    appendPage(readPage(m_reader, pageRequest()), notify);
}

void AlarmListModel::appendPage(const PageResult &page, bool notify)
{
    const std::pair<Segment *, const QList<AlarmDeskRow> *> parts[] = {{&m_pinned, &page.pinned},
                                                                      {&m_rest, &page.rest}};
    for (const auto &[segment, rows] : parts) {
        // A row a change brought in while the page was read is there once.
        QList<AlarmDeskRow> fresh;
        for (const AlarmDeskRow &r : *rows) {
            if (segment->rows.isEmpty() || newer(segment->rows.constLast(), r))
                fresh.append(r);
        }
        if (!fresh.isEmpty()) {
            const int first = offsetOf(*segment) + int(segment->rows.size());
            if (notify)
                beginInsertRows({}, first, first + int(fresh.size()) - 1);
            segment->rows.append(fresh);
            if (notify)
                endInsertRows();
        }
    }
    m_pinned.exhausted = page.pinnedDone;
    m_rest.exhausted = page.restDone;
}

void AlarmListModel::loadPageAsync()
{
    // A text search scans: it runs off the GUI thread, with a reader of its
    // own, one page at a time (a page asked for meanwhile follows).
    m_pageWanted = true;
    if (m_searching)
        return;
    m_pageWanted = false;
    setSearching(true);
    const int generation = m_generation;
    const QString path = m_path;
    const PageRequest request = pageRequest();
    QPointer<AlarmListModel> self(this);
    QThreadPool::globalInstance()->start([path, request, generation, self] {
        StoreReader reader;
        PageResult page;
        if (reader.open(path))
            page = readPage(reader, request);
        else
            page.pinnedDone = page.restDone = true;
        reader.close();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, page] {
                if (!self)
                    return;
                self->setSearching(false);
                // Stale when the filter changed meanwhile; read again when the
                // segments' ends moved (rows trimmed or re-read meanwhile).
                if (generation == self->m_generation) {
                    const PageRequest now = self->pageRequest();
                    if (now.pinnedAfter == page.pinnedAfter && now.restAfter == page.restAfter)
                        self->appendPage(page, true);
                    else
                        self->m_pageWanted = true;
                }
                if (self->m_pageWanted)
                    self->loadPageAsync();
                // Notices held back while the page was read.
                else if (self->m_pendingAny && !self->m_applyTimer.isActive())
                    self->m_applyTimer.start();
            },
            Qt::QueuedConnection);
    });
}

void AlarmListModel::setSearching(bool searching)
{
    if (m_searching == searching)
        return;
    m_searching = searching;
    Q_EMIT searchingChanged(searching);
    // The count that waited for the page.
    if (!searching && m_countAgain && !m_counting && !m_countPause.isActive())
        startCount();
}

bool AlarmListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_reader.isOpen() && !m_searching && (!m_pinned.exhausted || !m_rest.exhausted);
}

void AlarmListModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_loadQueued)
        return;
    m_loadQueued = true;
    QMetaObject::invokeMethod(this, &AlarmListModel::loadMore, Qt::QueuedConnection);
}

void AlarmListModel::loadMore()
{
    m_loadQueued = false;
    if (m_filter.text.isEmpty())
        loadPage(true);
    else
        loadPageAsync();
}

void AlarmListModel::storeChanged(const StoreChange &change)
{
    if (!change.touches(StoreTable::Alarms) && !change.touches(StoreTable::AlarmActions)
        && !change.touches(StoreTable::Devices) && !change.touches(StoreTable::DeviceGroups))
        return;
    if (m_pendingAny)
        m_pending.merge(change);
    else
        m_pending = change;
    m_pendingAny = true;
    if (!m_applyTimer.isActive())
        m_applyTimer.start();
}

void AlarmListModel::applyPending()
{
    if (!m_pendingAny || !m_reader.isOpen())
        return;
    if (m_searching) {
        // A search's page is being read: its rows may predate the change, so
        // the change is applied once the page is in.
        m_sawNotice = true;
        return;
    }
    const StoreChange change = std::move(m_pending);
    m_pending = StoreChange();
    m_pendingAny = false;
    // What the notices say is seen; the poll leaves this round alone.
    m_sawNotice = true;
    // A vehicle renamed or regrouped, or a change without a span: all of it.
    if (change.touches(StoreTable::Devices) || change.touches(StoreTable::DeviceGroups) || !change.earliest.isValid()
        || change.imeis.isEmpty()) {
        refresh();
        return;
    }
    for (Segment *segment : {&m_pinned, &m_rest}) {
        AlarmFilter f = segment->filter;
        f.touchedFrom = change.earliest;
        f.touchedTo = change.latest;
        const QStringList imeis(change.imeis.cbegin(), change.imeis.cend());
        f.imeis = f.imeis.isEmpty() ? imeis : QStringList();
        if (f.imeis.isEmpty()) {
            // The filter's vehicles and the change's: those in both.
            for (const QString &imei : segment->filter.imeis) {
                if (change.imeis.contains(imei))
                    f.imeis.append(imei);
            }
            if (f.imeis.isEmpty())
                continue;
        }
        mergeChange(*segment, m_reader.alarmDesk(f), change);
    }
    // Arrivals push the oldest rows out: the rest keeps at most m_retained.
    const int over = int(m_pinned.rows.size() + m_rest.rows.size()) - m_retained;
    if (over > 0 && m_rest.rows.size() > over) {
        const int first = int(m_pinned.rows.size() + m_rest.rows.size()) - over;
        beginRemoveRows({}, first, first + over - 1);
        m_rest.rows.remove(m_rest.rows.size() - over, over);
        m_rest.exhausted = false;
        endRemoveRows();
    }
    countLater();
}

void AlarmListModel::mergeChange(Segment &segment, const QList<AlarmDeskRow> &fresh, const StoreChange &change)
{
    QSet<qint64> freshIds;
    for (const AlarmDeskRow &r : fresh)
        freshIds.insert(r.id);
    // Rows the change may have touched that no longer match (resolved, say).
    for (int i = int(segment.rows.size()) - 1; i >= 0; --i) {
        const AlarmDeskRow &r = segment.rows.at(i);
        if (change.imeis.contains(r.alarm.imei) && r.lastTime >= change.earliest && r.alarm.time <= change.latest
            && !freshIds.contains(r.id))
            removeRow(segment, i);
    }
    for (const AlarmDeskRow &f : fresh) {
        const auto it = std::lower_bound(segment.rows.begin(), segment.rows.end(), f, newer);
        const int at = int(it - segment.rows.begin());
        if (it != segment.rows.end() && it->id == f.id) {
            if (!(*it == f)) {
                *it = f;
                const int row = offsetOf(segment) + at;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        // Beyond what is loaded: a later fetchMore() brings it.
        if (at == segment.rows.size() && !segment.exhausted)
            continue;
        insertRow(segment, at, f);
    }
}

void AlarmListModel::insertRow(Segment &segment, int at, const AlarmDeskRow &row)
{
    const int r = offsetOf(segment) + at;
    beginInsertRows({}, r, r);
    segment.rows.insert(at, row);
    endInsertRows();
}

void AlarmListModel::removeRow(Segment &segment, int at)
{
    const int r = offsetOf(segment) + at;
    beginRemoveRows({}, r, r);
    segment.rows.removeAt(at);
    endRemoveRows();
}

void AlarmListModel::replaceRows(Segment &segment, const QList<AlarmDeskRow> &next)
{
    QSet<qint64> nextIds;
    for (const AlarmDeskRow &r : next)
        nextIds.insert(r.id);
    for (int i = int(segment.rows.size()) - 1; i >= 0; --i) {
        if (!nextIds.contains(segment.rows.at(i).id))
            removeRow(segment, i);
    }
    // What is left is in next, in the same order (a row's time and id never change).
    int i = 0;
    for (qsizetype j = 0; j < next.size();) {
        if (i < segment.rows.size() && segment.rows.at(i).id == next.at(j).id) {
            if (!(segment.rows.at(i) == next.at(j))) {
                segment.rows[i] = next.at(j);
                const int row = offsetOf(segment) + i;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            ++i;
            ++j;
            continue;
        }
        // A run of new rows goes in at once.
        qsizetype end = j;
        while (end < next.size() && (i >= segment.rows.size() || segment.rows.at(i).id != next.at(end).id))
            ++end;
        const int first = offsetOf(segment) + i;
        beginInsertRows({}, first, first + int(end - j) - 1);
        for (qsizetype k = j; k < end; ++k)
            segment.rows.insert(i++, next.at(k));
        endInsertRows();
        j = end;
    }
}

void AlarmListModel::refresh()
{
    if (!m_reader.isOpen())
        return;
    if (!m_filter.text.isEmpty()) {
        // A search scans: read it again from the top, off the GUI thread.
        m_dataVersion = m_reader.dataVersion();
        reload();
        return;
    }
    m_dataVersion = m_reader.dataVersion();
    for (Segment *segment : {&m_pinned, &m_rest}) {
        QList<AlarmDeskRow> next;
        if (segment->rows.isEmpty()) {
            if ((segment == &m_rest && !m_pinned.exhausted) || m_searching)
                continue; // not reached yet, or on its way
            next = m_reader.alarmDesk(segment->filter, {}, m_pageSize);
            segment->exhausted = next.size() < m_pageSize;
        } else {
            // Everything down to the last row held, and what arrived above it.
            next = m_reader.alarmDeskUntil(segment->filter, cursorOf(segment->rows.constLast()),
                                           int(segment->rows.size()) + 1000);
        }
        replaceRows(*segment, next);
    }
    countLater();
}

void AlarmListModel::pollExternal()
{
    if (!m_reader.isOpen() || m_applyTimer.isActive())
        return;
    // data_version moves with every commit of another connection, our own
    // session's writer's too: while its notices arrive, they tell all, and
    // another process's change is read at the first quiet poll.
    const qint64 version = m_reader.dataVersion();
    const bool sawNotice = std::exchange(m_sawNotice, false);
    if (version == m_dataVersion)
        return;
    if (sawNotice) {
        m_dataVersion = version;
        return;
    }
    refresh();
}

void AlarmListModel::countLater()
{
    if (m_path.isEmpty())
        return;
    // While a search's page is read, the count (another scan) waits for it:
    // on two cores the two would slow each other and the window.
    if (m_counting || m_countPause.isActive() || m_searching) {
        m_countAgain = true;
        return;
    }
    startCount();
}

void AlarmListModel::startCount()
{
    m_counting = true;
    m_countAgain = false;
    m_countPause.start();
    const QString path = m_path;
    const AlarmFilter filter = m_filter;
    QPointer<AlarmListModel> self(this);
    m_countPool.start([path, filter, self] {
        StoreReader reader;
        QHash<AlarmState, qint64> counts;
        if (reader.open(path))
            counts = reader.alarmStateCounts(filter);
        reader.close();
        // Back on the GUI thread, where self may be checked.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, counts] {
                if (!self)
                    return;
                self->m_counting = false;
                if (self->m_counts != counts) {
                    self->m_counts = counts;
                    Q_EMIT self->countsChanged();
                }
                if (self->m_countAgain && !self->m_countPause.isActive() && !self->m_searching)
                    self->startCount();
            },
            Qt::QueuedConnection);
    });
}

const AlarmDeskRow *AlarmListModel::rowAt(int row) const
{
    if (row < 0)
        return nullptr;
    if (row < m_pinned.rows.size())
        return &m_pinned.rows.at(row);
    row -= int(m_pinned.rows.size());
    return row < m_rest.rows.size() ? &m_rest.rows.at(row) : nullptr;
}

int AlarmListModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_pinned.rows.size(); ++i) {
        if (m_pinned.rows.at(i).id == id)
            return int(i);
    }
    for (qsizetype i = 0; i < m_rest.rows.size(); ++i) {
        if (m_rest.rows.at(i).id == id)
            return int(m_pinned.rows.size() + i);
    }
    return -1;
}

QList<AlarmDeskRow> AlarmListModel::allMatching()
{
    return m_reader.alarmDesk(m_filter);
}

int AlarmListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pinned.rows.size() + m_rest.rows.size());
}

int AlarmListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlarmListModel::stateText(AlarmState state)
{
    switch (state) {
    case AlarmState::New: return tr("New");
    case AlarmState::Acknowledged: return tr("Acknowledged");
    case AlarmState::Resolved: return tr("Resolved");
    }
    return {};
}

QString AlarmListModel::severityText(AlarmSeverity severity)
{
    switch (severity) {
    case AlarmSeverity::Critical: return tr("Critical");
    case AlarmSeverity::Warning: return tr("Warning");
    case AlarmSeverity::Info: return tr("Info");
    }
    return {};
}

QString AlarmListModel::typeText(const AlarmDeskRow &row)
{
    const QString name = alarmTypeDisplayName(row.alarm.typeId, row.alarm.typeName);
    return row.count > 1 ? tr("%1 ×%2").arg(name).arg(row.count) : name;
}

QVariant AlarmListModel::data(const QModelIndex &index, int role) const
{
    const AlarmDeskRow *r = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!r)
        return {};
    const Alarm &a = r->alarm;
    const AlarmSeverity severity = m_severities.of(a.typeId);
    const bool pinned = severity == AlarmSeverity::Critical && r->state != AlarmState::Resolved;
    switch (role) {
    case IdRole: return r->id;
    case ImeiRole: return a.imei;
    case StateRole: return int(r->state);
    case SeverityRole: return int(severity);
    case PinnedRole: return pinned;
    case CountRole: return r->count;
    case SortTimeRole: return a.time;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return QLocale().toString(a.time.toLocalTime(), QStringLiteral("d MMM HH:mm:ss"));
        case Vehicle:
            if (!r->knownDevice)
                return tr("%1 (not in the account)").arg(r->vehicleName);
            return r->plate.isEmpty() || r->plate == r->vehicleName ? r->vehicleName
                                                                    : QStringLiteral("%1 · %2").arg(r->vehicleName, r->plate);
        case Group: return r->groupName;
        case Type: return typeText(*r);
        case Severity: return severityText(severity);
        case Place:
            if (!a.lat || !a.lng)
                return QStringLiteral("—");
            return QStringLiteral("%1, %2").arg(*a.lat, 0, 'f', 5).arg(*a.lng, 0, 'f', 5);
        case Speed: return a.speedKmh ? tr("%1 km/h").arg(qRound(*a.speedKmh)) : QString();
        case State: return stateText(r->state);
        case Handler: return r->handledBy;
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Time:
            return plainTip(tr("%1 UTC").arg(a.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
                            + (r->count > 1 ? tr("\nlast repeat %1").arg(QLocale().toString(r->lastTime.toLocalTime(),
                                                                                             QLocale::ShortFormat))
                                            : QString()));
        case Vehicle: return plainTip(tr("IMEI %1").arg(a.imei));
        case Type:
            return plainTip(tr("Code %1").arg(a.typeId)
                            + (a.typeName.isEmpty() ? QString() : tr("\nThe cloud's name: %1").arg(a.typeName)));
        case State:
        case Handler:
            if (r->note.isEmpty())
                return {};
            return plainTip(r->note);
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == Type)
            return severityIcon(severity);
        return {};
    case Qt::FontRole:
        if (r->state == AlarmState::New) {
            QFont f;
            f.setBold(true);
            return f;
        }
        if (!r->knownDevice && index.column() == Vehicle) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (pinned) {
            QColor c = severityColour(AlarmSeverity::Critical);
            c.setAlpha(r->state == AlarmState::New ? 70 : 35);
            return c;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Speed)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant AlarmListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Vehicle: return tr("Vehicle");
    case Group: return tr("Group");
    case Type: return tr("Alarm");
    case Severity: return tr("Severity");
    case Place: return tr("Place");
    case Speed: return tr("Speed");
    case State: return tr("State");
    case Handler: return tr("Handled by");
    }
    return {};
}

} // namespace Fleet
