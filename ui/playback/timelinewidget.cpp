#include "timelinewidget.h"

#include "playbackmodel.h"
#include "tracklayer.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace Fleet {

namespace {

constexpr int kRowHeight = 24;
constexpr int kSpeedHeight = 90;
constexpr int kAxisHeight = 22;
constexpr int kGap = 4;

// Tick steps for the axis, in seconds: a minute to a week.
constexpr qint64 kSteps[] = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};

QString localTimeText(qint64 ms, qint64 stepSecs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    if (stepSecs >= 86400)
        return QLocale().toString(t.date(), QLocale::ShortFormat);
    if (t.time() == QTime(0, 0))
        return QLocale().toString(t.date(), QStringLiteral("ddd d MMM"));
    return t.toString(QStringLiteral("HH:mm"));
}

} // namespace

TimelineWidget::TimelineWidget(PlaybackModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(model, &PlaybackModel::rangeChanged, this, &TimelineWidget::showAll);
    connect(model, &PlaybackModel::vehiclesChanged, this, [this] {
        updateGeometry();
        invalidate();
    });
    connect(model, &PlaybackModel::playheadChanged, this, [this](qint64 ms) {
        // Keep the playhead in view while playing.
        if (ms > m_toMs || ms < m_fromMs) {
            const qint64 span = m_toMs - m_fromMs;
            setView(ms - span / 10, ms - span / 10 + span);
        }
        update();
    });
    showAll();
}

QSize TimelineWidget::sizeHint() const
{
    const int rows = std::max<int>(1, int(m_model->vehicles().size()));
    return {800, kAxisHeight + rows * (kRowHeight + kGap) + kSpeedHeight + 2 * kGap};
}

QSize TimelineWidget::minimumSizeHint() const
{
    return {300, kAxisHeight + kRowHeight + kSpeedHeight / 2 + 2 * kGap};
}

int TimelineWidget::labelWidth() const
{
    return 110;
}

void TimelineWidget::setView(qint64 fromMs, qint64 toMs)
{
    const TimeSpan range = m_model->range();
    if (range.isValid()) {
        const qint64 lo = range.from.toMSecsSinceEpoch();
        const qint64 hi = range.to.toMSecsSinceEpoch();
        const qint64 span = std::clamp<qint64>(toMs - fromMs, kMinSpanMs, std::max<qint64>(kMinSpanMs, hi - lo));
        fromMs = std::clamp(fromMs, lo, std::max(lo, hi - span));
        toMs = fromMs + span;
    } else if (toMs <= fromMs) {
        toMs = fromMs + kMinSpanMs;
    }
    if (fromMs == m_fromMs && toMs == m_toMs)
        return;
    m_fromMs = fromMs;
    m_toMs = toMs;
    invalidate();
    Q_EMIT viewChanged();
}

void TimelineWidget::showAll()
{
    const TimeSpan range = m_model->range();
    if (range.isValid())
        setView(range.from.toMSecsSinceEpoch(), range.to.toMSecsSinceEpoch());
}

void TimelineWidget::zoomBy(double factor, qint64 aroundMs)
{
    const double span = double(m_toMs - m_fromMs) * factor;
    const double left = double(aroundMs - m_fromMs) / double(m_toMs - m_fromMs);
    const qint64 from = aroundMs - qint64(span * left);
    setView(from, from + qint64(span));
}

double TimelineWidget::xOf(qint64 ms) const
{
    const double left = labelWidth();
    const double w = std::max(1, width() - labelWidth() - 8);
    return left + double(ms - m_fromMs) / double(m_toMs - m_fromMs) * w;
}

qint64 TimelineWidget::msAt(double x) const
{
    const double w = std::max(1, width() - labelWidth() - 8);
    return m_fromMs + qint64((x - labelWidth()) / w * double(m_toMs - m_fromMs));
}

QRect TimelineWidget::axisRect() const
{
    return {0, 0, width(), kAxisHeight};
}

QRect TimelineWidget::rowRect(int vehicle) const
{
    return {0, kAxisHeight + kGap + vehicle * (kRowHeight + kGap), width(), kRowHeight};
}

QRect TimelineWidget::speedRect() const
{
    const int rows = std::max<int>(1, int(m_model->vehicles().size()));
    const int top = kAxisHeight + kGap + rows * (kRowHeight + kGap);
    return {0, top, width(), std::max(30, height() - top - kGap)};
}

void TimelineWidget::invalidate()
{
    m_staticValid = false;
    update();
}

void TimelineWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        invalidate();
    QWidget::changeEvent(event);
}

void TimelineWidget::paintStatic(QPainter &p)
{
    p.fillRect(rect(), palette().base());
    p.setRenderHint(QPainter::Antialiasing);
    paintAxis(p);
    for (int i = 0; i < m_model->vehicles().size(); ++i)
        paintRow(p, i);
    paintSpeed(p);
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    const qreal dpr = devicePixelRatioF();
    if (!m_staticValid || m_static.size() != size() * dpr) {
        m_static = QPixmap(size() * dpr);
        m_static.setDevicePixelRatio(dpr);
        QPainter sp(&m_static);
        sp.setFont(font());
        paintStatic(sp);
        m_staticValid = true;
    }
    QPainter p(this);
    p.drawPixmap(0, 0, m_static);
    p.setRenderHint(QPainter::Antialiasing);
    // The playhead across everything.
    const double x = xOf(m_model->playheadMs());
    if (x >= labelWidth() - 1 && x <= width()) {
        p.setPen(QPen(palette().highlight().color(), 2));
        p.drawLine(QPointF(x, 0), QPointF(x, height()));
        const QString t = m_model->playhead().toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        const QFontMetrics fm(font());
        QRectF box(x - fm.horizontalAdvance(t) / 2.0 - 4, 2, fm.horizontalAdvance(t) + 8, kAxisHeight - 4);
        box.moveLeft(std::clamp(box.left(), double(labelWidth()), double(width()) - box.width()));
        p.setPen(Qt::NoPen);
        p.setBrush(palette().highlight());
        p.drawRoundedRect(box, 3, 3);
        p.setPen(palette().highlightedText().color());
        p.drawText(box, Qt::AlignCenter, t);
    }
}

void TimelineWidget::paintAxis(QPainter &p)
{
    const QRect r = axisRect();
    p.fillRect(r, palette().window());
    const double pxPerSec = (width() - labelWidth() - 8) / (double(m_toMs - m_fromMs) / 1000.0);
    qint64 step = kSteps[std::size(kSteps) - 1];
    for (qint64 s : kSteps) {
        if (s * pxPerSec >= 70) {
            step = s;
            break;
        }
    }
    // Ticks on local-time boundaries (a day starts at local midnight).
    const qint64 offsetMs = qint64(QDateTime::fromMSecsSinceEpoch(m_fromMs).offsetFromUtc()) * 1000;
    const qint64 stepMs = step * 1000;
    qint64 t = ((m_fromMs + offsetMs) / stepMs) * stepMs - offsetMs;
    p.setPen(palette().text().color());
    const QColor grid = palette().mid().color();
    for (; t <= m_toMs; t += stepMs) {
        const double x = xOf(t);
        if (x < labelWidth())
            continue;
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(x, r.bottom() - 5), QPointF(x, height()));
        p.setPen(palette().text().color());
        p.drawText(QRectF(x + 3, 0, 90, r.height()), Qt::AlignVCenter | Qt::AlignLeft, localTimeText(t, step));
    }
}

void TimelineWidget::paintRow(QPainter &p, int index)
{
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(index);
    const QRect r = rowRect(index);
    // The name in the vehicle's colour.
    p.setPen(Qt::NoPen);
    p.setBrush(v.colour);
    p.drawRoundedRect(QRectF(4, r.top() + 6, 10, r.height() - 12), 2, 2);
    p.setPen(palette().text().color());
    p.drawText(QRect(18, r.top(), labelWidth() - 22, r.height()), Qt::AlignVCenter | Qt::AlignLeft,
               p.fontMetrics().elidedText(v.data.history.name, Qt::ElideRight, labelWidth() - 22));
    p.save();
    p.setClipRect(QRect(labelWidth(), r.top(), width() - labelWidth(), r.height()));
    p.fillRect(QRect(labelWidth(), r.top(), width() - labelWidth(), r.height()), palette().alternateBase());
    const auto span = [&](const QDateTime &a, const QDateTime &b) {
        const double x0 = xOf(a.toMSecsSinceEpoch());
        const double x1 = std::max(x0 + 1.5, xOf(b.toMSecsSinceEpoch()));
        return std::pair{x0, x1};
    };
    // Ignition: a thin line along the bottom where it was on.
    const QList<Position> &fixes = v.data.history.fixes;
    // One line per stretch with the ignition on, only the visible fixes read.
    p.setPen(QPen(QColor(0xe8, 0xa3, 0x00), 2));
    {
        const auto first = std::lower_bound(v.timesMs.begin(), v.timesMs.end(), m_fromMs);
        qsizetype i = std::max<qsizetype>(0, (first - v.timesMs.begin()) - 1);
        double onFrom = -1;
        for (; i + 1 < fixes.size(); ++i) {
            const bool on = fixes[i].acc == true;
            if (on && onFrom < 0)
                onFrom = xOf(v.timesMs[std::size_t(i)]);
            if (!on && onFrom >= 0) {
                p.drawLine(QPointF(onFrom, r.bottom() - 1), QPointF(xOf(v.timesMs[std::size_t(i)]), r.bottom() - 1));
                onFrom = -1;
            }
            if (v.timesMs[std::size_t(i)] > m_toMs)
                break;
        }
        if (onFrom >= 0)
            p.drawLine(QPointF(onFrom, r.bottom() - 1),
                       QPointF(xOf(v.timesMs[std::size_t(std::min(i, fixes.size() - 1))]), r.bottom() - 1));
    }
    p.setPen(Qt::NoPen);
    for (const TrackAnalysis::TripSummary &t : v.data.summary.trips) {
        const auto [x0, x1] = span(t.start, t.end);
        p.setBrush(v.colour);
        p.drawRoundedRect(QRectF(x0, r.top() + 4, x1 - x0, r.height() - 10), 3, 3);
    }
    for (const TrackAnalysis::Stop &s : v.data.summary.stops) {
        const auto [x0, x1] = span(s.from, s.to);
        const bool parking = s.kind == TrackAnalysis::StopKind::Parking;
        p.setBrush(parking ? QColor(0x2f, 0x6f, 0xdb, 110) : QColor(0xe8, 0xa3, 0x00, 150));
        p.drawRect(QRectF(x0, r.top() + 7, x1 - x0, r.height() - 16));
    }
    for (const TrackAnalysis::Gap &g : v.data.summary.gaps) {
        const auto [x0, x1] = span(g.from, g.to);
        p.setPen(QPen(palette().mid().color(), 1, Qt::DashLine));
        p.drawLine(QPointF(x0, r.center().y()), QPointF(x1, r.center().y()));
        p.setPen(Qt::NoPen);
    }
    p.setBrush(QColor(0xd9, 0x30, 0x25));
    for (const Alarm &a : v.data.history.alarms) {
        const double x = xOf(a.time.toMSecsSinceEpoch());
        p.drawPolygon(QPolygonF{QPointF(x, r.top()), QPointF(x + 5, r.top() + 8), QPointF(x - 5, r.top() + 8)});
    }
    p.restore();
}

void TimelineWidget::paintSpeed(QPainter &p)
{
    const QRect r = speedRect();
    p.setPen(palette().text().color());
    p.drawText(QRect(4, r.top(), labelWidth() - 8, 16), Qt::AlignLeft | Qt::AlignTop, tr("km/h"));
    double top = 60;
    for (const PlaybackModel::Vehicle &v : m_model->vehicles()) {
        for (const Position &f : v.data.history.fixes)
            top = std::max(top, f.speedKmh.value_or(0.0));
    }
    top = std::ceil(top / 20.0) * 20.0;
    const QRectF plot(labelWidth(), r.top() + 2, width() - labelWidth() - 8, r.height() - 4);
    p.fillRect(plot, palette().alternateBase());
    p.setPen(QPen(palette().mid().color(), 1, Qt::DotLine));
    for (double kmh = 20; kmh < top; kmh += (top > 100 ? 40 : 20)) {
        const double y = plot.bottom() - kmh / top * plot.height();
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.drawText(QRectF(4, y - 8, labelWidth() - 10, 16), Qt::AlignRight | Qt::AlignVCenter, QString::number(kmh));
    }
    p.save();
    p.setClipRect(plot);
    for (const PlaybackModel::Vehicle &v : m_model->vehicles()) {
        const QList<Position> &fixes = v.data.history.fixes;
        if (fixes.isEmpty())
            continue;
        // At most one point per pixel column: the highest speed in it.
        const auto first = std::lower_bound(v.timesMs.begin(), v.timesMs.end(), m_fromMs);
        const auto last = std::upper_bound(v.timesMs.begin(), v.timesMs.end(), m_toMs);
        qsizetype begin = std::max<qsizetype>(0, (first - v.timesMs.begin()) - 1);
        const qsizetype end = std::min<qsizetype>(fixes.size(), (last - v.timesMs.begin()) + 1);
        QPolygonF line;
        const QList<TrackAnalysis::Gap> &gaps = v.data.summary.gaps;
        qsizetype nextGap = 0;
        int column = INT_MIN;
        double peak = 0;
        double px = 0;
        const auto flush = [&] {
            if (column != INT_MIN)
                line.append(QPointF(px, plot.bottom() - peak / top * plot.height()));
        };
        for (qsizetype i = begin; i < end; ++i) {
            const double x = xOf(v.timesMs[std::size_t(i)]);
            const double speed = fixes[i].speedKmh.value_or(0.0);
            // A silence (a parked device sends nothing): the last speed holds until the next fix.
            if (i > begin && v.timesMs[std::size_t(i)] - v.timesMs[std::size_t(i - 1)] > 120000 && column != INT_MIN) {
                const double held = plot.bottom() - fixes[i - 1].speedKmh.value_or(0.0) / top * plot.height();
                flush();
                line.append(QPointF(xOf(v.timesMs[std::size_t(i - 1)]), held));
                line.append(QPointF(x, held));
                column = INT_MIN;
            }
            if (int(x) != column) {
                flush();
                column = int(x);
                peak = speed;
                px = x;
            } else {
                peak = std::max(peak, speed);
            }
            // A gap in the fixes is a gap in the chart.
            while (nextGap < gaps.size() && gaps[nextGap].before < i)
                ++nextGap;
            const bool gap = nextGap < gaps.size() && gaps[nextGap].before == i;
            if (gap) {
                flush();
                column = INT_MIN;
                p.setPen(QPen(v.colour, 1.5));
                p.drawPolyline(line);
                line.clear();
            }
        }
        flush();
        p.setPen(QPen(v.colour, 1.5));
        p.drawPolyline(line);
    }
    p.restore();
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_pressFromMs = m_fromMs;
    if (axisRect().contains(m_pressPos) || event->modifiers().testFlag(Qt::ShiftModifier)) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else if (event->position().x() >= labelWidth()) {
        m_drag = Drag::Playhead;
        if (m_model->isPlaying())
            m_model->pause();
        m_model->setPlayheadMs(msAt(event->position().x()));
    }
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (m_drag == Drag::Playhead) {
        m_model->setPlayheadMs(msAt(std::max<double>(labelWidth(), event->position().x())));
    } else if (m_drag == Drag::Pan) {
        const double w = std::max(1, width() - labelWidth() - 8);
        const qint64 delta = qint64((event->position().x() - m_pressPos.x()) / w * double(m_toMs - m_fromMs));
        const qint64 span = m_toMs - m_fromMs;
        setView(m_pressFromMs - delta, m_pressFromMs - delta + span);
    }
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent *)
{
    m_drag = Drag::None;
    unsetCursor();
}

void TimelineWidget::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        event->ignore();
        return;
    }
    if (event->modifiers().testFlag(Qt::ShiftModifier)) {
        const qint64 span = m_toMs - m_fromMs;
        const qint64 delta = qint64(-steps * 0.1 * double(span));
        setView(m_fromMs + delta, m_fromMs + delta + span);
    } else {
        const double x = event->position().x();
        const qint64 around = x >= labelWidth() ? msAt(x) : m_model->playheadMs();
        zoomBy(std::pow(0.8, steps), around);
    }
    event->accept();
}

void TimelineWidget::keyPressEvent(QKeyEvent *event)
{
    const bool ctrl = event->modifiers().testFlag(Qt::ControlModifier);
    const bool shift = event->modifiers().testFlag(Qt::ShiftModifier);
    switch (event->key()) {
    case Qt::Key_Space: m_model->togglePlay(); break;
    case Qt::Key_Right:
    case Qt::Key_Left: {
        const int direction = event->key() == Qt::Key_Right ? 1 : -1;
        if (ctrl)
            m_model->stepStop(direction);
        else if (shift)
            m_model->stepAlarm(direction);
        else
            m_model->stepFix(direction);
        break;
    }
    case Qt::Key_Plus:
    case Qt::Key_Equal: m_model->faster(); break;
    case Qt::Key_Minus: m_model->slower(); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

QString TimelineWidget::tooltipAt(QPoint pos) const
{
    if (pos.x() < labelWidth())
        return {};
    const qint64 ms = msAt(pos.x());
    for (int i = 0; i < m_model->vehicles().size(); ++i) {
        const PlaybackModel::Vehicle &v = m_model->vehicles().at(i);
        if (!rowRect(i).contains(pos) && !speedRect().contains(pos))
            continue;
        for (const TrackAnalysis::Stop &s : v.data.summary.stops) {
            if (ms >= s.from.toMSecsSinceEpoch() && ms <= s.to.toMSecsSinceEpoch() && rowRect(i).contains(pos))
                return tr("%1: %2 from %3 to %4 (%5 min)")
                    .arg(v.data.history.name.toHtmlEscaped(),
                         s.kind == TrackAnalysis::StopKind::Parking ? tr("parked") : tr("idling"),
                         s.from.toLocalTime().toString(QStringLiteral("HH:mm")),
                         s.to.toLocalTime().toString(QStringLiteral("HH:mm")))
                    .arg(s.seconds() / 60);
        }
        const PlaybackModel::Sample sample = m_model->sampleAt(i, ms);
        if (sample.valid && sample.fixIndex >= 0 && rowRect(i).contains(pos)) {
            const Position &f = v.data.history.fixes[sample.fixIndex];
            return tr("%1 at %2: %3 km/h").arg(v.data.history.name.toHtmlEscaped(),
                                                f.gpsTime.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                                QString::number(f.speedKmh.value_or(0.0), 'f', 0));
        }
    }
    return {};
}

} // namespace Fleet
