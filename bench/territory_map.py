"""Territory map: how long the region's map takes to draw (cold) and to serve once cached (warm), and its size.

Usage: `.venv/bin/python bench/territory_map.py [--runs 40] [--database-url postgresql+psycopg://…]`
(SQLite in a scratch folder by default; a given database is emptied first). Loads the region's 1,338
territories and the demo data, adds a made-up figure of two indicators for every commune, then for each layer
(members, practices, an indicator, per commune and per EPT/EPCI) renders the map section of `/territoires`
(the layer's query, the cached SVG, legend, table and form, in a request context) and GETs
`/territoires/carte.svg` through the whole app. Prints the first render, the p50/p95 of the next ones and the
SVG's size, and exits 1 when a warm p95 reaches 50 ms or an SVG 400 KB (the targets).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbench import LocalSmtp, engine_name, fresh_app  # noqa: E402

TARGET_MS = 50.0
TARGET_BYTES = 400_000
LAYERS = [
    "couche=membres",
    "couche=pratiques",
    "couche=indicateur&indicateur=emplois_ess",
    "couche=indicateur&indicateur=part_ess_emploi_prive",
    "couche=membres&niveau=epci",
    "couche=indicateur&indicateur=emplois_ess&niveau=epci",
]


def build(app) -> None:
    import sqlalchemy as sa

    from clubess.demo import load_demo
    from clubess.extensions import db
    from clubess.members.models import Territory
    from clubess.members.territories import load_territories
    from clubess.territories.models import IndicatorValue

    with app.app_context():
        load_territories()
        db.session.commit()
        load_demo()
        db.session.commit()
        territories = db.session.scalars(sa.select(Territory).where(Territory.kind.in_(["commune", "ept", "epci"])))
        rows = []
        for i, territory in enumerate(territories):
            for indicator, value in (("emplois_ess", 40 + (i * 37) % 9000), ("part_ess_emploi_prive", 5 + i % 20)):
                rows.append(
                    {"territory_id": territory.id, "indicator": indicator, "year": 2024, "value": float(value)}
                    | {"source": "Données fictives de démonstration", "demo": True}
                )
        db.session.execute(sa.insert(IndicatorValue), rows)
        db.session.commit()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    app = fresh_app(args.database_url, LocalSmtp())  # no mail is sent: its SMTP server is never started
    build(app)
    from flask import render_template, request

    from clubess.members.models import Territory
    from clubess.territories import map_sections, sections, svgmap
    from clubess.territories.map_layers import parse_choice

    print(f"Territory map ({engine_name(app)}, 1,266 communes, demo data, {args.runs} warm runs)")
    print(f"{'layer':<55} {'cold ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'svg KB':>7} {'http p95':>9}")
    failed = False
    client = app.test_client()
    viewer = sections.Viewer.anonymous()
    region = Territory(code="11", kind="region", name="Île-de-France")

    def render():
        context = map_sections.map_context(region, viewer, request.args)
        render_template("territories/_section_carte.html", **context)

    for query in LAYERS:
        with app.test_request_context(f"/territoires?{query}"):
            cold = timed(render)
            warm = sorted(timed(render) for _ in range(args.runs))
            size = len(svgmap.region_map(parse_choice(request.args)[0]).svg.encode())
        url = f"/territoires/carte.svg?{query}"
        http = sorted(timed(lambda url=url: client.get(url)) for _ in range(args.runs))
        p95 = warm[int(0.95 * (len(warm) - 1))]
        http95 = http[int(0.95 * (len(http) - 1))]
        print(f"{query:<55} {cold:8.1f} {statistics.median(warm):7.1f} {p95:7.1f} {size / 1000:7.0f} {http95:9.1f}")
        failed |= p95 >= TARGET_MS or http95 >= TARGET_MS or size >= TARGET_BYTES
    print("targets: warm p95 < 50 ms, SVG < 400 KB:", "missed" if failed else "met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
