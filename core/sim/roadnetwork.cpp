#include "sim/roadnetwork.h"

#include "sim/simrandom.h"

#include <QLineF>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace Fleet::Sim {

namespace {

constexpr double kEarthRadiusM = 6371000.0;
constexpr double kPointSpacingM = 150.0;
constexpr int kRingCount = 4;
// Nodes per radial: one on each ring, plus the end of the road outside the city.
constexpr int kNodesPerRadial = kRingCount + 1;

QPointF polar(double r, double theta)
{
    // theta clockwise from north, like a compass.
    return {r * std::sin(theta), r * std::cos(theta)};
}

double headingOf(const QPointF &d)
{
    double h = std::atan2(d.x(), d.y()) * 180.0 / std::numbers::pi;
    return h < 0 ? h + 360.0 : h;
}

const std::array<const char *, 12> &radialNames()
{
    static const std::array<const char *, 12> names = {"Station Road", "Harbour Avenue", "Mill Road",   "Church Street",
                                                       "Park Avenue",  "Market Street",  "Bridge Road", "Forest Avenue",
                                                       "Airport Road", "Canal Street",   "Hill Road",   "Lake Avenue"};
    return names;
}

} // namespace

RoadNetwork::RoadNetwork(quint64 seed, double centreLat, double centreLng)
    : m_centreLat(centreLat)
    , m_centreLng(centreLng)
{
    m_degPerMetreLat = 180.0 / (std::numbers::pi * kEarthRadiusM);
    m_degPerMetreLng = m_degPerMetreLat / std::cos(centreLat * std::numbers::pi / 180.0);

    SimRandom rng(SimRandom::hash(seed, 0x524f414453ULL));
    const int radials = rng.range(10, 12);

    // Rings are wobbly closed curves; radials bend gently as they leave the
    // centre, so that no two routes look like straight lines.
    const double nominal[kRingCount] = {2000, 5000, 9000, 15000};
    double ringR[kRingCount];
    double ringWobble[kRingCount][4];
    for (int j = 0; j < kRingCount; ++j) {
        ringR[j] = nominal[j] * rng.uniform(0.93, 1.07);
        ringWobble[j][0] = rng.uniform(0.02, 0.06);
        ringWobble[j][1] = rng.uniform(0, 2 * std::numbers::pi);
        ringWobble[j][2] = rng.uniform(0.01, 0.03);
        ringWobble[j][3] = rng.uniform(0, 2 * std::numbers::pi);
    }
    const double endR = 20000 * rng.uniform(0.95, 1.05);
    const auto ringRadius = [&](int j, double theta) {
        const double *w = ringWobble[j];
        return ringR[j] * (1 + w[0] * std::sin(2 * theta + w[1]) + w[2] * std::sin(3 * theta + w[3]));
    };

    struct Radial
    {
        double base, amp, wave, phase;
    };
    std::vector<Radial> radial(static_cast<std::size_t>(radials));
    const double spacing = 2 * std::numbers::pi / radials;
    for (int k = 0; k < radials; ++k) {
        radial[std::size_t(k)] = {k * spacing + rng.uniform(-0.2, 0.2) * spacing, rng.uniform(-0.07, 0.07),
                                  rng.uniform(3000, 8000), rng.uniform(0, 2 * std::numbers::pi)};
    }
    const auto thetaAt = [&](int k, double r) {
        const Radial &q = radial[std::size_t(k)];
        return q.base + q.amp * (std::sin(r / q.wave + q.phase) - std::sin(q.phase));
    };

    for (double &a : m_altitude)
        a = rng.uniform(0, 2 * std::numbers::pi);
    m_altitude[0] = rng.uniform(30, 70);

    // Node 0 is the centre; node 1 + k * kNodesPerRadial + j sits where radial
    // k meets ring j (j == kRingCount: the end of the radial).
    m_nodeCount = 1 + radials * kNodesPerRadial;
    const auto nodes = static_cast<std::size_t>(m_nodeCount);
    std::vector<double> nodeR(nodes, 0.0);
    std::vector<double> nodeTheta(nodes, 0.0);
    std::vector<QPointF> nodePos(nodes);
    const auto node = [&](int k, int j) { return 1 + k * kNodesPerRadial + j; };
    for (int k = 0; k < radials; ++k) {
        for (int j = 0; j < kNodesPerRadial; ++j) {
            const double r = j < kRingCount ? ringRadius(j, thetaAt(k, ringR[j])) : endR;
            const auto n = std::size_t(node(k, j));
            nodeR[n] = r;
            nodeTheta[n] = thetaAt(k, r);
            nodePos[n] = polar(r, nodeTheta[n]);
        }
    }

    // Limits: town streets inside the second ring, faster further out; every
    // other radial is a major road.
    const int majorLimits[kNodesPerRadial] = {50, 50, 70, 70, 80};
    const int minorLimits[kNodesPerRadial] = {50, 50, 50, 70, 70};
    const int ringLimits[kRingCount] = {50, 70, 80, 90};
    // Where jobs and homes are: denser in town.
    const double radialWeight[kNodesPerRadial] = {2.0, 1.6, 1.2, 0.8, 0.4};
    const double ringWeight[kRingCount] = {2.0, 1.4, 0.9, 0.6};

    for (int k = 0; k < radials; ++k) {
        for (int j = 0; j < kNodesPerRadial; ++j) {
            const int a = j == 0 ? 0 : node(k, j - 1);
            const int b = node(k, j);
            const double ra = nodeR[std::size_t(a)];
            const double rb = nodeR[std::size_t(b)];
            const int n = std::max(1, int(std::ceil((rb - ra) / kPointSpacingM)));
            std::vector<QPointF> pts;
            pts.reserve(std::size_t(n) + 1);
            for (int i = 0; i <= n; ++i) {
                const double r = ra + (rb - ra) * i / n;
                pts.push_back(polar(r, thetaAt(k, r)));
            }
            pts.front() = nodePos[std::size_t(a)];
            pts.back() = nodePos[std::size_t(b)];
            const int limit = (k % 2 == 0 ? majorLimits : minorLimits)[j];
            addEdge(a, b, Kind::Radial, k, limit, radialWeight[j], std::move(pts));
        }
    }
    for (int j = 0; j < kRingCount; ++j) {
        for (int k = 0; k < radials; ++k) {
            const int a = node(k, j);
            const int b = node((k + 1) % radials, j);
            const double ta = nodeTheta[std::size_t(a)];
            double tb = nodeTheta[std::size_t(b)];
            if (tb < ta)
                tb += 2 * std::numbers::pi;
            // Bend the ring so that it ends exactly on both intersections.
            const double da = nodeR[std::size_t(a)] - ringRadius(j, ta);
            const double db = nodeR[std::size_t(b)] - ringRadius(j, tb);
            const int n = std::max(1, int(std::ceil(ringR[j] * (tb - ta) / kPointSpacingM)));
            std::vector<QPointF> pts;
            pts.reserve(std::size_t(n) + 1);
            for (int i = 0; i <= n; ++i) {
                const double u = double(i) / n;
                const double theta = ta + (tb - ta) * u;
                pts.push_back(polar(ringRadius(j, theta) + (1 - u) * da + u * db, theta));
            }
            pts.front() = nodePos[std::size_t(a)];
            pts.back() = nodePos[std::size_t(b)];
            addEdge(a, b, Kind::Ring, j, ringLimits[j], ringWeight[j], std::move(pts));
        }
    }
    buildRouteTables();
}

void RoadNetwork::addEdge(int from, int to, Kind kind, int road, int limitKmh, double weight,
                          std::vector<QPointF> points)
{
    Edge e;
    e.from = from;
    e.to = to;
    e.kind = kind;
    e.road = road;
    e.limitKmh = limitKmh;
    e.cum.reserve(points.size());
    e.headings.reserve(points.size());
    double d = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i > 0) {
            d += QLineF(points[i - 1], points[i]).length();
            e.headings.push_back(float(headingOf(points[i] - points[i - 1])));
        }
        e.cum.push_back(d);
    }
    e.length = d;
    e.points = std::move(points);
    const double before = m_siteWeightCum.empty() ? 0.0 : m_siteWeightCum.back();
    m_siteWeightCum.push_back(before + e.length * weight);
    m_edges.push_back(std::move(e));
}

void RoadNetwork::buildRouteTables()
{
    // Floyd-Warshall on travel time at the limits: a few dozen intersections,
    // so all pairs cost microseconds and every route afterwards is a lookup.
    const auto n = std::size_t(m_nodeCount);
    const double inf = std::numeric_limits<double>::infinity();
    m_fastest.assign(n * n, Fastest{inf, inf});
    m_nextNode.assign(n * n, -1);
    m_edgeBetween.assign(n * n, -1);
    for (std::size_t i = 0; i < n; ++i) {
        m_fastest[i * n + i] = {0, 0};
        m_nextNode[i * n + i] = qint16(i);
    }
    for (std::size_t e = 0; e < m_edges.size(); ++e) {
        const Edge &edge = m_edges[e];
        const double t = edge.length / (edge.limitKmh / 3.6);
        const auto a = std::size_t(edge.from);
        const auto b = std::size_t(edge.to);
        if (t >= m_fastest[a * n + b].seconds)
            continue;
        for (const auto &[x, y] : {std::pair{a, b}, std::pair{b, a}}) {
            m_fastest[x * n + y] = {t, edge.length};
            m_nextNode[x * n + y] = qint16(y);
            m_edgeBetween[x * n + y] = qint16(e);
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        for (std::size_t i = 0; i < n; ++i) {
            const double ik = m_fastest[i * n + k].seconds;
            if (ik == inf)
                continue;
            for (std::size_t j = 0; j < n; ++j) {
                const double t = ik + m_fastest[k * n + j].seconds;
                if (t < m_fastest[i * n + j].seconds - 1e-9) {
                    m_fastest[i * n + j] = {t, m_fastest[i * n + k].metres + m_fastest[k * n + j].metres};
                    m_nextNode[i * n + j] = m_nextNode[i * n + k];
                }
            }
        }
    }
}

void RoadNetwork::connect(Site &site) const
{
    const Edge &e = m_edges[std::size_t(site.edge)];
    const double driveway = site.stub / (kDrivewayKmh / 3.6);
    const double speed = e.limitKmh / 3.6;
    site.node[0] = e.from;
    site.node[1] = e.to;
    site.nodeMetres[0] = site.stub + site.s;
    site.nodeMetres[1] = site.stub + (e.length - site.s);
    site.nodeSeconds[0] = driveway + site.s / speed;
    site.nodeSeconds[1] = driveway + (e.length - site.s) / speed;
    site.outHeading = headingOf(site.attach - site.pos);
}

RoadNetwork::Way RoadNetwork::way(const Site &a, const Site &b) const
{
    // Called for every candidate visit of every simulated day: lookups only.
    Way w;
    if (a.edge == b.edge) {
        const double along = std::abs(a.s - b.s);
        w.seconds = (a.stub + b.stub) / (kDrivewayKmh / 3.6) + along / (m_edges[std::size_t(a.edge)].limitKmh / 3.6);
        w.metres = a.stub + along + b.stub;
        return w;
    }
    const auto n = std::size_t(m_nodeCount);
    double best = std::numeric_limits<double>::infinity();
    int bi = 0;
    int bj = 0;
    for (int i = 0; i < 2; ++i) {
        const Fastest *row = &m_fastest[std::size_t(a.node[i]) * n];
        for (int j = 0; j < 2; ++j) {
            const double t = a.nodeSeconds[i] + row[b.node[j]].seconds + b.nodeSeconds[j];
            if (t < best) {
                best = t;
                bi = i;
                bj = j;
            }
        }
    }
    w.exitNode = a.node[bi];
    w.entryNode = b.node[bj];
    w.seconds = best;
    w.metres = a.nodeMetres[bi] + m_fastest[std::size_t(w.exitNode) * n + std::size_t(w.entryNode)].metres
        + b.nodeMetres[bj];
    return w;
}

void RoadNetwork::route(const Site &a, const Site &b, const Way &way, std::vector<Piece> &out) const
{
    out.clear();
    out.reserve(16);
    double start = 0;
    const auto push = [&](int edge, double from, double to, int limit, Kind kind) {
        const double len = std::abs(to - from);
        if (len < 0.5)
            return;
        Piece p;
        p.start = float(start);
        p.from = float(from);
        p.to = float(to);
        p.edge = qint16(edge);
        p.limitKmh = quint8(limit);
        p.kind = kind;
        out.push_back(p);
        start += len;
    };
    const auto pushEdge = [&](int e, double from, double to) {
        const Edge &edge = m_edges[std::size_t(e)];
        push(e, from, to, edge.limitKmh, edge.kind);
    };
    push(kDrivewayOut, 0, a.stub, kDrivewayKmh, Kind::Driveway);
    if (way.exitNode < 0) {
        pushEdge(a.edge, a.s, b.s);
    } else {
        const Edge &ea = m_edges[std::size_t(a.edge)];
        pushEdge(a.edge, a.s, way.exitNode == ea.from ? 0.0 : ea.length);
        const auto n = std::size_t(m_nodeCount);
        int at = way.exitNode;
        while (at != way.entryNode) {
            const int next = m_nextNode[std::size_t(at) * n + std::size_t(way.entryNode)];
            const int e = m_edgeBetween[std::size_t(at) * n + std::size_t(next)];
            const Edge &edge = m_edges[std::size_t(e)];
            if (edge.from == at)
                pushEdge(e, 0.0, edge.length);
            else
                pushEdge(e, edge.length, 0.0);
            at = next;
        }
        const Edge &eb = m_edges[std::size_t(b.edge)];
        pushEdge(b.edge, way.entryNode == eb.from ? 0.0 : eb.length, b.s);
    }
    push(kDrivewayIn, 0, b.stub, kDrivewayKmh, Kind::Driveway);
}

QPointF RoadNetwork::pointOn(const Piece &piece, double u, const Site &a, const Site &b, double *heading) const
{
    if (piece.edge == kDrivewayOut || piece.edge == kDrivewayIn) {
        const QPointF p0 = piece.edge == kDrivewayOut ? a.pos : b.attach;
        const QPointF p1 = piece.edge == kDrivewayOut ? a.attach : b.pos;
        const double len = piece.edge == kDrivewayOut ? a.stub : b.stub;
        const double f = len > 0 ? std::clamp(u / len, 0.0, 1.0) : 1.0;
        if (heading) {
            const double out = piece.edge == kDrivewayOut ? a.outHeading : b.outHeading;
            *heading = piece.edge == kDrivewayOut ? out : std::fmod(out + 180.0, 360.0);
        }
        return p0 + (p1 - p0) * f;
    }
    const bool forward = piece.to >= piece.from;
    const double s = std::clamp(double(piece.from) + (forward ? u : -u), double(std::min(piece.from, piece.to)),
                                double(std::max(piece.from, piece.to)));
    const QPointF p = pointOnEdge(piece.edge, s, heading);
    if (!forward && heading)
        *heading = std::fmod(*heading + 180.0, 360.0);
    return p;
}

QPointF RoadNetwork::pointOnEdge(int edge, double s, double *heading) const
{
    const Edge &e = m_edges[std::size_t(edge)];
    const auto it = std::upper_bound(e.cum.begin(), e.cum.end(), s);
    const auto i = std::size_t(std::clamp<std::ptrdiff_t>(it - e.cum.begin() - 1, 0, std::ptrdiff_t(e.cum.size()) - 2));
    const double seg = e.cum[i + 1] - e.cum[i];
    const double f = seg > 0 ? std::clamp((s - e.cum[i]) / seg, 0.0, 1.0) : 0.0;
    if (heading)
        *heading = e.headings[i];
    return e.points[i] + (e.points[i + 1] - e.points[i]) * f;
}

RoadNetwork::Site RoadNetwork::siteAt(int edge, double s, int side, double offset) const
{
    double heading = 0;
    Site site;
    site.edge = edge;
    site.s = s;
    site.side = side;
    site.attach = pointOnEdge(edge, s, &heading);
    const double h = heading * std::numbers::pi / 180.0;
    const QPointF right(std::cos(h), -std::sin(h));
    site.pos = site.attach + right * (side * offset);
    site.stub = offset;
    connect(site);
    return site;
}

RoadNetwork::Site RoadNetwork::randomSite(SimRandom &rng, double minOffset, double maxOffset) const
{
    const double x = rng.uniform() * m_siteWeightCum.back();
    const auto it = std::upper_bound(m_siteWeightCum.begin(), m_siteWeightCum.end(), x);
    const int edge = int(std::min<std::ptrdiff_t>(it - m_siteWeightCum.begin(), std::ptrdiff_t(m_edges.size()) - 1));
    const double len = m_edges[std::size_t(edge)].length;
    // Keep clear of intersections.
    const double margin = std::min(40.0, len * 0.25);
    const double s = rng.uniform(margin, len - margin);
    const int side = rng.chance(0.5) ? 1 : -1;
    return siteAt(edge, s, side, rng.uniform(minOffset, maxOffset));
}

RoadNetwork::Site RoadNetwork::siteNear(const QPointF &target, double offset) const
{
    int bestEdge = 0;
    double bestS = 0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t e = 0; e < m_edges.size(); ++e) {
        const Edge &edge = m_edges[e];
        for (std::size_t i = 0; i < edge.points.size(); ++i) {
            const QPointF d = edge.points[i] - target;
            const double dist = QPointF::dotProduct(d, d);
            if (dist < best) {
                best = dist;
                bestEdge = int(e);
                bestS = edge.cum[i];
            }
        }
    }
    const double len = m_edges[std::size_t(bestEdge)].length;
    const double margin = std::min(40.0, len * 0.25);
    const double s = std::clamp(bestS, margin, len - margin);
    const Site right = siteAt(bestEdge, s, 1, offset);
    const QPointF toTarget = target - right.attach;
    return QPointF::dotProduct(right.pos - right.attach, toTarget) >= 0 ? right : siteAt(bestEdge, s, -1, offset);
}

RoadNetwork::Site RoadNetwork::moved(const Site &site, const QPointF &delta) const
{
    Site m = site;
    m.pos += delta;
    m.stub = QLineF(m.pos, m.attach).length();
    connect(m);
    return m;
}

double RoadNetwork::altitudeAt(const QPointF &p) const
{
    // Smooth rolling terrain, slightly rising away from the river-side centre.
    return m_altitude[0] + 22 * std::sin(p.x() / 2900 + m_altitude[1]) + 14 * std::cos(p.y() / 4100 + m_altitude[2])
        + 9 * std::sin((p.x() - p.y()) / 6700 + m_altitude[3]) + 0.0012 * std::hypot(p.x(), p.y());
}

QString RoadNetwork::streetName(int edge) const
{
    const Edge &e = m_edges[std::size_t(edge)];
    if (e.kind == Kind::Driveway)
        return {};
    return e.kind == Kind::Ring ? QStringLiteral("Ring Road %1").arg(e.road + 1)
                                : QString::fromLatin1(radialNames()[std::size_t(e.road) % radialNames().size()]);
}

QByteArray RoadNetwork::toGeoJson() const
{
    QJsonArray features;
    for (int i = 0; i < edgeCount(); ++i) {
        const Edge &e = m_edges[std::size_t(i)];
        if (e.kind == Kind::Driveway)
            continue;
        QJsonArray line;
        for (const QPointF &p : e.points) {
            double lat = 0;
            double lng = 0;
            toLatLng(p, &lat, &lng);
            line.append(QJsonArray{std::round(lng * 1e6) / 1e6, std::round(lat * 1e6) / 1e6});
        }
        features.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("Feature")},
            {QStringLiteral("geometry"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("LineString")}, {QStringLiteral("coordinates"), line}}},
            {QStringLiteral("properties"),
             QJsonObject{{QStringLiteral("name"), streetName(i)},
                         {QStringLiteral("kind"), e.kind == Kind::Ring ? QStringLiteral("ring") : QStringLiteral("radial")},
                         {QStringLiteral("maxspeed_kmh"), e.limitKmh}}},
        });
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("FeatureCollection")},
                                     {QStringLiteral("features"), features}})
        .toJson(QJsonDocument::Compact);
}

QString RoadNetwork::address(const Site &site) const
{
    const int number = 2 * int(site.s / 30.0) + (site.side > 0 ? 1 : 2);
    const QString street = streetName(site.edge);
    const int sector = 1 + int(headingOf(site.pos) / 45.0) % 8;
    return QStringLiteral("%1 %2, Sector %3").arg(number).arg(street).arg(sector);
}

void RoadNetwork::toLatLng(const QPointF &p, double *lat, double *lng) const
{
    *lat = m_centreLat + p.y() * m_degPerMetreLat;
    *lng = m_centreLng + p.x() * m_degPerMetreLng;
}

} // namespace Fleet::Sim
