"""The demo's indicators: every territory of the region has its headline figures in two years, the groupings' figures
are the sums of their communes, all flagged as demo data and never attributed to an observatory."""

from pathlib import Path

import sqlalchemy as sa

from clubess.members.models import Territory
from clubess.members.territories import load_territories
from clubess.territories.demo import DEMO_FILE, load_indicators
from clubess.territories.figures import map_values, territory_figures
from clubess.territories.indicator_import import DEMO_SOURCE
from clubess.territories.models import IndicatorValue

REAL = Path(__file__).resolve().parents[2] / "clubess" / "data" / "territories-11.json"


def test_the_demo_file_covers_every_territory_and_stays_small(db):
    load_territories(REAL)
    report = load_indicators()
    db.session.commit()
    assert report.ok and report.skipped == 0 and DEMO_FILE.stat().st_size < 1_000_000
    rows = db.session.execute(
        sa.select(IndicatorValue.territory_id, IndicatorValue.indicator, IndicatorValue.year).where(
            IndicatorValue.indicator == "part_ess_emploi_prive"
        )
    ).all()
    assert len(rows) == 1338 * 2  # every territory, 2022 and 2023
    assert set(db.session.scalars(sa.select(IndicatorValue.source).distinct())) == {DEMO_SOURCE}
    assert db.session.scalar(sa.select(sa.func.count()).where(~IndicatorValue.demo)) == 0
    communes = map_values("part_ess_emploi_prive")
    assert communes.year == 2023 and len(communes.values) == 1266 and communes.demo
    # Est Ensemble's own figure is the sum of its nine communes
    est = db.session.scalar(sa.select(Territory).where(Territory.code == "200057875"))
    figures = territory_figures(est)
    jobs = next(line for line in figures.lines if line.indicator.key == "emplois_ess")
    assert jobs.latest.origin == "imported" and jobs.previous.year == 2022
    ids = [t.id for t in db.session.scalars(sa.select(Territory).where(Territory.parent_code == "200057875"))]
    assert len(ids) == 9
    total = db.session.scalar(
        sa.select(sa.func.sum(IndicatorValue.value)).where(
            IndicatorValue.territory_id.in_(ids), IndicatorValue.indicator == "emplois_ess", IndicatorValue.year == 2023
        )
    )
    assert jobs.latest.value == total
    assert {line.indicator.group for line in figures.lines} == {"", "famille", "secteur"}
    # loading again changes nothing
    again = load_indicators()
    assert again.counts() == {"created": 0, "replaced": 0, "unchanged": report.created}


def test_on_another_reference_the_unknown_territories_are_skipped(db, territories):
    report = load_indicators()
    assert report.ok and report.skipped > 10000 and report.created > 0
