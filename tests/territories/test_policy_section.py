"""The « politique » section of a territory page: members and coordinators see each member collectivity's latest
profile and the counts; a visitor sees nothing of it; the queries do not grow with the collectivities."""

from flask import render_template_string

from clubess.territories import policy_section, sections
from clubess.territories.sections import Viewer
from tests.pages import NS


def _render(app, territory, viewer):
    context = policy_section.context(territory, viewer, {})
    if context is None:
        return None
    with app.test_request_context("/territoires/x"):
        return render_template_string("{% include 'territories/_policy.html' %}", **context)


def _member(people):
    return Viewer(user=people["karim"].user, is_member=True, collectivity=people["karim"].collectivity)


def test_members_see_each_collectivitys_latest_profile_and_the_counts(app, db, territories, policy_club, save_profile):
    """Seine-Saint-Denis holds Montreuil and Saint-Ouen (members); Montreuil: 2024 then 2026 (SPASER in 2026
    only, élue Hélène, budget line); Saint-Ouen: 2025 with a strategy voted and a free-text élu. L'Haÿ is in 94."""
    people = policy_club
    helene, sofia = people["helene"], people["sofia"]
    save_profile(helene.user, helene.collectivity, 2024, note="Ancien profil de Montreuil.")
    save_profile(
        helene.user,
        helene.collectivity,
        2026,
        elu_id=helene.id,
        has_budget_line=True,
        spaser_year=2026,
        levers=["achats_responsables"],
    )
    save_profile(
        sofia.user,
        sofia.collectivity,
        2025,
        elu_name="Jean Dupont",
        strategy_year=2023,
        levers=["achats_responsables", "soutien_structures"],
    )
    html = _render(app, territories["93"], _member(people))
    assert "Ancien profil de Montreuil." not in html  # the latest year only
    assert "profil 2026" in html and "profil 2025" in html
    assert "Hélène Durand" in html and "Jean Dupont" in html
    assert "L&#39;Haÿ-les-Roses" not in html and "L'Haÿ-les-Roses" not in html
    for line in (
        "2 collectivités sur 2 ont renseigné leur profil.",
        "1 collectivité sur 2 a adopté un SPASER.",
        "1 collectivité sur 2 a voté une stratégie ESS.",
        "2 collectivités sur 2 ont un·e élu·e chargé·e de l’ESS.",
        "1 collectivité sur 2 a une ligne budgétaire pour l’ESS.",
    ):
        assert line in html, line
    assert '<th scope="row">Achats responsables</th><td>2</td>' in html
    assert "Stade : SPASER adopté." in html and "Stade : stratégie ESS votée." in html
    # the région: L'Haÿ counts, without a profile
    html = _render(app, territories["11"], Viewer(user=None, is_coordinator=True))
    assert "2 collectivités sur 3 ont renseigné leur profil." in html and "Profil pas encore renseigné." in html


def test_a_visitor_sees_nothing_of_it(app, db, territories, policy_club, save_profile):
    helene = policy_club["helene"]
    save_profile(helene.user, helene.collectivity, 2026, note="Réservé aux membres.")
    assert policy_section.context(territories["93048"], Viewer.anonymous(), {}) is None
    shown = [s.key for s, _c in sections.render_list(sections.DETAIL, territories["93048"], Viewer.anonymous(), {})]
    assert "politique" not in shown
    shown = [s.key for s, _c in sections.render_list(sections.DETAIL, territories["93048"], _member(policy_club), {})]
    assert "politique" in shown


def test_an_elu_hidden_from_the_directory_is_not_named(app, db, territories, policy_club, save_profile):
    helene = policy_club["helene"]
    helene.show_in_directory = False
    db.session.commit()
    save_profile(helene.user, helene.collectivity, 2026, elu_id=helene.id)
    html = _render(app, territories["93048"], _member(policy_club))
    assert "Hélène Durand" not in html and "nom non publié dans l’annuaire" in html


def test_the_section_is_accessible_markup(app, db, territories, policy_club, save_profile):
    import html5lib

    helene = policy_club["helene"]
    save_profile(helene.user, helene.collectivity, 2026, levers=["achats_responsables"])
    html = _render(app, territories["93"], _member(policy_club))
    doc = html5lib.parse(html, namespaceHTMLElements=True)
    section = next(doc.iter(f"{NS}section"))
    assert section.get("id") == "politique" and section.get("aria-labelledby") == "politique-title"
    assert next(doc.iter(f"{NS}table")).find(f"{NS}caption") is not None


def test_queries_do_not_grow_with_the_collectivities(app, db, territories, policy_club, save_profile, count_queries):
    people = policy_club
    save_profile(people["helene"].user, people["helene"].collectivity, 2026, elu_id=people["helene"].id)
    viewer, region = _member(people), territories["11"]
    assert region.id  # loaded before counting
    with count_queries() as few:
        _render(app, region, viewer)
    save_profile(people["sofia"].user, people["sofia"].collectivity, 2026, elu_name="Jean Dupont", strategy_year=2025)
    save_profile(people["sofia"].user, people["sofia"].collectivity, 2025, strategy_year=2025)
    viewer, region = _member(people), territories["11"]
    assert region.id  # loaded before counting
    with count_queries() as more:
        _render(app, region, viewer)
    assert more.count == few.count == 1


def test_the_collectivities_links_keep_the_sites_path_prefix(app, db, territories, policy_club, save_profile):
    """Served under a path (/club), a collectivity's heading links to /club/territoires/<code>, as every other
    territory link does."""
    people = policy_club
    save_profile(people["helene"].user, people["helene"].collectivity, 2026, has_budget_line=True)
    context = policy_section.context(territories["93"], _member(people), {})
    with app.test_request_context("/territoires/93", base_url="http://localhost/club"):
        html = render_template_string("{% include 'territories/_policy.html' %}", **context)
    assert 'href="/club/territoires/93048"' in html
    assert 'href="/territoires/' not in html
