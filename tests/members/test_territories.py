"""Territory reference data: loading and searching."""

import pytest
import sqlalchemy as sa

from clubess.members.territories import load_territories, normalize


def test_shipped_file_covers_the_whole_region(db):
    counts = load_territories()
    db.session.commit()
    assert counts["total"] > 1300  # 1 région, 8 départements, MGP, 11 EPT, ~50 EPCI, ~1,270 communes
    again = load_territories()
    assert again["created"] == 0 and again["updated"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("montreuil", "Montreuil"),
        ("Saint-Ouen", "Saint-Ouen-sur-Seine"),
        ("st ouen", "Saint-Ouen-sur-Seine"),
        ("93048", "Montreuil"),
        ("est ensemble", "Est Ensemble"),
        ("EST-ENSEMBLE", "Est Ensemble"),
        ("93100", "Montreuil"),
        ("l'hay", "L'Haÿ-les-Roses"),
        ("lhay", None),
    ],
)
def test_api_finds_territories_the_way_people_type_them(client, territories, query, expected):
    response = client.get("/api/v1/territories", query_string={"q": query})
    assert response.status_code == 200
    names = [r["name"] for r in response.json["results"]]
    if expected is None:
        assert names == []
    else:
        assert names[0] == expected


def test_api_refuses_too_short_queries_with_json(client):
    response = client.get("/api/v1/territories?q=a")
    assert response.status_code == 400
    assert "message" in response.json["error"]


def test_normalize_spells_out_saint():
    assert normalize("St-Ouen l'Aumône") == "saint ouen l aumone"


def test_demo_load_creates_members_and_is_idempotent(app, db):
    from clubess.members.models import Collectivity

    runner = app.test_cli_runner()
    assert "Demo data loaded." in runner.invoke(args=["demo", "load", "--if-empty"]).output
    assert "left out" in runner.invoke(args=["demo", "load", "--if-empty"]).output
    statuses = db.session.scalars(sa.select(Collectivity.status)).all()
    assert statuses.count("active") >= 4 and "pending" in statuses


def test_loading_the_region_tells_postgresql_its_size_at_once(db):
    """On PostgreSQL the planner learns the territories' and their links' new sizes in the loading transaction:
    a page that joins them right after a load (before autovacuum) is not planned for empty tables."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the planner's statistics are PostgreSQL's")
    counts = load_territories()
    estimated = dict(
        db.session.execute(
            sa.text("SELECT relname, reltuples FROM pg_class WHERE relname IN ('territories', 'territory_links')")
        ).all()
    )
    db.session.commit()
    assert estimated["territories"] >= counts["total"] * 0.9
    assert estimated["territory_links"] >= counts["links"] * 0.9
