"""The `indicateurs` section of a territory page: figures with year and source, trend, comparison, sums said as
such, families and sectors as tables and a chart, demo figures said to be fictitious; the same for every viewer."""

from flask import g, render_template_string

from clubess.territories import sections
from clubess.territories.models import IndicatorValue
from tests.pages import check_page

PAGE = '<!doctype html><html lang="fr"><head><title>Territoire</title></head><body><h1>Territoire</h1>{}</body></html>'


def _render(app, territory, viewer=None):
    with app.test_request_context("/territoires/x"):
        # this section alone: the other sections' queries are not its own
        viewer = viewer or sections.Viewer.anonymous()
        mine = [s for s in sections.sections(sections.DETAIL) if s.key == "indicateurs"]
        shown = [(s, c) for s in mine if (c := s.context(territory, viewer, {})) is not None]
        html = "".join(
            render_template_string('{% include "territories/_indicators.html" %}', **context) for _, context in shown
        )
        return html, bool(g.get("fictitious_loaded"))


def _add(db, territory, indicator, year, value, source="Observatoire régional", demo=False):
    db.session.add(
        IndicatorValue(territory=territory, indicator=indicator, year=year, value=value, source=source, demo=demo)
    )


def _page(html: str) -> str:
    page = PAGE.format(html)
    check_page(page)
    return page


def test_no_figures_no_section(app, db, territories):
    assert _render(app, territories["93048"]) == ("", False)


def test_the_section_shows_figures_with_year_source_trend_and_comparison(app, db, territories):
    _add(db, territories["93048"], "emplois_ess", 2022, 1000)
    _add(db, territories["93048"], "emplois_ess", 2023, 1100)
    _add(db, territories["93048"], "part_ess_emploi_prive", 2023, 11.75)
    _add(db, territories["93"], "emplois_ess", 2023, 20000, source="Observatoire départemental")
    _add(db, territories["11"], "part_ess_emploi_prive", 2022, 10.5)
    _add(db, territories["93048"], "emplois_associations", 2023, 750)
    _add(db, territories["93048"], "emplois_cooperatives", 2023, 250)
    db.session.commit()
    html, demo = _render(app, territories["93048"])
    _page(html)
    assert not demo and "données fictives" not in html.lower()
    assert "somme des communes" not in html  # its own figures only: no rule to say
    assert '<section id="indicateurs" aria-labelledby="indicateurs-title"' in html
    assert "Chiffres clés de l’ESS : Montreuil</caption>" in html
    row = html[html.index("Emplois salariés de l'ESS</th>") :].split("</tr>")[0]
    assert '<strong>1\u202f100</strong> <span class="muted">(2023)</span>' in row
    assert "+10,0 % depuis 2022 (1\u202f000)" in row
    assert "<td>20\u202f000</td>" in row  # the département, same year
    assert "Observatoire régional" in row
    share = html[html.index("Part de l'ESS dans l'emploi salarié privé</th>") :].split("</tr>")[0]
    assert "11,8\u00a0%" in share and '10,5\u00a0% <span class="muted">(2022)</span>' in share
    # families: a table with the share of the total and a chart with the same numbers
    assert "Emplois par famille : Montreuil</caption>" in html
    assert "<td>750</td>\n        <td>75,0\u00a0%</td>" in html
    assert "750 (75,0\u00a0%)</text>" in html


def test_sums_are_said_to_be_sums_and_partial_totals_are_not_shown(app, db, territories):
    _add(db, territories["93048"], "emplois_ess", 2023, 1100)
    _add(db, territories["93048"], "emplois_prives", 2023, 11000)
    db.session.commit()
    html, _ = _render(app, territories["200057875"])  # Est Ensemble: Montreuil only, in the fixture
    _page(html)
    assert '1\u202f100</strong> <span class="muted">(2023, somme des communes)' in html
    assert "un effectif est la somme des chiffres de sa commune" in html  # the rule, said once
    assert '10,0\u00a0%</strong> <span class="muted">(2023, calculée : Emplois salariés de l&#39;ESS' in html
    html, _ = _render(app, territories["93"])  # Montreuil and Saint-Ouen: one has a figure
    assert "partiel : chiffres pour 1 des 2 communes en 2023, pas de total" in html
    assert "1\u202f100" not in html


def test_demo_figures_are_marked_and_never_attributed_to_an_observatory(app, db, territories):
    _add(
        db,
        territories["93048"],
        "emplois_ess",
        2023,
        1100,
        source="Données fictives de démonstration (clubess)",
        demo=True,
    )
    db.session.commit()
    html, demo = _render(app, territories["93048"])
    assert demo  # the page's notice
    assert "Données fictives de démonstration." in html and 'id="indicateurs-demo"' in html
    assert "Observatoire" not in html


def test_every_viewer_sees_the_same_public_figures(app, db, territories, active_collectivity):
    from clubess.territories.sections import Viewer

    _add(db, territories["93048"], "emplois_ess", 2023, 1100)
    db.session.commit()
    visitor, _ = _render(app, territories["93048"])
    member, _ = _render(app, territories["93048"], Viewer(user=None, is_member=True))
    coordinator, _ = _render(app, territories["93048"], Viewer(user=None, is_member=True, is_coordinator=True))
    assert visitor == member == coordinator and "1\u202f100" in visitor


def test_the_section_s_queries_are_bounded(app, db, territories, count_queries):
    for code in ("93048", "93070", "94038"):
        _add(db, territories[code], "emplois_ess", 2023, 100)
    db.session.commit()
    region = territories["11"]
    assert region.kind  # loaded before counting
    with count_queries() as counter:
        html, _ = _render(app, region)
    assert counter.count <= 4 and "300" in html
