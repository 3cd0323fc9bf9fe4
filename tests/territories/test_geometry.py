"""The packaged geometry (clubess/data/geometry-11.json): every territory has a shape, and they fit together."""

import json
import re

from clubess.members.territories import data_file
from clubess.territories import geometry

GEO = geometry.load("11")
TERRITORIES = json.loads(data_file("11").read_text(encoding="utf-8"))["territories"]


def vertices(d: str) -> set[tuple[int, int]]:
    """The absolute vertices of a path written as `M x y l dx dy … z` rings."""
    points = set()
    for ring in re.findall(r"M[^M]*", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = numbers[0], numbers[1]
        points.add((x, y))
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            points.add((x, y))
    return points


def test_every_current_commune_and_territory_has_a_shape():
    for kind in ("commune", "departement", "ept", "epci", "metropole", "region"):
        codes = {t["code"] for t in TERRITORIES if t["kind"] == kind}
        assert codes == set(GEO.shapes[kind]), kind
    assert len(GEO.shapes["commune"]) == 1266
    assert len(GEO.shapes["ept"]) == 11
    assert all(shape.d.startswith("M") and shape.d.endswith("z") for shape in GEO.by_code.values())


def test_2018_codes_are_mapped_to_todays_communes():
    data = json.loads(geometry.data_file("11").read_text(encoding="utf-8"))
    assert data["remapped"]["93059"] == "93066"  # Pierrefitte-sur-Seine, now in Saint-Denis
    assert data["remapped"]["78251"] == "78551"  # Fourqueux, now in Saint-Germain-en-Laye
    assert len(data["remapped"]) == 10
    assert GEO.attribution == "Contours : IGN Admin Express COG 2018, Licence Ouverte"


def test_dissolved_shapes_are_drawn_with_their_communes_vertices():
    """A grouping's border is made of its communes' own vertices: the shapes fit together, no gap."""
    for code in ["93", "77", "200057875", "200058014", "200054781", "11"]:
        shape = GEO.by_code[code]
        inside = [s for s in GEO.shapes["commune"].values() if code in s.up or code == GEO.region]
        commune_vertices = set().union(*(vertices(s.d) for s in inside))
        assert vertices(shape.d) <= commune_vertices, shape.name


def test_what_each_shape_lies_in():
    assert set(GEO.by_code["93048"].up) == {"93", "200057875", "200054781"}  # Montreuil, Est Ensemble
    assert set(GEO.by_code["200058014"].up) == {"91", "94", "200054781"}  # Grand-Orly Seine Bièvre
    assert set(GEO.by_code["200057990"].up) == {"92", "95", "200054781"}  # Boucle Nord de Seine
    assert GEO.by_code["200054781"].up == ()  # the Métropole lies in no département
    assert GEO.rollup[geometry.EPCI]["75056"] == ("75056",)  # Paris stands alone among the groupings
    assert GEO.rollup[geometry.DEPARTEMENT]["200058014"] == ("91", "94")
