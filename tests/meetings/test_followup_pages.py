"""The follow-up pages of a held workshop with everything in them: English, accessible structure, no stored code."""

import pytest
import sqlalchemy as sa

from tests.labels_check import known_codes, raw_codes_in_html
from tests.pages import check_page
from tests.site.test_english import _names, french_in, reader_text


@pytest.fixture
def workshop_done(db, held_meeting, coordinator, territories):
    """A held workshop with a contribution of each kind, published minutes corrected once, a survey answer."""
    from clubess.meetings import contributions, minutes, survey
    from clubess.meetings.models import Registration

    workshop = held_meeting(kind="atelier_territorial", title="Workshop", audience="public")
    for kind in ("constat", "initiative", "preconisation"):
        contributions.add_contribution(
            coordinator,
            workshop,
            contributions.ContributionData(kind, f"Item {kind}", "Text", "soutien_structures", territories["93048"].id),
        )
    decisions = [minutes.DecisionData("Decision one", "achats_responsables")]
    minutes.save_minutes(coordinator, workshop, "Minutes text", decisions)
    minutes.publish_minutes(coordinator, workshop)
    minutes.save_minutes(coordinator, workshop, "Minutes text, fixed", decisions, note="Typo")
    sofia = db.session.scalar(sa.select(Registration).where(Registration.email == "sofia@saint-ouen.fr"))
    survey.submit_answer(sofia, survey.SurveyData(4, workshop.items[0].id, "Land", "Useful"))
    karim = db.session.scalar(sa.select(Registration).where(Registration.email == "karim@montreuil.fr"))
    db.session.commit()
    return workshop, survey.survey_token(karim)


def _pages(workshop, token) -> list[str]:
    base = f"/coordination/rencontres/{workshop.id}"
    return [
        f"/rencontres/{workshop.id}",
        base,
        f"{base}/compte-rendu",
        f"{base}/compte-rendu/versions",
        f"{base}/contributions",
        f"/questionnaire/{token}",
        "/coordination/problematiques",
    ]


NAMES = [
    "Workshop",
    "Maison de l'ESS",
    "Paris 11e",
    "Montreuil",
    "Saint-Ouen-sur-Seine",
    "Seine-Saint-Denis",
    "Île-de-France",
    "Est Ensemble",
    "Métropole du Grand Paris",
    "Coordination",
]


def test_the_follow_up_pages_read_in_english_hold_no_french(app, client, db, workshop_done, coordinator):
    workshop, token = workshop_done
    client.login(coordinator.email)
    client.choose_language("en", "/")
    names = NAMES + _names(app, db) + ["Marie Passante", "Hélène Durand", "Karim Benali", "Sofia Martin"]
    names.append(coordinator.display_name)  # a generated name, which may hold "de la"
    # what people wrote as their function is data (the commitments' person in charge lists it)
    from clubess.members.models import Member

    names += [f for f in db.session.scalars(sa.select(Member.function)) if f]
    problems = {}
    for url in _pages(workshop, token):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        check_page(html)
        text = reader_text(html)
        if found := french_in(text, names):
            problems[url] = found
    assert not problems, problems


def test_the_follow_up_pages_show_labels_not_codes(client, db, workshop_done, coordinator):
    workshop, token = workshop_done
    client.login(coordinator.email)
    codes = known_codes()
    found = {}
    for url in _pages(workshop, token):
        if shown := raw_codes_in_html(client.get(url).get_data(as_text=True), codes):
            found[url] = shown
    assert found == {}
