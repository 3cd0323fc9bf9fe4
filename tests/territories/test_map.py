"""The region's map (/territoires): layers, classes, the table, the cache, the size bound, hostile arguments."""

import re

import pytest
import sqlalchemy as sa

from clubess.members.models import Collectivity, Territory
from clubess.members.territories import data_file, load_territories
from clubess.practices.models import Practice
from clubess.territories import map_layers, sections, svgmap
from clubess.territories.models import IndicatorValue
from tests.pages import check_page
from tests.territories.map_helpers import links_of, render_sections, svg_of, table_rows

MEMBER = svgmap.FILLS["k5"]
IN_MEMBER_GROUPING = svgmap.FILLS["k3"]
NONE = svgmap.FILLS["k0"]


@pytest.fixture
def full_territories(db):
    """The region's 1,338 territories, as shipped."""
    load_territories(data_file("11"))
    db.session.commit()
    return {t.code: t for t in db.session.scalars(sa.select(Territory))}


@pytest.fixture(autouse=True)
def _fresh_cache():
    svgmap.clear_cache()
    yield
    svgmap.clear_cache()


def region_page(app, territories, query=""):
    return render_sections(app, sections.INDEX, territories["11"], query)


def by_name(html):
    return {link["label"].split(" : ")[0]: link for link in links_of(svg_of(html))}


def test_every_commune_is_a_named_link_to_its_page(app, db, territories):
    html = region_page(app, territories)
    check_page(html)
    links = links_of(svg_of(html))
    assert len(links) == 1266
    assert all(link["href"] == f"/territoires/{link['href'].rsplit('/', 1)[1]}" for link in links)
    assert all(link["label"] and link["title"] == link["label"] for link in links)
    montreuil = next(link for link in links if link["href"] == "/territoires/93048")
    assert montreuil["label"] == "Montreuil : Non adhérente"
    assert "Contours : IGN Admin Express COG 2018, Licence Ouverte" in html


def test_members_layer_colours_members_and_what_lies_in_member_groupings(app, db, territories):
    db.session.add(Collectivity(territory=territories["93048"], status="active"))
    db.session.add(Collectivity(territory=territories["94038"], status="pending"))  # not a member yet
    db.session.add(Collectivity(territory=territories["200057875"], status="active"))  # Est Ensemble
    db.session.commit()

    html = region_page(app, territories, "couche=membres")
    shapes = by_name(html)

    assert shapes["Montreuil"]["fill"] == MEMBER
    assert shapes["Montreuil"]["label"] == "Montreuil : Collectivité adhérente"
    assert shapes["Bagnolet"]["fill"] == IN_MEMBER_GROUPING  # an Est Ensemble commune
    assert shapes["L'Haÿ-les-Roses"]["fill"] == NONE
    assert shapes["Saint-Ouen-sur-Seine"]["fill"] == NONE
    outlines = [link for link in links_of(svg_of(html)) if link["fill"] == "none"]
    assert [o["label"] for o in outlines] == ["Est Ensemble : adhérent (contour)"]
    rows = table_rows(html)
    assert rows["Montreuil"] == "Collectivité adhérente"
    assert rows["Bagnolet"] == "Dans un EPT, un EPCI ou la Métropole adhérents"
    assert rows["Est Ensemble"] == "adhérent (contour)"


def test_the_table_gives_the_same_values_as_the_map(app, db, territories):
    _practice(db, territories["93048"], 3)
    db.session.commit()
    html = region_page(app, territories, "couche=pratiques")
    rows = table_rows(html, key="href")
    links = links_of(svg_of(html))
    assert len(rows) == len(links) == 1266
    assert {link["href"]: link["label"].split(" : ", 1)[1] for link in links} == rows
    assert rows["/territoires/93048"] == "3 pratiques"
    assert rows["/territoires/93006"] == "aucune pratique"  # Bagnolet


def _practice(db, territory, count, status="published"):
    for i in range(count):
        db.session.add(
            Practice(
                ref=f"P{territory.code}-{status}-{i}",
                title="Une pratique",
                lever="soutien_structures",
                territory_id=territory.id,
                status=status,
            )
        )


def test_practices_are_counted_per_grouping_at_the_groupings_level(app, db, territories):
    _practice(db, territories["93048"], 2)  # Montreuil, in Est Ensemble
    _practice(db, territories["200057875"], 1)  # Est Ensemble itself
    _practice(db, territories["93048"], 4, status="draft")  # not published: not counted
    db.session.commit()

    communes = table_rows(region_page(app, territories, "couche=pratiques"))
    groupings = table_rows(region_page(app, territories, "couche=pratiques&niveau=epci"))
    departements = table_rows(region_page(app, territories, "couche=pratiques&niveau=departement"))

    assert communes["Montreuil"] == "2 pratiques"
    assert "Est Ensemble" not in communes
    assert groupings["Est Ensemble"] == "3 pratiques"
    assert groupings["Paris"] == "aucune pratique"  # Paris stands alone among the groupings
    assert len(groupings) == 11 + 51 + 1
    assert departements["Seine-Saint-Denis"] == "3 pratiques"
    assert departements["Val-de-Marne"] == "aucune pratique"


def test_class_breaks_are_quantiles_labelled_by_the_values_they_hold():
    assert map_layers.quantile_classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert map_layers.quantile_classes([5, 5, 5]) == [(5, 5)]
    assert map_layers.quantile_classes([1, 1, 1, 1, 9]) == [(1, 1), (9, 9)]
    assert map_layers.quantile_classes([]) == []


def _figure(db, territory, value, year=2023, indicator="emplois_ess", source="Observatoire régional", demo=False):
    db.session.add(
        IndicatorValue(territory=territory, indicator=indicator, year=year, value=value, source=source, demo=demo)
    )


def test_indicator_layer_is_a_choropleth_with_year_source_and_demo_label(app, db, territories):
    _figure(db, territories["93048"], 4200, demo=True)
    _figure(db, territories["93070"], 1500, demo=True)
    _figure(db, territories["94038"], 300, demo=True)
    db.session.commit()

    html = region_page(app, territories, "couche=indicateur&indicateur=emplois_ess")
    shapes = by_name(html)
    rows = table_rows(html)

    assert rows["Montreuil"] == "4\u202f200"  # French digit grouping
    assert rows["Bagnolet"] == "pas de donnée"
    # three values, three classes, the largest the darkest
    assert shapes["Montreuil"]["fill"] == svgmap.FILLS["k5"]
    assert shapes["Saint-Ouen-sur-Seine"]["fill"] == svgmap.FILLS["k4"]
    assert shapes["L'Haÿ-les-Roses"]["fill"] == svgmap.FILLS["k3"]
    assert shapes["Bagnolet"]["fill"] == svgmap.FILLS["kn"]
    assert "Année 2023. Source : Observatoire régional." in html
    assert "Données fictives de démonstration" in html
    assert 'value="emplois_ess" selected' in html


def test_a_new_import_redraws_the_map_and_nothing_else_does(app, db, territories):
    _figure(db, territories["93048"], 100)
    _figure(db, territories["93070"], 50)
    db.session.commit()
    query = "couche=indicateur&indicateur=emplois_ess"
    before = svgmap.renders["count"]

    first = by_name(region_page(app, territories, query))
    again = by_name(region_page(app, territories, query))
    assert svgmap.renders["count"] == before + 1  # the second request used the cached map
    assert first == again
    assert first["Montreuil"]["fill"] == svgmap.FILLS["k5"]

    _figure(db, territories["94038"], 5000)  # a new figure: L'Haÿ becomes the largest
    db.session.commit()
    after = by_name(region_page(app, territories, query))
    assert svgmap.renders["count"] == before + 2
    assert after["L'Haÿ-les-Roses"]["fill"] == svgmap.FILLS["k5"]
    assert after["Montreuil"]["fill"] == svgmap.FILLS["k4"]

    figure = db.session.query(IndicatorValue).filter_by(territory_id=territories["93048"].id).one()
    figure.value = 10  # a corrected figure, same row count
    db.session.commit()
    corrected = by_name(region_page(app, territories, query))
    assert svgmap.renders["count"] == before + 3
    assert corrected["Montreuil"]["fill"] == svgmap.FILLS["k3"]


def test_a_cached_map_costs_one_query(app, db, territories, count_queries):
    db.session.add(Collectivity(territory=territories["93048"], status="active"))
    _figure(db, territories["93048"], 100)
    db.session.commit()
    for query in ("couche=membres", "couche=pratiques", "couche=indicateur&indicateur=emplois_ess&niveau=epci"):
        region_page(app, territories, query)
        with count_queries() as counter:
            region_page(app, territories, query)
        assert len(counter.statements) <= 1, (query, counter.statements)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("couche=nimportequoi", "Couche inconnue"),
        ("couche=indicateur&indicateur=../../etc/passwd", "Indicateur inconnu"),
        ("couche=indicateur&indicateur=" + "x" * 5000, "Indicateur inconnu"),
        ("couche=%00%01&niveau=commune", "Couche inconnue"),
        ("niveau=quartier", "Niveau inconnu"),
        ("couche=membres&couche=pratiques&niveau=<script>", "Niveau inconnu"),
    ],
)
def test_hostile_arguments_give_the_default_layer_with_a_message(app, db, territories, query, message):
    html = region_page(app, territories, query)
    check_page(html)
    assert message in html
    assert "<script>" not in html
    assert 'value="membres" selected' in html


def test_the_svg_stays_under_400_kb_whatever_the_layer(app, db, full_territories):
    communes = [t for t in full_territories.values() if t.kind == "commune"]
    for i, commune in enumerate(communes):
        _figure(db, commune, 123456.7 + i, indicator="emplois_ess")
        _figure(db, commune, 12.3 + (i % 50), indicator="part_ess_emploi_prive")
        if i % 2:
            db.session.add(Collectivity(territory=commune, status="active"))
            _practice(db, commune, 1 + i % 7)
    db.session.commit()
    for query in (
        "couche=membres",
        "couche=pratiques",
        "couche=indicateur&indicateur=emplois_ess",
        "couche=indicateur&indicateur=part_ess_emploi_prive",
    ):
        drawn = svgmap.region_map(map_layers.parse_choice(dict(re.findall(r"(\w+)=(\w+)", query)))[0])
        assert len(drawn.svg.encode()) < 400_000, (query, len(drawn.svg.encode()))
        assert drawn.svg.count("<a ") >= 1266


def test_the_standalone_svg_is_cacheable(client, db, territories):
    response = client.get("/territoires/carte.svg?couche=pratiques")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg xmlns")
    again = client.get("/territoires/carte.svg?couche=pratiques", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    _practice(db, territories["93048"], 1)
    db.session.commit()
    changed = client.get("/territoires/carte.svg?couche=pratiques", headers={"If-None-Match": response.headers["ETag"]})
    assert changed.status_code == 200
    hostile = client.get("/territoires/carte.svg?couche=%EF%BF%BF&niveau=" + "9" * 3000)
    assert hostile.status_code == 200


def test_the_members_legend_lists_only_what_the_map_shows(app, db, territories):
    db.session.add(Collectivity(territory=territories["93048"], status="active"))
    db.session.commit()
    html = region_page(app, territories, "couche=membres")
    legend = re.search(r'<ul class="carte-legende__liste">(.*?)</ul>', html, re.S).group(1)
    assert [" ".join(item.split()) for item in re.findall(r"</svg>\s*(.*?)</li>", legend, re.S)] == [
        "Collectivité adhérente",
        "Non adhérente",
    ]


def test_odd_figures_never_break_the_map(app, db, territories):
    _figure(db, territories["93048"], 1e300)
    _figure(db, territories["93070"], float("inf"))
    _figure(db, territories["94038"], 0.123456)
    db.session.commit()
    html = region_page(app, territories, "couche=indicateur&indicateur=emplois_ess")
    check_page(html)
    rows = table_rows(html)
    assert rows["Saint-Ouen-sur-Seine"] == "pas de donnée"
    assert rows["L'Haÿ-les-Roses"] == "0,1"
    assert rows["Montreuil"].startswith("1")
