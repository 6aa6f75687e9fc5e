#!/usr/bin/env python3
"""Builds core/domain/gcj02mainland.inc: where the GCJ-02 ("Mars") datum
applies, i.e. mainland China, as C++ constexpr polygon rings.

Run by hand, never at build time. Python 3 standard library only.

Source
  Natural Earth 1:10m "Admin 0 - Countries" (Natural Earth vector 4.1.0;
  public domain, https://www.naturalearthdata.com/about/terms-of-use/) as
  redistributed in TopoJSON by the npm package world-atlas 2.0.2, file
  countries-10m.json (package licence ISC, Copyright 2013-2019 Michael
  Bostock). That file is quantized to a 10^5 x 10^5 grid over the world: a
  step is 0.0036 deg of longitude by 0.0017 deg of latitude (about 370 m by
  190 m at 22 N), so that is the best accuracy the data has anywhere. Its
  coastline is also older and coarser than today's: reclaimed land, ports and
  airports (Xiamen Gaoqi, Yantian, Tianjin's port, Shekou) lie up to a few km
  "in the sea", and small islands (Hong Kong's Tung Ping Chau, Lesser Kinmen,
  Matsu, Shanghai's Yangshan port) are missing.

How to rerun (from the repository root; same input, byte-identical output):
  mkdir -p /tmp/wa && (cd /tmp/wa && npm pack world-atlas@2.0.2 \\
      && tar xzf world-atlas-2.0.2.tgz)
  python3 tools/gcj02/make_mainland.py --world-atlas /tmp/wa/package \\
      --output core/domain/gcj02mainland.inc --check
  It takes about 10 s. --check also runs TEST_POINTS (below) and exits
  non-zero if a point is on the wrong side; without --check the exit status
  is non-zero only if a built-in consistency check fails (then nothing is
  written).

What "mainland China" is
  The Natural Earth feature "China" (ISO 3166-1 numeric 156): the PRC's
  mainland, Hainan, the coastal islands and the Paracel Islands (PRC-run, so
  GCJ-02 applies). In Natural Earth these are features of their own, so they
  are not part of it and need no cutting out:
    - "Hong Kong" (344) and "Macao" (446); their land borders with China are
      arcs shared with China's outline (the very same vertices);
    - "Taiwan" (158): Taiwan, Penghu, Green and Orchid Islands and Greater
      Kinmen. Lesser Kinmen (Lieyu), Dadan, Erdan, Matsu, Wuqiu and Pratas
      are not in the 1:10m data at all, i.e. sea, i.e. outside as wanted;
    - "Spratly Is." and "Scarborough Reef" (disputed), left out as well.
  As a guard for other Natural Earth editions, a China polygon centred in one
  of the Taiwan-administered groups (EXCLUDE_BOXES) is dropped, and the
  script fails if a China polygon overlaps Hong Kong, Macao or Taiwan.
  Disputed land borders are Natural Earth's de-facto lines (Aksai Chin
  inside, Arunachal Pradesh outside).

Simplification (deterministic; distances in km on a local equirectangular
projection). Each edge of China's outline is one of:
  - a land border with Hong Kong or Macao: every vertex is kept;
  - within PROTECT_KM (30 km) of a Hong Kong, Macao or Kinmen vertex: a
    land border is simplified to PROTECT_TOL_KM (0.15 km, less than 0.002
    deg and less than the data's own grid step) and a coast may lose at most
    PROTECT_TOL_KM of land;
  - another land border: Douglas-Peucker with BORDER_TOL_KM;
  - another coast: one-sided Douglas-Peucker: a chord may cut off some land
    (coast_tolerance(), at most COAST_IN_KM, and only as much as the margin
    below will give back) but may bridge up to COAST_OUT_KM of sea.
  A coastal chord may take in no vertex of another country (nor a KEEP_OUT
  disc) and must stay SEPARATION_KM from them, or no closer than the coast
  it replaces already was.
Seaward margin: then every coastal vertex moves out to sea by up to
  MARGIN_KM, but by at most half its distance to another country's land and
  never nearer than SEPARATION_KM to it; land borders and their end points
  do not move. Sea is harmless (there is nothing else there), while losing
  coastal land would switch GCJ-02 off in ports and coastal cities. Where
  the margin has to shrink (estuaries, narrow straits) and coastal land
  would end up more than COAST_LOSS_KM outside, more source vertices are
  kept until it does not.
Islands: grouped into convex hulls (islands less than MERGE_KM apart whose
  joint hull takes in no foreign vertex and keeps SEPARATION_KM from one),
  then simplified and given the margin like the coast. A ring that ends up
  wholly inside another is dropped.
Checks that stop the script: no ring intersects itself; every Hong Kong and
  Macao border vertex is in the output; no foreign vertex or KEEP_OUT point
  is inside except within BORDER_TOL_KM of a land border; no source vertex
  is outside by more than its tolerance (land border BORDER_TOL_KM, coast
  COAST_LOSS_KM, within PROTECT_KM of Hong Kong, Macao, Kinmen
  PROTECT_TOL_KM).

Output
  Open rings (the edge from the last point back to the first is implied; the
  first point is not repeated), counter-clockwise, points {longitude,
  latitude} in WGS-84 degrees with 5 decimals, each with its bounding box;
  the mainland is ring 0. A point is in mainland China when it is inside any
  ring by the even-odd (crossing number) rule. No ring intersects itself and
  none has holes; rings may overlap each other.
"""

import argparse
import json
import math
import os
import sys

CHINA_ID = "156"
HONG_KONG_ID = "344"
MACAO_ID = "446"
TAIWAN_ID = "158"

# Taiwan-administered island groups off the mainland: (min lng, min lat,
# max lng, max lat). A China polygon centred in one is dropped.
EXCLUDE_BOXES = {
    "Kinmen": (118.20, 24.35, 118.50, 24.56),
    "Matsu": (119.85, 25.90, 120.55, 26.45),
    "Wuqiu": (119.40, 24.95, 119.50, 25.05),
    "Pratas": (116.60, 20.60, 116.85, 20.80),
}
KINMEN_BOX = EXCLUDE_BOXES["Kinmen"]

# Islands of Hong Kong, Kinmen and Matsu that the 1:10m data lacks, as
# (name, lat, lng, radius km) discs that the seaward margin keeps away from
# (they are sea in the data, so "outside" already; approximate positions).
KEEP_OUT = [
    ("Hong Kong Tung Ping Chau", 22.543, 114.431, 1.5),
    ("Hong Kong Kat O, Ap Chau", 22.552, 114.300, 2.0),
    ("Hong Kong Wong Wan Chau, Ngo Mei Chau", 22.525, 114.290, 1.5),
    ("Lesser Kinmen (Lieyu)", 24.428, 118.235, 3.0),
    ("Dadan", 24.383, 118.167, 1.0),
    ("Erdan", 24.370, 118.150, 1.0),
    ("Matsu Nangan", 26.155, 119.935, 3.0),
    ("Matsu Beigan", 26.225, 120.000, 3.0),
    ("Matsu Juguang (Dongju, Xiju)", 25.968, 119.960, 3.5),
    ("Matsu Dongyin", 26.365, 120.490, 3.0),
    ("Matsu Liang", 26.355, 120.250, 1.5),
    ("Wuqiu", 24.990, 119.450, 1.5),
    ("Pratas", 20.705, 116.720, 4.0),
]

PROTECT_KM = 30.0
PROTECT_TOL_KM = 0.15
BORDER_TOL_KM = 2.5
COAST_IN_KM = 2.0
COAST_OUT_KM = 50.0
SEPARATION_KM = 1.0
MARGIN_KM = 3.0
# a chord may cut off margin room less this much land (at most COAST_IN_KM)
COAST_IN_MARGIN_KM = 1.0
# at most this much coastal land may end up outside, margin included
COAST_LOSS_KM = 0.3
MERGE_KM = 40.0
# Foreign vertices are looked at in this window only.
REGION = (60.0, 0.0, 150.0, 60.0)

KM_PER_DEG = 6371.0088 * math.pi / 180.0
DECIMALS = 5

HKMO, PROTECT, BORDER, COAST = "hkmo", "protect", "border", "coast"


# --------------------------------------------------------------------------
# TopoJSON


def load_topology(path):
    with open(path, encoding="utf-8") as f:
        topo = json.load(f)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return topo, arcs


def polygons_of(geom):
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def decode_ring(arcs, arc_indices):
    """Returns (points, edge_arc): the ring without its closing point and, per
    edge i (points[i] -> points[i + 1]), the index of the arc it is from."""
    pts = []
    edge_arc = []
    for a in arc_indices:
        p = arcs[a] if a >= 0 else arcs[~a][::-1]
        pts.extend(p if not pts else p[1:])
        edge_arc.extend([a if a >= 0 else ~a] * (len(p) - 1))
    assert pts[0] == pts[-1]
    pts.pop()
    assert len(edge_arc) == len(pts)
    return pts, edge_arc


# --------------------------------------------------------------------------
# geometry


def signed_area(r):
    s = 0.0
    n = len(r)
    for i in range(n):
        x1, y1 = r[i]
        x2, y2 = r[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return s / 2.0


def bbox(r):
    xs = [p[0] for p in r]
    ys = [p[1] for p in r]
    return (min(xs), min(ys), max(xs), max(ys))


def point_in_ring(x, y, r):
    inside = False
    n = len(r)
    j = n - 1
    for i in range(n):
        xi, yi = r[i]
        xj, yj = r[j]
        if (yi > y) != (yj > y):
            if x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
        j = i
    return inside


def km_frame(origin):
    """Local projection around origin: degrees -> km and back."""
    kx = math.cos(math.radians(origin[1])) * KM_PER_DEG

    def fwd(p):
        return ((p[0] - origin[0]) * kx, (p[1] - origin[1]) * KM_PER_DEG)

    def back(q):
        return (origin[0] + q[0] / kx, origin[1] + q[1] / KM_PER_DEG)

    return fwd, back


def dist_km(a, b):
    k = math.cos(math.radians((a[1] + b[1]) / 2.0))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * KM_PER_DEG


def seg_dist_km(p, a, b):
    """Distance from p to segment a-b, in km."""
    fwd, _ = km_frame(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
    px, py = fwd(p)
    ax, ay = fwd(a)
    bx, by = fwd(b)
    dx, dy = bx - ax, by - ay
    ll = dx * dx + dy * dy
    t = 0.0 if ll == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ll))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def deg_pad(km, lat):
    dlat = km / KM_PER_DEG
    return dlat / max(0.2, math.cos(math.radians(abs(lat) + dlat))), dlat


class Grid:
    """Points bucketed by tenth of a degree for neighbourhood look-ups."""

    CELL = 0.1

    def __init__(self, points):
        self.cells = {}
        for p in points:
            self.cells.setdefault(self._key(p[0], p[1]), []).append(p)

    def _key(self, x, y):
        return (math.floor(x / self.CELL), math.floor(y / self.CELL))

    def near(self, x0, y0, x1, y1):
        kx0, ky0 = self._key(x0, y0)
        kx1, ky1 = self._key(x1, y1)
        for cx in range(kx0, kx1 + 1):
            for cy in range(ky0, ky1 + 1):
                for p in self.cells.get((cx, cy), ()):
                    if x0 <= p[0] <= x1 and y0 <= p[1] <= y1:
                        yield p

    def near_segment(self, a, b, km):
        lat = max(abs(a[1]), abs(b[1]))
        px, py = deg_pad(km, lat)
        return self.near(min(a[0], b[0]) - px, min(a[1], b[1]) - py, max(a[0], b[0]) + px, max(a[1], b[1]) + py)

    def nearest_km(self, p, limit):
        """Distance to the nearest point, or limit if none is closer."""
        best = limit
        for q in self.near_segment(p, p, limit):
            best = min(best, dist_km(p, q))
        return best

    def seg_nearest_km(self, a, b, limit):
        best = limit
        for q in self.near_segment(a, b, limit):
            best = min(best, seg_dist_km(q, a, b))
        return best


def segments_cross(p1, p2, p3, p4):
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (v > 0) - (v < 0)

    o1, o2 = orient(p1, p2, p3), orient(p1, p2, p4)
    o3, o4 = orient(p3, p4, p1), orient(p3, p4, p2)
    if o1 * o2 < 0 and o3 * o4 < 0:
        return True
    # touching or collinear overlap counts as a crossing too (conservative)
    def on(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    return (o1 == 0 and on(p1, p2, p3)) or (o2 == 0 and on(p1, p2, p4)) or \
        (o3 == 0 and on(p3, p4, p1)) or (o4 == 0 and on(p3, p4, p2))


def self_intersections(r):
    """Pairs (i, j) of non-adjacent edges of ring r that cross or touch."""
    n = len(r)
    edges = []
    for i in range(n):
        a, b = r[i], r[(i + 1) % n]
        edges.append((min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1]), i))
    edges.sort()
    bad = []
    active = []
    for x0, x1, y0, y1, i in edges:
        active = [f for f in active if f[1] >= x0]
        for f in active:
            j = f[4]
            if (i - j) % n in (1, n - 1):
                continue
            if f[3] < y0 or f[2] > y1:
                continue
            if segments_cross(r[i], r[(i + 1) % n], r[j], r[(j + 1) % n]):
                bad.append((min(i, j), max(i, j)))
        active.append((x0, x1, y0, y1, i))
    return sorted(bad)


# --------------------------------------------------------------------------
# simplification


def deviations(chain, i0, i1):
    """Signed distances (km) of chain[i0+1 .. i1-1] from the chord
    chain[i0] -> chain[i1]; positive on its left (the inside of a
    counter-clockwise ring)."""
    a, b = chain[i0], chain[i1]
    fwd, _ = km_frame(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
    ax, ay = fwd(a)
    bx, by = fwd(b)
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    out = []
    for i in range(i0 + 1, i1):
        px, py = fwd(chain[i])
        px -= ax
        py -= ay
        out.append((i, math.hypot(px, py) if length == 0 else (dx * py - dy * px) / length))
    return out


def dp_symmetric(chain, tol):
    """Douglas-Peucker on an open chain; returns the kept indices."""
    keep = {0, len(chain) - 1}
    stack = [(0, len(chain) - 1)]
    while stack:
        i0, i1 = stack.pop()
        if i1 - i0 < 2:
            continue
        best_i, best_d = max(((i, abs(d)) for i, d in deviations(chain, i0, i1)), key=lambda t: (t[1], -t[0]))
        if best_d > tol:
            keep.add(best_i)
            stack.append((i0, best_i))
            stack.append((best_i, i1))
    return sorted(keep)


class Foreign:
    """Everything the outline must keep away from: vertices of other
    countries (those shared with China are on China's outline and left out)
    and the KEEP_OUT discs."""

    def __init__(self, points):
        self.grid = Grid(points)

    def inside(self, ring):
        x0, y0, x1, y1 = bbox(ring)
        return [p for p in self.grid.near(x0, y0, x1, y1) if point_in_ring(p[0], p[1], ring)]

    def chain_distance(self, chain, limit):
        return min(self.grid.nearest_km(p, limit) for p in chain)

    def seg_distance(self, a, b, limit):
        return self.grid.seg_nearest_km(a, b, limit)


def dp_one_sided(chain, tol_in, tol_out, foreign):
    """Douglas-Peucker for the coast of a counter-clockwise ring: a chord may
    leave source points up to tol_in[i] to its right (land lost) and up to
    tol_out to its left (sea taken in); the area between chord and chain may
    hold no foreign point, and the chord must stay SEPARATION_KM from
    foreign points (or as far as the chain itself is, if that is less)."""
    keep = {0, len(chain) - 1}
    stack = [(0, len(chain) - 1)]
    while stack:
        i0, i1 = stack.pop()
        if i1 - i0 < 2:
            continue
        best_i, best_score = -1, -1.0
        for i, d in deviations(chain, i0, i1):
            score = (d / tol_out) if d > 0 else (-d / tol_in[i])
            if score > best_score:
                best_i, best_score = i, score
        ok = best_score <= 1.0
        if ok:
            piece = chain[i0:i1 + 1]
            if foreign.inside(piece):
                ok = False
            else:
                need = foreign.chain_distance(piece, SEPARATION_KM)
                ok = foreign.seg_distance(chain[i0], chain[i1], SEPARATION_KM) >= need - 1e-6
        if not ok:
            keep.add(best_i)
            stack.append((i0, best_i))
            stack.append((best_i, i1))
    return sorted(keep)


def margin_room(p, foreign):
    """How far out to sea the margin may move a coast point at p."""
    df = foreign.grid.nearest_km(p, 4 * MARGIN_KM + SEPARATION_KM)
    return max(0.0, min(MARGIN_KM, df / 2.0, df - SEPARATION_KM))


def coast_tolerance(p, foreign):
    """How much land a chord may cut off at coast point p: up to COAST_IN_KM
    where the margin will move the coast out by more than that again, down
    to PROTECT_TOL_KM near foreign land."""
    return max(PROTECT_TOL_KM, min(COAST_IN_KM, margin_room(p, foreign) - COAST_IN_MARGIN_KM))


def edge_classes(ring, edge_kind, protected):
    n = len(ring)
    cls = []
    for i in range(n):
        if edge_kind[i] == HKMO:
            cls.append(HKMO)
        elif protected[i] or protected[(i + 1) % n]:
            cls.append(PROTECT + "-" + edge_kind[i])
        else:
            cls.append(edge_kind[i])
    return cls


def simplify_ring(ring, cls, foreign, forced=()):
    """Returns the kept vertex indices of ring, in order. cls[i] is the class
    of edge i (ring[i] -> ring[i + 1])."""
    n = len(ring)
    anchors = set(i for i in range(n) if cls[i - 1] != cls[i])
    anchors.update(forced)
    if not anchors:
        anchors.add(0)
    if len(anchors) == 1:
        (a,) = anchors
        anchors.add(max(range(n), key=lambda i: (dist_km(ring[a], ring[i]), -i)))
    if len(anchors) == 2:  # a closed span needs a third point to be a ring
        a, b = sorted(anchors)
        anchors.add((a + ((b - a) % n) // 2) % n)
    anchors = sorted(anchors)
    kept = []
    for k, a in enumerate(anchors):
        b = anchors[(k + 1) % len(anchors)]
        span_idx = [(a + j) % n for j in range((b - a) % n)] + [b]
        span = [ring[i] for i in span_idx]
        c = cls[a]
        if c == HKMO:
            idx = list(range(len(span)))
        elif c == PROTECT + "-" + BORDER:
            idx = dp_symmetric(span, PROTECT_TOL_KM)
        elif c == BORDER:
            idx = dp_symmetric(span, BORDER_TOL_KM)
        elif c == PROTECT + "-" + COAST:
            idx = dp_one_sided(span, [PROTECT_TOL_KM] * len(span), COAST_OUT_KM, foreign)
        else:
            idx = dp_one_sided(span, [coast_tolerance(p, foreign) for p in span], COAST_OUT_KM, foreign)
        kept.extend(span_idx[j] for j in idx[:-1])
    return kept


def simplify_clean(ring, cls, foreign, forced=()):
    """simplify_ring, keeping more source vertices wherever two edges of the
    result cross, until none do."""
    n = len(ring)
    forced = set(forced)
    while True:
        kept = simplify_ring(ring, cls, foreign, forced)
        bad = self_intersections([ring[i] for i in kept])
        if not bad:
            return kept
        grew = False
        for pair in bad:
            for k in pair:
                a, b = kept[k], kept[(k + 1) % len(kept)]
                gap = (b - a) % n
                if gap > 1:
                    forced.add((a + gap // 2) % n)
                    grew = True
        assert grew, "the source ring intersects itself"


# --------------------------------------------------------------------------
# seaward margin


def outward_normal(prev, p, nxt):
    """Unit outward bisector at p of a counter-clockwise ring (km frame) and
    the miter factor 1/cos(half the turn)."""
    fwd, _ = km_frame(p)
    ax, ay = fwd(prev)
    bx, by = fwd(nxt)
    e1 = (-ax, -ay)  # prev -> p
    e2 = (bx, by)  # p -> next
    l1 = math.hypot(*e1) or 1.0
    l2 = math.hypot(*e2) or 1.0
    n1 = (e1[1] / l1, -e1[0] / l1)  # right of travel = outside
    n2 = (e2[1] / l2, -e2[0] / l2)
    sx, sy = n1[0] + n2[0], n1[1] + n2[1]
    s = math.hypot(sx, sy)
    if s < 1e-9:
        return None, 0.0
    nx, ny = sx / s, sy / s
    cos_half = nx * n1[0] + ny * n1[1]
    return (nx, ny), 1.0 / max(cos_half, 0.5)


def add_margin(pts, movable, foreign):
    """Moves the movable vertices of a counter-clockwise ring out to sea.
    Returns the new points."""
    n = len(pts)
    want = []
    for i in range(n):
        if not movable[i]:
            want.append(0.0)
            continue
        want.append(margin_room(pts[i], foreign))

    def moved(i, d):
        if d <= 0.0:
            return pts[i]
        nrm, miter = outward_normal(pts[i - 1], pts[i], pts[(i + 1) % n])
        if nrm is None:
            return pts[i]
        _, back = km_frame(pts[i])
        return back((nrm[0] * d * miter, nrm[1] * d * miter))

    d = list(want)
    for _ in range(40):
        new = [moved(i, d[i]) for i in range(n)]
        shrink = set()
        for i in range(n):
            j = (i + 1) % n
            if d[i] <= 0.0 and d[j] <= 0.0:
                continue
            # The sea taken in by this edge holds no foreign point, and the
            # edge keeps its distance to foreign land.
            quad = [pts[i], pts[j], new[j], new[i]]
            need = min(SEPARATION_KM, foreign.seg_distance(pts[i], pts[j], SEPARATION_KM))
            if foreign.inside(quad) or foreign.seg_distance(new[i], new[j], need) < need - 1e-6:
                shrink.update((i, j))
        for a, b in self_intersections(new):
            shrink.update((a, (a + 1) % n, b, (b + 1) % n))
        shrink = set(i for i in shrink if d[i] > 0.0)
        if not shrink:
            return new
        for i in shrink:
            d[i] = d[i] / 2.0 if d[i] > 0.05 else 0.0
    raise AssertionError("margin did not settle")


class RingIndex:
    """Fast point-in-ring and distance-to-outline look-ups for one ring."""

    BAND = 0.1

    def __init__(self, ring):
        self.ring = ring
        self.bands = {}
        self.cells = {}
        n = len(ring)
        for i in range(n):
            a, b = ring[i], ring[(i + 1) % n]
            for k in range(math.floor(min(a[1], b[1]) / self.BAND), math.floor(max(a[1], b[1]) / self.BAND) + 1):
                self.bands.setdefault(k, []).append((a, b))
            for cx in range(math.floor(min(a[0], b[0]) / self.BAND), math.floor(max(a[0], b[0]) / self.BAND) + 1):
                for cy in range(math.floor(min(a[1], b[1]) / self.BAND), math.floor(max(a[1], b[1]) / self.BAND) + 1):
                    self.cells.setdefault((cx, cy), []).append((a, b))

    def contains(self, p):
        x, y = p
        inside = False
        for a, b in self.bands.get(math.floor(y / self.BAND), ()):
            if (a[1] > y) != (b[1] > y) and x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]:
                inside = not inside
        return inside

    def outside_km(self, p):
        """0 if p is inside, else its distance to the outline (at most ~10 km
        is looked for; farther counts as 99)."""
        if self.contains(p):
            return 0.0
        cx, cy = math.floor(p[0] / self.BAND), math.floor(p[1] / self.BAND)
        return min((seg_dist_km(p, a, b) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for a, b in self.cells.get((cx + dx, cy + dy), ())), default=99.0)


def make_outline(pts, cls, foreign):
    """Simplifies a counter-clockwise ring by edge class and adds the seaward
    margin; then, wherever a coast vertex of the source ends up more than
    COAST_LOSS_KM outside (the margin had to shrink, e.g. in an estuary),
    keeps that vertex and tries again."""
    n = len(pts)
    forced = set()
    for _ in range(50):
        kept = simplify_clean(pts, cls, foreign, forced)
        movable = [cls[(j - 1) % n].endswith(COAST) and cls[j].endswith(COAST) for j in kept]
        out = add_margin([pts[i] for i in kept], movable, foreign)
        index = RingIndex(out)
        grew = False
        for k in range(len(kept)):
            a, b = kept[k], kept[(k + 1) % len(kept)]
            if cls[a] != COAST:
                continue
            worst, worst_i = COAST_LOSS_KM, None
            for j in range(1, (b - a) % n):
                i = (a + j) % n
                d = index.outside_km(pts[i])
                if d > worst:
                    worst, worst_i = d, i
            if worst_i is not None:
                forced.add(worst_i)
                grew = True
        if not grew:
            return out
    raise AssertionError("outline did not settle")


# --------------------------------------------------------------------------
# test table: (name, lat, lng, expected inside mainland China)

TEST_POINTS = [
    # the pairs that matter: each point 1.5 km or more from the border
    ("Shenzhen Futian (Civic Center)", 22.5431, 114.0579, True),
    ("Hong Kong Sheung Shui", 22.5016, 114.1280, False),
    ("Hong Kong San Tin (Lok Ma Chau)", 22.4960, 114.0720, False),
    ("Shenzhen Shekou (Nanshan)", 22.5077, 113.9215, True),
    ("Shenzhen Houhai (Shenzhen Bay)", 22.5170, 113.9420, True),
    ("Hong Kong Tin Shui Wai", 22.4580, 114.0030, False),
    ("Hong Kong Yuen Long", 22.4450, 114.0220, False),
    ("Zhuhai Gongbei", 22.2350, 113.5430, True),
    ("Macau peninsula (Senado Square)", 22.1937, 113.5399, False),
    ("Zhuhai Hengqin (central Hengqin island)", 22.1110, 113.5060, True),
    ("Macau Taipa (Taipa village)", 22.1560, 113.5560, False),
    ("Macau Cotai (Venetian)", 22.1476, 113.5603, False),
    ("Xiamen island (Siming, Lianban)", 24.4900, 118.1300, True),
    ("Kinmen Jincheng", 24.4340, 118.3180, False),
    ("Kinmen Jinsha", 24.4900, 118.4130, False),
    ("Xiamen Xiang'an", 24.6180, 118.2480, True),
    ("Lesser Kinmen (Lieyu)", 24.4320, 118.2400, False),
    # neighbours
    ("Taipei", 25.0330, 121.5654, False),
    ("Seoul", 37.5665, 126.9780, False),
    ("Pyongyang", 39.0392, 125.7625, False),
    ("Hanoi", 21.0278, 105.8342, False),
    ("Delhi", 28.6139, 77.2090, False),
    ("Kathmandu", 27.7172, 85.3240, False),
    ("Ulaanbaatar", 47.8864, 106.9057, False),
    ("Vladivostok", 43.1155, 131.8855, False),
    # mainland
    ("Beijing Tiananmen", 39.9087, 116.3975, True),
    ("Shanghai People's Square", 31.2304, 121.4737, True),
    ("Urumqi", 43.8256, 87.6168, True),
    ("Lhasa", 29.6520, 91.1721, True),
    ("Harbin", 45.8038, 126.5349, True),
    ("Haikou (Hainan)", 20.0440, 110.1999, True),
    ("Sanya (Hainan)", 18.2528, 109.5119, True),
    # coast the 1:10m coastline misses (covered by the seaward margin), and
    # islands next door that the data lacks or has
    ("Shanghai Pudong airport", 31.1443, 121.8083, True),
    ("Xiamen Gaoqi airport", 24.5440, 118.1280, True),
    ("Hong Kong airport", 22.3080, 113.9185, False),
    ("Macau airport", 22.1496, 113.5915, False),
    ("Kinmen airport", 24.4300, 118.3600, False),
    ("Matsu Nangan", 26.1550, 119.9350, False),
    ("Hong Kong Tung Ping Chau", 22.5433, 114.4306, False),
]


def inside_rings(lat, lng, rings):
    for r in rings:
        x0, y0, x1, y1 = bbox(r)
        if x0 <= lng <= x1 and y0 <= lat <= y1 and point_in_ring(lng, lat, r):
            return True
    return False


# --------------------------------------------------------------------------


def fmt(v):
    s = f"{v:.{DECIMALS}f}"
    return s[1:] if s.startswith("-") and float(s) == 0.0 else s


def disc(lat, lng, radius_km, steps=12):
    _, back = km_frame((lng, lat))
    return [back((radius_km * math.cos(2 * math.pi * k / steps), radius_km * math.sin(2 * math.pi * k / steps)))
            for k in range(steps)] + [(lng, lat)]


def convex_hull(points):
    """Counter-clockwise convex hull (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def hull_ok(hull, sources, foreign):
    """A hull may stand for its islands if it takes in no foreign point and
    keeps SEPARATION_KM from foreign points (or as far as its islands are)."""
    if foreign.inside(hull):
        return False
    need = min(foreign.chain_distance(src, SEPARATION_KM) for src in sources)
    return all(foreign.seg_distance(hull[i], hull[(i + 1) % len(hull)], need) >= need - 1e-6
               for i in range(len(hull)))


def island_hulls(islands, foreign):
    """Groups islands (rings) into convex hulls: greedily merges the two
    nearest groups less than MERGE_KM apart whose joint hull passes
    hull_ok. An island whose own hull fails stays as it is."""
    groups = []
    for r in islands:
        h = convex_hull(r)
        groups.append({"members": [r], "hull": h if hull_ok(h, [r], foreign) else None})

    def gap(a, b):
        best = MERGE_KM
        for p in a["hull"]:
            for q in b["hull"]:
                best = min(best, dist_km(p, q))
        return best

    rejected = set()
    while True:
        live = [k for k, g in enumerate(groups) if g["hull"] is not None]
        pairs = []
        for x in range(len(live)):
            for y in range(x + 1, len(live)):
                a, b = live[x], live[y]
                if (id(groups[a]["hull"]), id(groups[b]["hull"])) in rejected:
                    continue
                d = gap(groups[a], groups[b])
                if d < MERGE_KM:
                    pairs.append((d, a, b))
        merged = False
        for d, a, b in sorted(pairs):
            members = groups[a]["members"] + groups[b]["members"]
            h = convex_hull([p for r in members for p in r])
            if hull_ok(h, members, foreign):
                groups[a] = {"members": members, "hull": h}
                groups[b] = None
                groups = [g for g in groups if g is not None]
                merged = True
                break
            rejected.add((id(groups[a]["hull"]), id(groups[b]["hull"])))
        if not merged:
            break
    out = []
    for g in groups:
        if g["hull"] is not None:
            out.append(g["hull"])
        else:
            out.extend(ensure_ccw(r) for r in g["members"])
    return out


def ensure_ccw(r):
    return r if signed_area(r) > 0 else r[::-1]


def build(world_atlas):
    topo, arcs = load_topology(os.path.join(world_atlas, "countries-10m.json"))
    geoms = topo["objects"]["countries"]["geometries"]
    by_id = {}
    for g in geoms:
        if g.get("id"):
            by_id.setdefault(g["id"], g)
    china = by_id[CHINA_ID]
    assert china["properties"]["name"] == "China"
    for gid, name in ((HONG_KONG_ID, "Hong Kong"), (MACAO_ID, "Macao"), (TAIWAN_ID, "Taiwan")):
        assert by_id[gid]["properties"]["name"] == name, (gid, by_id[gid]["properties"])

    # Which features use each arc: an arc China shares is a land border.
    users = {}
    for gi, g in enumerate(geoms):
        for poly in polygons_of(g):
            for ring in poly:
                for a in ring:
                    users.setdefault(a if a >= 0 else ~a, set()).add(g.get("id") or gi)

    def outer_rings(g):
        return [decode_ring(arcs, poly[0])[0] for poly in polygons_of(g)]

    hk = outer_rings(by_id[HONG_KONG_ID])
    macao = outer_rings(by_id[MACAO_ID])
    taiwan = outer_rings(by_id[TAIWAN_ID])

    def centre_in(r, box):
        x0, y0, x1, y1 = bbox(r)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    kinmen = [r for r in taiwan if centre_in(r, KINMEN_BOX)]
    assert kinmen, "no Kinmen polygon in the Taiwan feature"

    polys = []
    dropped = []
    for poly in polygons_of(china):
        assert len(poly) == 1, "China polygon with a hole"
        pts, edge_arc = decode_ring(arcs, poly[0])
        name = next((k for k, box in EXCLUDE_BOXES.items() if centre_in(pts, box)), None)
        if name:
            dropped.append(name)
            continue
        kinds = []
        for a in edge_arc:
            others = users[a] - {CHINA_ID}
            kinds.append(HKMO if others & {HONG_KONG_ID, MACAO_ID} else BORDER if others else COAST)
        if signed_area(pts) < 0:  # make it counter-clockwise
            pts = pts[::-1]
            kinds = kinds[::-1]
            kinds = kinds[1:] + kinds[:1]  # kinds[i] belongs to edge i again
        polys.append((pts, kinds))
    china_vertices = set(p for pts, _ in polys for p in pts)

    # Nothing of China may overlap Hong Kong, Macao or Taiwan.
    for other in hk + macao + taiwan:
        ob = bbox(other)
        for pts, _ in polys:
            pb = bbox(pts)
            if pb[2] < ob[0] or ob[2] < pb[0] or pb[3] < ob[1] or ob[3] < pb[1]:
                continue
            inner = [p for p in other if p not in china_vertices and point_in_ring(p[0], p[1], pts)]
            assert not inner, "a China polygon overlaps Hong Kong, Macao or Taiwan"

    foreign_pts = set()
    for g in geoms:
        if g.get("id") == CHINA_ID:
            continue
        for poly in polygons_of(g):
            for ring in poly:
                for p in decode_ring(arcs, ring)[0]:
                    if REGION[0] <= p[0] <= REGION[2] and REGION[1] <= p[1] <= REGION[3]:
                        foreign_pts.add(p)
    keep_out = []
    for _, lat, lng, radius in KEEP_OUT:
        keep_out.extend(disc(lat, lng, radius))
    foreign = Foreign(sorted((foreign_pts - china_vertices) | set(keep_out)))
    zone = Grid([p for r in hk + macao + kinmen for p in r])

    def is_protected(p):
        return zone.nearest_km(p, PROTECT_KM + 1) <= PROTECT_KM

    # The mainland: simplified by edge class, then the seaward margin.
    polys.sort(key=lambda t: (-abs(signed_area(t[0])), bbox(t[0])))
    pts, kinds = polys[0]
    cls = edge_classes(pts, kinds, [is_protected(p) for p in pts])
    outlines = [make_outline(pts, cls, foreign)]

    assert all(k == COAST for _, kinds in polys[1:] for k in kinds), "an island with a land border"
    # Islands: grouped into convex hulls where a hull takes in no foreign
    # land, then simplified one-sidedly and given the margin.
    for hull in island_hulls([p for p, _ in polys[1:]], foreign):
        prot = [is_protected(p) for p in hull]
        cls = [PROTECT + "-" + COAST if prot[i] or prot[(i + 1) % len(hull)] else COAST
               for i in range(len(hull))]
        outlines.append(make_outline(hull, cls, foreign))

    rings = []
    for outline in outlines:
        rounded = []
        for x, y in outline:
            q = (round(x, DECIMALS), round(y, DECIMALS))
            if not rounded or rounded[-1] != q:
                rounded.append(q)
        if rounded[0] == rounded[-1]:
            rounded.pop()
        assert len(rounded) >= 3
        rings.append(rounded)

    # Drop a ring wholly inside another (the other is bigger, so it stays).
    keep = []
    for k, r in enumerate(rings):
        rb = bbox(r)
        for j, o in enumerate(rings):
            if j == k:
                continue
            ob = bbox(o)
            if not (ob[0] <= rb[0] and ob[1] <= rb[1] and rb[2] <= ob[2] and rb[3] <= ob[3]):
                continue
            if all(point_in_ring(p[0], p[1], o) for p in r) and not any(
                    segments_cross(r[a], r[(a + 1) % len(r)], o[b], o[(b + 1) % len(o)])
                    for a in range(len(r)) for b in range(len(o))):
                break
        else:
            keep.append(k)
    rings = [rings[0]] + sorted((rings[k] for k in keep if k), key=lambda r: (bbox(r), len(r)))
    return rings, dropped, foreign, polys, is_protected


def check(rings, polys, foreign, is_protected):
    """Returns (problems, stats); stats maps a kind of source vertex to
    (vertices, how many are outside, farthest outside in km)."""
    problems = []
    # Land borders with Hong Kong and Macao are kept vertex for vertex.
    ring_pts = set(rings[0])
    for pts, kinds in polys:
        for i, p in enumerate(pts):
            if (kinds[i] == HKMO or kinds[i - 1] == HKMO) and \
                    (round(p[0], DECIMALS), round(p[1], DECIMALS)) not in ring_pts:
                problems.append(("Hong Kong/Macao border vertex lost", p))
    for r in rings:
        bad = self_intersections(r)
        if bad:
            problems.append(("self-intersection", bbox(r), bad[:3]))
    # No foreign point inside, except near a land border.
    border_pts = Grid([p for pts, kinds in polys for i, p in enumerate(pts)
                       if kinds[i] != COAST or kinds[i - 1] != COAST])
    for r in rings:
        for p in foreign.inside(r):
            if border_pts.nearest_km(p, BORDER_TOL_KM + 0.5) > BORDER_TOL_KM + 0.4:
                problems.append(("foreign point inside", p))
    # Every source vertex inside, or within its tolerance of the outline.
    edges = []
    for r in rings:
        edges.extend((r[i], r[(i + 1) % len(r)]) for i in range(len(r)))
    egrid = {}
    for a, b in edges:
        for cx in range(math.floor(min(a[0], b[0]) * 10), math.floor(max(a[0], b[0]) * 10) + 1):
            for cy in range(math.floor(min(a[1], b[1]) * 10), math.floor(max(a[1], b[1]) * 10) + 1):
                egrid.setdefault((cx, cy), []).append((a, b))
    stats = {}
    for pts, kinds in polys:
        for i, p in enumerate(pts):
            k = {kinds[i], kinds[i - 1]}
            kind = HKMO if HKMO in k else BORDER if BORDER in k else \
                PROTECT + "-" + COAST if is_protected(p) else COAST
            st = stats.setdefault(kind, [0, 0, 0.0])
            st[0] += 1
            if inside_rings(p[1], p[0], rings):
                continue
            tol = {HKMO: 0.01, BORDER: BORDER_TOL_KM, PROTECT + "-" + COAST: PROTECT_TOL_KM}.get(
                kind, COAST_LOSS_KM)
            cx, cy = math.floor(p[0] * 10), math.floor(p[1] * 10)
            cand = [e for dx in (-1, 0, 1) for dy in (-1, 0, 1) for e in egrid.get((cx + dx, cy + dy), ())]
            d = min((seg_dist_km(p, a, b) for a, b in cand), default=99.0)
            st[1] += 1
            st[2] = max(st[2], d)
            if d > tol + 0.05:
                problems.append(("source vertex outside", kind, p, round(d, 3)))
    return problems, stats


def write_inc(path, rings):
    total = sum(len(r) for r in rings)
    lines = [
        "// Generated by tools/gcj02/make_mainland.py -- do not edit by hand; rerun the",
        "// script instead (see its docstring).",
        "//",
        "// Mainland China, where GCJ-02 applies, from Natural Earth 1:10m Admin 0",
        "// Countries (v4.1.0, public domain) as packaged by world-atlas 2.0.2 (ISC):",
        "// the feature China, i.e. without Hong Kong, Macao, Taiwan, Kinmen and Matsu.",
        "// Land borders with Hong Kong and Macao keep every source vertex; within",
        f"// {PROTECT_KM:g} km of Hong Kong, Macao and Kinmen no land is cut off by more than {PROTECT_TOL_KM:g} km.",
        f"// Other land borders are simplified to {BORDER_TOL_KM:g} km. Coasts reach up to",
        f"// {MARGIN_KM:g} km out to sea (never nearer than {SEPARATION_KM:g} km or half-way to another",
        f"// country's land) to cover ports and reclaimed land, and lose at most {COAST_LOSS_KM:g} km.",
        "//",
        "// Each ring is open (the edge from its last point back to its first is",
        "// implied), counter-clockwise, points {longitude, latitude} in WGS-84",
        "// degrees. A point is in mainland China if it is inside any ring by the",
        "// even-odd rule. No ring intersects itself or has holes; rings may overlap.",
        "// Include at namespace scope (the arrays must have static storage).",
        f"// {len(rings)} rings, {total} points.",
        "",
        "struct MainlandRing {",
        "    const double (*points)[2];",
        "    int count;",
        "    double minLng, minLat, maxLng, maxLat;",
        "};",
        "",
    ]
    for k, r in enumerate(rings):
        lines.append(f"constexpr double kMainlandRing{k}[][2] = {{")
        row = []
        for x, y in r:
            row.append(f"{{{fmt(x)}, {fmt(y)}}}")
            if len(row) == 4:
                lines.append("    " + ", ".join(row) + ",")
                row = []
        if row:
            lines.append("    " + ", ".join(row) + ",")
        lines.append("};")
        lines.append("")
    lines.append("constexpr MainlandRing kMainlandRings[] = {")
    for k, r in enumerate(rings):
        x0, y0, x1, y1 = bbox(r)
        lines.append(f"    {{kMainlandRing{k}, {len(r)}, {fmt(x0)}, {fmt(y0)}, {fmt(x1)}, {fmt(y1)}}},")
    lines.append("};")
    lines.append("")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world-atlas", required=True, help="the unpacked world-atlas@2.0.2 package")
    ap.add_argument("--output", required=True, help="the .inc file to write")
    ap.add_argument("--check", action="store_true", help="also run the table of test points")
    args = ap.parse_args()

    rings, dropped, foreign, polys, is_protected = build(args.world_atlas)
    problems, stats = check(rings, polys, foreign, is_protected)
    for p in problems[:20]:
        print("problem:", p, file=sys.stderr)
    if problems:
        return 2
    total = write_inc(args.output, rings)
    print(f"{len(rings)} rings, {total} points; China polygons dropped: {', '.join(dropped) or 'none'}")
    for kind, (count, outside, far) in sorted(stats.items()):
        print(f"  source vertices on {kind}: {count}, outside the result: {outside}, farthest {far:.2f} km")
    if args.check:
        failed = 0
        for name, lat, lng, want in TEST_POINTS:
            got = inside_rings(lat, lng, rings)
            failed += got != want
            print(f"{'ok  ' if got == want else 'FAIL'} {name:40s} {lat:8.4f} {lng:9.4f} "
                  f"want {want!s:5s} got {got}")
        print(f"{len(TEST_POINTS) - failed} passed, {failed} failed")
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
