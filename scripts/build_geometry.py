"""Rebuild clubess/data/geometry-<region>.json, the map's shapes, from the IGN boundaries (maintainers only).

Source: `../shared/data/geo/` (IGN Admin Express COG 2018, Licence Ouverte, read its SOURCE.md): the region's
communes as GeoJSON in WGS84. Steps:

1. each 2018 commune code is mapped to today's commune (`clubess/data/territories-<region>.json`) through the
   `anciensCodes` of `@etalab/decoupage-administratif` (node_modules/): a commune nouvelle is the union of its
   former communes; a code that maps to no current commune is reported and left out;
2. the communes are projected to a plane (equirectangular, longitudes shrunk by cos of the mean latitude, which
   is within 1 % over a region this size), scaled to a viewBox WIDTH units wide;
3. the communes are simplified together as one polygonal coverage (GEOS' coverage simplifier: neighbours keep
   one shared border, so the map shows no gap nor overlap);
4. départements, EPTs, EPCIs, the Métropole and the région are dissolved from their communes (so all shapes fit
   together), following the hierarchy of the territories file: a coverage union, which only drops the shared
   borders, so a grouping's border is made of its communes' own vertices;
5. every shape is written as an SVG path (absolute start, then relative `l` commands) with its box, its
   vertices rounded to integers: a vertex two shapes share rounds alike in both, so they still fit together
   (a rounded ring may touch itself at a point, which SVG draws just as well).

Needs shapely (requirements-dev.txt); the app never imports it, it only reads the JSON this writes.
Usage: `python scripts/build_geometry.py [--region 11] [--source ../shared/data/geo] [--tolerance 1.0]`.
"""

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data" / "communes.json"
WIDTH = 1000
MARGIN = 4
ATTRIBUTION = "Contours : IGN Admin Express COG 2018, Licence Ouverte"
GROUPING_KINDS = ("ept", "epci", "metropole")


def current_code_of(codes_2018: set[str], current: set[str]) -> dict[str, str]:
    """2018 code -> today's commune code, through the official list's former codes."""
    formerly: dict[str, str] = {}
    for commune in json.loads(OFFICIAL.read_text(encoding="utf-8")):
        if commune.get("type") == "commune-actuelle" and commune["code"] in current:
            for old in commune.get("anciensCodes", []):
                formerly[old] = commune["code"]
    return {code: code if code in current else formerly.get(code, "") for code in codes_2018}


def project(geometries: list) -> tuple[list, int]:
    """Equirectangular projection scaled to WIDTH (+ margins); returns the geometries and the height."""
    bounds = shapely.total_bounds(geometries)
    lon0, lat0, lon1, lat1 = bounds
    shrink = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((lon1 - lon0) * shrink)

    def to_plane(coords: np.ndarray) -> np.ndarray:
        x = (coords[:, 0] - lon0) * shrink * scale + MARGIN
        y = (lat1 - coords[:, 1]) * scale + MARGIN
        return np.column_stack([x, y])

    height = math.ceil((lat1 - lat0) * scale + 2 * MARGIN)
    return [shapely.transform(g, to_plane) for g in geometries], height


def ring_path(coords) -> str:
    """`M x y l dx dy dx dy…z` with the fewest characters (a minus sign separates numbers)."""
    points = [(int(round(x)), int(round(y))) for x, y in coords]
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    out = [f"M{points[0][0]} {points[0][1]}l"]
    previous = points[0]
    first = True
    for x, y in points[1:]:
        dx, dy = x - previous[0], y - previous[1]
        if dx == 0 and dy == 0:
            continue
        out.append(f"{dx}" if first or dx < 0 else f" {dx}")
        out.append(f"{dy}" if dy < 0 else f" {dy}")
        previous = (x, y)
        first = False
    return "".join(out) + "z"


def path_of(geometry) -> str:
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty:
            continue
        parts.append(ring_path(polygon.exterior.coords))
        parts.extend(ring_path(hole.coords) for hole in polygon.interiors)
    return "".join(parts)


def box_of(geometry) -> list[int]:
    x0, y0, x1, y1 = geometry.bounds
    return [math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)]


def build(region: str, source: Path, tolerance: float) -> tuple[dict, list[str]]:
    territories = json.loads((ROOT / "clubess" / "data" / f"territories-{region}.json").read_text(encoding="utf-8"))
    rows = territories["territories"]
    current = {t["code"] for t in rows if t["kind"] == "commune"}
    features = json.loads((source / "communes-ile-de-france.geojson").read_text(encoding="utf-8"))["features"]
    mapping = current_code_of({f["properties"]["code"] for f in features}, current)
    report = [f"2018 code {old} -> {new}" for old, new in sorted(mapping.items()) if old != new and new]
    report += [f"2018 code {old}: no current commune, left out" for old, new in sorted(mapping.items()) if not new]

    raw = [shapely.geometry.shape(f["geometry"]) for f in features]
    projected, height = project(raw)
    parts: dict[str, list] = defaultdict(list)
    for feature, geometry in zip(features, projected, strict=True):
        if mapping[feature["properties"]["code"]]:
            parts[mapping[feature["properties"]["code"]]].append(shapely.make_valid(geometry))
    codes = sorted(parts)
    communes = [shapely.union_all(parts[code]) for code in codes]
    if not shapely.coverage_is_valid(communes):
        report.append("the communes overlap or leave gaps: check the source")
    simplified = shapely.coverage_simplify(communes, tolerance)
    commune_shapes = dict(zip(codes, simplified, strict=True))
    report += [f"commune {code}: no shape" for code in sorted(current - set(commune_shapes))]
    report += [f"commune {code}: empty after simplification" for code, g in commune_shapes.items() if g.is_empty]

    by_code = {t["code"]: t for t in rows}
    members: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        commune = by_code.get(code)
        if commune is None:
            continue
        members[commune["department_code"]].append(code)
        members[region].append(code)
        grouping, seen = commune.get("parent_code"), set()
        while grouping and grouping not in seen:  # the EPT or EPCI, then the Métropole
            seen.add(grouping)
            members[grouping].append(code)
            grouping = by_code.get(grouping, {}).get("parent_code")

    # what each territory lies in (départements, EPT or EPCI, Métropole), for roll-ups and the situation maps
    up: dict[str, set[str]] = defaultdict(set)
    for container, inside_codes in members.items():
        for code in inside_codes:
            if container != region:
                up[code].add(container)
    for row in rows:
        if row["kind"] in ("ept", "epci"):  # in each département it has a commune in; the Métropole in none
            for code in members.get(row["code"], ()):
                up[row["code"]] |= {c for c in up[code] if by_code[c]["kind"] == "departement"}
            if row.get("parent_code"):
                up[row["code"]].add(row["parent_code"])

    def entry(code: str, geometry) -> dict:
        row = by_code[code]
        return {"name": row["name"], "up": sorted(up[code]), "d": path_of(geometry), "box": box_of(geometry)}

    shapes: dict[str, dict[str, dict]] = defaultdict(dict)
    for code, geometry in commune_shapes.items():
        shapes["commune"][code] = entry(code, geometry)
    for row in rows:
        if row["kind"] == "commune":
            continue
        inside = [commune_shapes[c] for c in members.get(row["code"], ()) if c in commune_shapes]
        if not inside:
            report.append(f"{row['kind']} {row['code']}: no commune shape to dissolve")
            continue
        geometry = shapely.coverage_union_all(inside)
        shapes[row["kind"]][row["code"]] = entry(row["code"], geometry)
    data = {
        "region": region,
        "attribution": ATTRIBUTION,
        "source": "IGN Admin Express COG 2018 (via gregoiredavid/france-geojson), Licence Ouverte / Open Licence "
        f"(Etalab); codes mapped to {territories['source']}",
        "projection": "equirectangular, longitude scaled by cos(mean latitude), y down, integer units",
        "width": WIDTH,
        "height": height,
        "remapped": {old: new for old, new in sorted(mapping.items()) if old != new},
        "shapes": {kind: dict(sorted(v.items())) for kind, v in sorted(shapes.items())},
    }
    return data, report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="11")
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "geo")
    parser.add_argument("--tolerance", type=float, default=1.0, help="simplification, in viewBox units")
    args = parser.parse_args()
    if not args.source.is_dir():
        sys.exit(f"No geometry source at {args.source} (see its SOURCE.md)")
    data, report = build(args.region, args.source, args.tolerance)
    out = ROOT / "clubess" / "data" / f"geometry-{args.region}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    for line in report:
        print(line)
    counts = {kind: len(v) for kind, v in data["shapes"].items()}
    print(f"{out.relative_to(ROOT)}: {counts}, {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
