"""The map's shapes: `clubess/data/geometry-<region>.json` (built by scripts/build_geometry.py), read once per
process.

Every territory of the region has a shape, keyed by its code: the communes as drawn by IGN (simplified
together, so neighbours share their borders), the départements, EPTs, EPCIs, the Métropole and the région
dissolved from their communes. Each shape carries its name and the codes of what it lies in (`up`: its
départements, its EPT or EPCI, the Métropole), taken from the shipped territory file, so the map needs no
query to draw or to roll figures up.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: a map's levels: which shapes it is drawn with
COMMUNE = "commune"
EPCI = "epci"
DEPARTEMENT = "departement"
LEVELS = (COMMUNE, EPCI, DEPARTEMENT)


@dataclass(frozen=True)
class Shape:
    code: str
    kind: str
    name: str
    #: an SVG path in the map's viewBox (integers, relative commands)
    d: str
    #: x0, y0, x1, y1
    box: tuple[int, int, int, int]
    #: the codes of the territories it lies in (départements, EPT or EPCI, Métropole)
    up: tuple[str, ...] = ()


@dataclass
class Geometry:
    region: str
    width: int
    height: int
    attribution: str
    source: str
    #: kind -> code -> shape
    shapes: dict[str, dict[str, Shape]]
    by_code: dict[str, Shape] = field(default_factory=dict)
    #: level -> the codes of its shapes, drawn in that order
    levels: dict[str, list[str]] = field(default_factory=dict)
    #: level -> territory code -> the level's shapes it counts in (itself, or the shapes it lies in)
    rollup: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def shape(self, code: str) -> Shape | None:
        return self.by_code.get(code)


def _levels(shapes: dict[str, dict[str, Shape]]) -> dict[str, list[str]]:
    communes = shapes.get("commune", {})
    groupings = [*shapes.get("ept", {}), *shapes.get("epci", {})]
    # a commune in no EPT nor EPCI (Paris) stands for itself among the groupings
    grouped = set(groupings)
    alone = [c for c, s in communes.items() if not grouped.intersection(s.up)]
    return {COMMUNE: list(communes), EPCI: groupings + alone, DEPARTEMENT: list(shapes.get("departement", {}))}


def _rollup(levels: dict[str, list[str]], by_code: dict[str, Shape]) -> dict[str, dict[str, tuple[str, ...]]]:
    """A figure attached to a territory counts for the level's shape it is, or the ones it lies in (an EPT
    spanning two départements counts in both)."""
    rollup = {}
    for level, codes in levels.items():
        drawn = set(codes)
        rollup[level] = {
            code: (code,) if code in drawn else tuple(c for c in shape.up if c in drawn)
            for code, shape in by_code.items()
        }
    return rollup


def parse(data: dict) -> Geometry:
    shapes = {
        kind: {
            code: Shape(code, kind, row["name"], row["d"], tuple(row["box"]), tuple(row.get("up", ())))
            for code, row in rows.items()
        }
        for kind, rows in data["shapes"].items()
    }
    by_code = {code: shape for rows in shapes.values() for code, shape in rows.items()}
    levels = _levels(shapes)
    return Geometry(
        region=data["region"],
        width=data["width"],
        height=data["height"],
        attribution=data["attribution"],
        source=data["source"],
        shapes=shapes,
        by_code=by_code,
        levels=levels,
        rollup=_rollup(levels, by_code),
    )


def data_file(region: str) -> Path:
    return DATA_DIR / f"geometry-{region}.json"


@cache
def load(region: str = "11") -> Geometry | None:
    """The region's geometry (read once per process); None when the region has no packaged geometry."""
    path = data_file(region)
    if not path.is_file():
        return None
    return parse(json.loads(path.read_text(encoding="utf-8")))
