"""A territory page's situation map: its own shape highlighted among its parent's parts, every part a link."""

from clubess.territories import sections
from tests.pages import check_page
from tests.territories.map_helpers import links_of, render_sections, svg_of

EST_ENSEMBLE = {
    "Bagnolet",
    "Bobigny",
    "Bondy",
    "Les Lilas",
    "Montreuil",
    "Noisy-le-Sec",
    "Pantin",
    "Le Pré-Saint-Gervais",
    "Romainville",
}
HIGHLIGHT = "#253494"


def situation(app, territory):
    html = render_sections(app, sections.DETAIL, territory)
    check_page(html)
    return html, links_of(svg_of(html, "situation-svg"))


def test_a_commune_is_shown_in_its_ept_among_its_neighbours(app, db, territories, count_queries):
    with count_queries() as counter:
        html, links = situation(app, territories["93048"])
    assert not [s for s in counter.statements if "territories" in s and "indicator" not in s]
    assert {link["label"] for link in links} == EST_ENSEMBLE
    assert [link["label"] for link in links if link["fill"] == HIGHLIGHT] == ["Montreuil"]
    assert "Montreuil (en bleu foncé) dans Est Ensemble" in html
    assert len(svg_of(html, "situation-svg").attrib["viewBox"].split()) == 4
    assert len(html[html.index('<svg xmlns="http://www.w3.org/2000/svg" viewBox') :].split("</svg>")[0]) < 12_000


def test_an_ept_in_the_metropole_and_a_departement_in_the_region(app, db, territories):
    _html, links = situation(app, territories["200057875"])
    labels = {link["label"] for link in links}
    assert len(labels) == 12 and "Paris" in labels and "Est Ensemble" in labels  # 11 EPTs and Paris
    assert [link["label"] for link in links if link["fill"] == HIGHLIGHT] == ["Est Ensemble"]

    html, links = situation(app, territories["93"])
    assert len(links) == 8
    assert "Seine-Saint-Denis (en bleu foncé) dans Île-de-France" in html


def test_the_region_page_has_no_situation_but_the_map(app, db, territories):
    shown = [
        s.key for s, _c in sections.render_list(sections.DETAIL, territories["11"], sections.Viewer.anonymous(), {})
    ]
    assert "situation" not in shown
    index = [
        s.key for s, _c in sections.render_list(sections.INDEX, territories["11"], sections.Viewer.anonymous(), {})
    ]
    assert "carte" in index
