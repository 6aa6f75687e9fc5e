#pragma once

#include <QPointF>
#include <QString>

#include <vector>

namespace Fleet::Sim {

class SimRandom;

// The synthetic city the simulated fleet drives in: radial avenues and ring
// roads around a centre, in metres east (x) and north (y) of it. Owns the road
// polylines, the fastest-route tables between intersections, and turns places
// ("sites": a driveway off a road) into routes. Deterministic for a seed.
class RoadNetwork
{
public:
    enum class Kind : quint8 { Radial, Ring, Driveway };

    struct Edge
    {
        int from = 0;
        int to = 0;
        Kind kind = Kind::Radial;
        int road = 0; // radial or ring number; names the street
        int limitKmh = 50;
        double length = 0;
        std::vector<QPointF> points;
        std::vector<double> cum; // distance from the first point
        std::vector<float> headings; // of each segment, degrees clockwise from north
    };

    // A depot, a home or a job site: a parking place with a driveway that
    // meets the road at attach, s metres along edge.
    struct Site
    {
        QPointF pos;
        QPointF attach;
        int edge = 0;
        double s = 0;
        double stub = 0; // driveway length
        int side = 1; // side of the road, for house numbers
        // Both ways onto the network, via either end of the edge: the
        // intersection, and time and distance to it including the driveway.
        int node[2] = {0, 0};
        double nodeSeconds[2] = {0, 0};
        double nodeMetres[2] = {0, 0};
        double outHeading = 0; // driving out along the driveway
    };

    // The fastest way between two sites: along a's edge to exitNode, through
    // the route table to entryNode, along b's edge; or, when both sites are on
    // the same edge, straight along it (exitNode -1).
    struct Way
    {
        int exitNode = -1;
        int entryNode = -1;
        double seconds = 0; // at the speed limits
        double metres = 0; // the length every leg and odometer uses
    };

    // A stretch of a route with one speed limit. Kept small: day plans hold
    // thousands of them.
    struct Piece
    {
        float start = 0; // route distance where it begins
        float from = 0; // along the edge; from > to when driven backwards
        float to = 0;
        qint16 edge = 0; // or kDrivewayOut / kDrivewayIn
        quint8 limitKmh = 0;
        Kind kind = Kind::Radial;
    };
    static constexpr int kDrivewayOut = -1;
    static constexpr int kDrivewayIn = -2;
    static constexpr int kDrivewayKmh = 30;

    RoadNetwork(quint64 seed, double centreLat, double centreLng);

    Way way(const Site &a, const Site &b) const;
    void route(const Site &a, const Site &b, const Way &way, std::vector<Piece> &out) const;
    // Point and heading (degrees clockwise from north; may be null) u metres
    // into a piece of the route from a to b.
    QPointF pointOn(const Piece &piece, double u, const Site &a, const Site &b, double *heading) const;

    Site randomSite(SimRandom &rng, double minOffset, double maxOffset) const;
    Site siteNear(const QPointF &target, double offset) const;
    // The same driveway, parked somewhere else on the lot.
    Site moved(const Site &site, const QPointF &delta) const;

    double altitudeAt(const QPointF &p) const;
    QString address(const Site &site) const;
    // The street an edge belongs to ("Ring Road 2", "Harbour Avenue"); empty for a driveway.
    QString streetName(int edge) const;
    // The avenues and ring roads as a GeoJSON FeatureCollection (RFC 7946,
    // WGS-84): one LineString per edge with its name, kind and speed limit.
    // Driveways are left out. For the demo's map layer.
    QByteArray toGeoJson() const;
    void toLatLng(const QPointF &p, double *lat, double *lng) const;

    int nodeCount() const { return m_nodeCount; }
    int edgeCount() const { return int(m_edges.size()); }
    const Edge &edge(int i) const { return m_edges[std::size_t(i)]; }

private:
    QPointF pointOnEdge(int edge, double s, double *heading) const;
    Site siteAt(int edge, double s, int side, double offset) const;
    void connect(Site &site) const;
    void addEdge(int from, int to, Kind kind, int road, int limitKmh, double weight, std::vector<QPointF> points);
    void buildRouteTables();

    int m_nodeCount = 0;
    std::vector<Edge> m_edges;
    std::vector<double> m_siteWeightCum; // picks edges for random sites
    // Fastest routes between intersections (row-major, nodeCount^2); time
    // and length side by side, as way() always reads both.
    struct Fastest
    {
        double seconds;
        double metres;
    };
    std::vector<Fastest> m_fastest;
    std::vector<qint16> m_nextNode;
    std::vector<qint16> m_edgeBetween;
    double m_altitude[4] = {};
    double m_centreLat = 0;
    double m_centreLng = 0;
    double m_degPerMetreLat = 0;
    double m_degPerMetreLng = 0;
};

} // namespace Fleet::Sim
