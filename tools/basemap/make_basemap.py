#!/usr/bin/env python3
"""Builds FleetDesk's embedded offline basemap (resources/basemap/naturalearth.bin).

Run by hand, never at build time. Python 3 standard library only. Inputs (all
Natural Earth, public domain; see resources/README.md for where to get them):

  --world-atlas DIR   the unpacked npm package world-atlas@2.0.2 (TopoJSON):
                      land-110m.json, land-50m.json, countries-110m.json,
                      countries-50m.json
  --cities PATH       naturalearth_cities.shp from Debian's python3-geopandas
                      0.12.2 (its .dbf next to it)
  --output FILE       the basemap file to write

File format, version 1 (all integers little-endian, sections 4-byte aligned;
the reader is ui/map/offlinebasemap.cpp, which checks every rule below):

  header   char[4] "FDBM", u16 version (1), u16 reserved (0), u32 file size,
           u32 CRC-32 (zlib) of everything after this field, u32 section count
  table    per section: u32 kind, u32 level of detail, u32 offset, u32 size
  kinds    1 land polygons, 2 coastlines, 3 country borders, 4 cities
  LOD      0 = Natural Earth 1:110m (low zoom), 1 = 1:50m (higher zoom)

  geometry section (kinds 1-3):
           u32 feature count, u32 part count, u32 point count
           features: u32 minX, minY, maxX, maxY (bounding box), u32 part count
           parts:    u32 point count (polygon rings >= 3, lines >= 2)
           points:   u32 x, u32 y
           A land feature is one polygon: its first ring is the outline, the
           rest are holes (filled even-odd). A line feature is one polyline.
  cities section (kind 4, LOD 0):
           u32 city count, u32 name bytes
           cities: u32 x, u32 y, u32 name offset, u16 name length, u8 rank,
                   u8 reserved (0); most prominent first (rank 1, 2, 3)
           names:  UTF-8

Coordinates are pre-projected to the normalised Web Mercator plane of
ui/map/geomath.h (x 0..1 from 180 W, y 0..1 from 85.0511 N) as fixed point:
value = round(world * 2^31), so 0 <= value <= 2^31. world-atlas keeps
features whole across 180 degrees (Russia, Fiji, Antarctica round the pole);
they are cut at the antimeridian here, rings round a pole closed along it.
"""

import argparse
import json
import math
import os
import struct
import sys
import zlib

MAGIC = b"FDBM"
VERSION = 1
KIND_LAND, KIND_COAST, KIND_BORDER, KIND_CITIES = 1, 2, 3, 4
LOD_110M, LOD_50M = 0, 1
FIXED_ONE = 1 << 31
MAX_LATITUDE = 85.0511287798066
# Lines are cut into pieces of at most this many points so that a tile only
# touches the pieces its bounding box meets.
MAX_LINE_POINTS = 128
# Ranks by position in the cities file (see rank_of()).
RANK1_COUNT = 40
RANK2_COUNT = 80
# The Debian copy of the cities .dbf is ISO-8859-1 and lost these letters.
NAME_FIXES = {
    "Chi?in?u": "Chișinău",
    "?saka": "Ōsaka",
}


def fail(message):
    sys.exit("make_basemap: " + message)


def project(lng, lat):
    """Degrees to fixed-point normalised Web Mercator (geomath.h project())."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    s = math.sin(math.radians(lat))
    x = (lng + 180.0) / 360.0
    y = 0.5 - math.log((1.0 + s) / (1.0 - s)) / (4.0 * math.pi)
    fx = int(round(min(max(x, 0.0), 1.0) * FIXED_ONE))
    fy = int(round(min(max(y, 0.0), 1.0) * FIXED_ONE))
    return fx, fy


# --- TopoJSON ---------------------------------------------------------------

def load_topology(path):
    try:
        with open(path, encoding="utf-8") as f:
            topo = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path}: {e}")
    if topo.get("type") != "Topology" or not isinstance(topo.get("arcs"), list):
        fail(f"{path} is not a TopoJSON topology")
    return topo


def decode_arcs(topo):
    """Arcs as lists of (lng, lat), undoing quantisation and delta encoding."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        points = []
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            qx = qy = 0
            for p in arc:
                qx += p[0]
                qy += p[1]
                points.append((qx * sx + tx, qy * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def arc_points(arcs, index):
    return arcs[index] if index >= 0 else list(reversed(arcs[~index]))


def ring_points(arcs, ring):
    """A ring (list of arc indices) as one closed list of (lng, lat)."""
    points = []
    for i, index in enumerate(ring):
        part = arc_points(arcs, index)
        points.extend(part if i == 0 else part[1:])
    return points


def polygons(geometry):
    """Every polygon (a list of rings of arc indices) of a geometry object."""
    kind = geometry.get("type")
    if kind == "Polygon":
        yield geometry["arcs"]
    elif kind == "MultiPolygon":
        yield from geometry["arcs"]
    elif kind == "GeometryCollection":
        for g in geometry["geometries"]:
            yield from polygons(g)
    elif kind is not None:
        fail(f"unexpected geometry type {kind}")


def geometries(topo, name):
    obj = topo["objects"].get(name)
    if obj is None:
        fail(f"topology has no object '{name}'")
    return obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]


# --- geometry helpers -------------------------------------------------------

def is_artificial(a, b):
    """A segment that is a cut of the data, not a coast: along the antimeridian
    or squashed onto the Mercator edge near the poles."""
    (lng1, lat1), (lng2, lat2) = a, b
    if abs(lng1) >= 179.999 and abs(lng2) >= 179.999 and (lng1 > 0) == (lng2 > 0):
        return True
    return (lat1 <= -MAX_LATITUDE and lat2 <= -MAX_LATITUDE) or (lat1 >= MAX_LATITUDE and lat2 >= MAX_LATITUDE)


def crosses_antimeridian(a, b):
    return abs(b[0] - a[0]) > 180.0


def cut_antimeridian(points):
    """world-atlas stitches features across 180 degrees (a ring may step from
    179.9 to -179.9); the plane needs them cut there. Returns runs of points
    that stay within -180..180."""
    runs = [[points[0]]]
    for a, b in zip(points, points[1:]):
        if crosses_antimeridian(a, b):
            edge = 180.0 if a[0] > 0 else -180.0
            b_lng = b[0] + (360.0 if edge > 0 else -360.0)
            t = (edge - a[0]) / (b_lng - a[0]) if b_lng != a[0] else 0.0
            lat = a[1] + (b[1] - a[1]) * t
            runs[-1].append((edge, lat))
            runs.append([(-edge, lat), b])
        else:
            runs[-1].append(b)
    return runs


def unwrap(points):
    """Longitudes made continuous (steps over 180 degrees undone); also
    returns how far the end moved round the globe: +-360 for a ring round a pole."""
    out, offset = [points[0]], 0.0
    for a, b in zip(points, points[1:]):
        if b[0] - a[0] > 180.0:
            offset -= 360.0
        elif b[0] - a[0] < -180.0:
            offset += 360.0
        out.append((b[0] + offset, b[1]))
    return out, offset


def clip_longitude(ring, lo, hi):
    """Sutherland-Hodgman of a closed (lng, lat) ring against lo <= lng <= hi."""
    for bound, keep in ((lo, lambda lng: lng >= lo), (hi, lambda lng: lng <= hi)):
        if not ring:
            return ring
        out = []
        prev = ring[-1]
        for cur in ring:
            if keep(cur[0]) != keep(prev[0]):
                t = (bound - prev[0]) / (cur[0] - prev[0])
                out.append((bound, prev[1] + (cur[1] - prev[1]) * t))
            if keep(cur[0]):
                out.append(cur)
            prev = cur
        ring = out
    return ring


def planar_rings(points):
    """A closed spherical ring as rings of the -180..180 plane: unwrapped, a
    ring round a pole closed along that pole, then cut into the copies that
    fall within -180..180."""
    ring, offset = unwrap(points)
    if offset:
        pole = -90.0 if sum(lat for _, lat in ring) < 0 else 90.0
        ring = ring + [(ring[-1][0], pole), (ring[0][0], pole)]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    pieces = {}
    for shift in (-360.0, 0.0, 360.0):
        clipped = clip_longitude([(lng + shift, lat) for lng, lat in ring], -180.0, 180.0)
        if len(clipped) >= 3:
            pieces[shift] = clipped
    return pieces


def dedupe(points):
    out = []
    for p in points:
        if not out or out[-1] != p:
            out.append(p)
    return out


def area(ring):
    return 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])))


def split_lines(points):
    """(lng, lat) polyline -> projected pieces without artificial segments,
    each at most MAX_LINE_POINTS long (neighbouring pieces share a point)."""
    runs = []
    for part in cut_antimeridian(points):
        run = []
        for a, b in zip(part, part[1:]):
            if is_artificial(a, b):
                if len(run) >= 2:
                    runs.append(run)
                run = []
                continue
            if not run:
                run.append(a)
            run.append(b)
        if len(run) >= 2:
            runs.append(run)
    pieces = []
    for run in runs:
        projected = dedupe([project(lng, lat) for lng, lat in run])
        if len(projected) < 2:
            continue
        step = MAX_LINE_POINTS - 1
        for start in range(0, len(projected) - 1, step):
            piece = projected[start:start + MAX_LINE_POINTS]
            if len(piece) >= 2:
                pieces.append([piece])
    return pieces


def project_ring(points):
    ring = dedupe([project(lng, lat) for lng, lat in points])
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    # Rings squashed onto the Mercator edge (round the pole) enclose nothing.
    if len(ring) < 3 or area(ring) < 1.0:
        return None
    return ring


# --- layers -----------------------------------------------------------------

def land_and_coast(topo):
    arcs = decode_arcs(topo)
    land, coast = [], []
    for geometry in geometries(topo, "land"):
        for polygon in polygons(geometry):
            # One feature per copy of the polygon within -180..180: a polygon
            # across the antimeridian becomes an east and a west feature.
            copies = {}
            for i, ring in enumerate(polygon):
                lnglat = ring_points(arcs, ring)
                coast.extend(split_lines(lnglat))
                for shift, piece in planar_rings(lnglat).items():
                    projected = project_ring(piece)
                    if projected is None:
                        continue
                    if i == 0:
                        copies[shift] = [projected]
                    elif shift in copies:
                        copies[shift].append(projected)
            land.extend(copies[shift] for shift in sorted(copies))
    return land, coast


def borders(topo):
    """Arcs that two different countries share."""
    arcs = decode_arcs(topo)
    users = {}
    for country, geometry in enumerate(geometries(topo, "countries")):
        used = set()
        for polygon in polygons(geometry):
            for ring in polygon:
                for index in ring:
                    used.add(index if index >= 0 else ~index)
        for index in used:
            users.setdefault(index, set()).add(country)
    lines = []
    for index in sorted(users):
        if len(users[index]) >= 2:
            lines.extend(split_lines(arcs[index]))
    return lines


# --- cities (ESRI shapefile + dBASE) ----------------------------------------

def read_points_shp(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e}")
    if len(data) < 100 or struct.unpack(">i", data[0:4])[0] != 9994:
        fail(f"{path} is not an ESRI shapefile")
    if struct.unpack("<i", data[32:36])[0] != 1:
        fail(f"{path} does not hold points")
    points, pos = [], 100
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        content = data[pos + 8:pos + 8 + words * 2]
        if len(content) != words * 2:
            fail(f"{path}: truncated record at byte {pos}")
        shape = struct.unpack("<i", content[0:4])[0]
        if shape != 1 or len(content) < 20:
            fail(f"{path}: record at byte {pos} is not a point")
        points.append(struct.unpack("<dd", content[4:20]))
        pos += 8 + words * 2
    return points


def read_dbf_column(path, column, encoding):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e}")
    if len(data) < 32:
        fail(f"{path} is not a dBASE file")
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, pos, offset = {}, 32, 1  # each record starts with a deletion flag
    while pos < header_len and data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        length = data[pos + 16]
        fields[name] = (offset, length)
        offset += length
        pos += 32
    if column not in fields:
        fail(f"{path} has no column '{column}'")
    start, length = fields[column]
    values = []
    for i in range(count):
        record = data[header_len + i * record_len:header_len + (i + 1) * record_len]
        if len(record) != record_len:
            fail(f"{path}: truncated record {i}")
        if record[0:1] == b"*":
            values.append(None)
            continue
        values.append(record[start:start + length].decode(encoding).strip())
    return values


def rank_of(position_from_end):
    """The Natural Earth cities come small places first (Vatican City) and
    the world cities last (Hong Kong); the file keeps no population, so the
    position is the rank."""
    if position_from_end < RANK1_COUNT:
        return 1
    if position_from_end < RANK1_COUNT + RANK2_COUNT:
        return 2
    return 3


def cities(shp_path):
    base = os.path.splitext(shp_path)[0]
    encoding = "latin-1"
    if os.path.exists(base + ".cpg"):
        with open(base + ".cpg", encoding="ascii") as f:
            encoding = {"ISO-8859-1": "latin-1", "UTF-8": "utf-8"}.get(f.read().strip().upper(), "latin-1")
    points = read_points_shp(shp_path)
    names = read_dbf_column(base + ".dbf", "name", encoding)
    if len(points) != len(names):
        fail(f"{shp_path}: {len(points)} points but {len(names)} names")
    out = []
    # Most prominent first: the renderer places labels in this order.
    for from_end, ((lng, lat), name) in enumerate(reversed(list(zip(points, names)))):
        if name is None:
            continue
        name = " ".join(NAME_FIXES.get(name, name).split())
        if "?" in name:
            fail(f"city name '{name}' lost letters to the file's encoding; add it to NAME_FIXES")
        x, y = project(lng, lat)
        out.append((rank_of(from_end), x, y, name))
    return out


# --- writing ----------------------------------------------------------------

def bbox(parts):
    xs = [x for part in parts for x, _ in part]
    ys = [y for part in parts for _, y in part]
    return min(xs), min(ys), max(xs), max(ys)


def geometry_section(features):
    parts = [part for feature in features for part in feature]
    header = struct.pack("<III", len(features), len(parts), sum(len(p) for p in parts))
    table = b"".join(struct.pack("<IIIII", *bbox(f), len(f)) for f in features)
    counts = b"".join(struct.pack("<I", len(p)) for p in parts)
    points = b"".join(struct.pack("<II", x, y) for part in parts for x, y in part)
    return header + table + counts + points


def cities_section(places):
    names, table = b"", b""
    for rank, x, y, name in places:
        encoded = name.encode("utf-8")
        if len(encoded) > 0xFFFF:
            fail(f"city name too long: {name}")
        table += struct.pack("<IIIHBB", x, y, len(names), len(encoded), rank, 0)
        names += encoded
    return struct.pack("<II", len(places), len(names)) + table + names


def write_basemap(path, sections):
    directory_size = 16 * len(sections)
    offset = 20 + directory_size
    entries, body = [], b""
    for kind, lod, payload in sections:
        payload += b"\0" * (-len(payload) % 4)
        entries.append(struct.pack("<IIII", kind, lod, offset + len(body), len(payload)))
        body += payload
    size = 20 + directory_size + len(body)
    after_crc = struct.pack("<I", len(sections)) + b"".join(entries) + body
    data = MAGIC + struct.pack("<HHII", VERSION, 0, size, zlib.crc32(after_crc)) + after_crc
    assert len(data) == size
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world-atlas", required=True, help="unpacked world-atlas@2.0.2 package")
    parser.add_argument("--cities", required=True, help="naturalearth_cities.shp (python3-geopandas)")
    parser.add_argument("--output", required=True, help="basemap file to write")
    args = parser.parse_args()

    sections = []
    summary = []
    for lod, scale in ((LOD_110M, "110m"), (LOD_50M, "50m")):
        land, coast = land_and_coast(load_topology(os.path.join(args.world_atlas, f"land-{scale}.json")))
        border = borders(load_topology(os.path.join(args.world_atlas, f"countries-{scale}.json")))
        for kind, features in ((KIND_LAND, land), (KIND_COAST, coast), (KIND_BORDER, border)):
            sections.append((kind, lod, geometry_section(features)))
        summary.append(f"{scale}: {len(land)} land polygons "
                       f"({sum(len(r) for p in land for r in p)} points), "
                       f"{len(coast)} coastline pieces, {len(border)} border pieces")
    places = cities(args.cities)
    sections.append((KIND_CITIES, LOD_110M, cities_section(places)))
    size = write_basemap(args.output, sections)
    for line in summary:
        print(line)
    print(f"{len(places)} cities; wrote {args.output}: {size} bytes")


if __name__ == "__main__":
    main()
