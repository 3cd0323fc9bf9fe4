"""Bad input on membership forms gives field errors and saves nothing; nobody reaches another collectivity."""

from datetime import date

import pytest
import sqlalchemy as sa

from clubess.members.models import Collectivity, Member
from tests.pages import check_page

VALID = {
    "kind": "elu",
    "first_name": "Hélène",
    "last_name": "Durand",
    "email": "helene@montreuil.fr",
    "phone": "01 23 45 67 89",
    "consent": "y",
    "action": "submit",
}


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"territory_id": "999999"}, "Choisissez votre collectivité dans la liste."),
        ({"territory_id": "99999999999999999999999"}, "Choisissez votre collectivité dans la liste."),
        ({"territory_id": ""}, "Choisissez votre collectivité dans la liste."),
        ({"email": "helene@"}, "Saisissez une adresse électronique valide"),
        ({"phone": "appelez-moi"}, "Saisissez un numéro de téléphone valide"),
        ({"consent": ""}, "Votre accord est nécessaire pour adhérer."),
        (
            {"last_name": "<script>alert(1)</script>"},
            "Les chevrons (signes inférieur et supérieur) ne sont pas acceptés ici.",
        ),
        ({"function": "x" * 500}, "200"),
        ({"kind": "maire"}, "N&#39;est pas un choix valide."),
        ({"others-0-first_name": "Karim", "others-0-email": "karim@montreuil.fr"}, "Choisissez élu ou agent."),
        (
            {
                "others-0-kind": "agent",
                "others-0-first_name": "Karim",
                "others-0-last_name": "B",
                "others-0-email": "helene@montreuil.fr",
            },
            "sa propre adresse",
        ),
    ],
)
def test_bad_application_input_shows_field_errors_keeps_input_and_saves_nothing(
    client, territories, db, changes, message
):
    data = {**VALID, "territory_id": str(territories["93048"].id), **changes}
    response = client.submit("/adherer", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(html)
    assert message in html
    assert 'value="Hélène"' in html  # what was typed is kept
    assert _count(db, Collectivity) == 0 and _count(db, Member) == 0


def test_official_number_of_communes_is_loaded(db):
    from clubess.members.models import Territory
    from clubess.members.territories import load_territories

    load_territories()
    counts = dict(db.session.execute(sa.select(Territory.kind, sa.func.count()).group_by(Territory.kind)).all())
    # Code officiel géographique as published in @etalab/decoupage-administratif 6.0.0 (communes actuelles)
    assert counts == {"region": 1, "departement": 8, "metropole": 1, "ept": 11, "epci": 51, "commune": 1266}


@pytest.fixture
def other_collectivity(db, territories, make_user):
    """Saint-Ouen, another member, with its référent Paul and an agent Zoé."""
    c = Collectivity(territory=territories["93070"], status="active", joined_on=date(2026, 2, 1))
    paul = Member(
        collectivity=c,
        kind="elu",
        first_name="Paul",
        last_name="Roux",
        email="paul@saint-ouen.fr",
        user=make_user(email="paul@saint-ouen.fr"),
    )
    zoe = Member(collectivity=c, kind="agent", first_name="Zoé", last_name="Faure", email="zoe@saint-ouen.fr")
    db.session.add_all([c, paul, zoe])
    db.session.flush()
    c.referent = paul
    db.session.commit()
    return c


def test_a_referent_cannot_see_or_change_another_collectivitys_people(
    client, active_collectivity, other_collectivity, db
):
    zoe = db.session.scalar(sa.select(Member).where(Member.first_name == "Zoé"))
    client.login("helene@montreuil.fr")
    assert "Zoé" not in client.get("/espace/collectivite").get_data(as_text=True)
    assert client.get(f"/espace/collectivite/personnes/{zoe.id}/modifier").status_code == 404
    assert client.get(f"/espace/collectivite/personnes/{zoe.id}/fin-de-mandat").status_code == 404
    response = client.submit(
        f"/espace/collectivite/personnes/{zoe.id}/fin-de-mandat",
        {"end_on": "2026-01-01"},
        form_url="/espace/collectivite",
    )
    assert response.status_code == 404
    client.submit("/espace/collectivite/referent", {"member_id": zoe.id}, form_url="/espace/collectivite")
    db.session.expire_all()
    assert db.session.get(Member, zoe.id).mandate_end_on is None
    assert db.session.get(Collectivity, other_collectivity.id).referent.first_name == "Paul"
    assert db.session.get(Collectivity, active_collectivity.id).referent.first_name == "Hélène"


def test_referent_edits_a_person_but_not_their_login_address(client, active_collectivity, db):
    karim = db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))
    client.login("helene@montreuil.fr")
    response = client.submit(
        f"/espace/collectivite/personnes/{karim.id}/modifier",
        {
            "kind": "agent",
            "first_name": "Karim",
            "last_name": "Benali",
            "function": "Directeur du développement",
            "email": "pirate@example.org",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    karim = db.session.get(Member, karim.id)
    assert karim.function == "Directeur du développement"
    assert karim.email == "karim@montreuil.fr"


def test_an_agent_cannot_edit_colleagues(client, active_collectivity, db):
    helene = db.session.scalar(sa.select(Member).where(Member.first_name == "Hélène"))
    client.login("karim@montreuil.fr")
    assert client.get(f"/espace/collectivite/personnes/{helene.id}/modifier").status_code == 403


def test_visitors_and_people_without_a_collectivity_get_no_member_area(client, make_user):
    assert client.get("/espace/collectivite").status_code == 302  # to the login page
    make_user(email="seul@example.org")
    client.login("seul@example.org")
    assert client.get("/espace/collectivite").status_code == 404
    assert client.get("/espace/profil").status_code == 404


COORDINATION_URLS = [
    "/coordination",
    "/coordination/journal",
    "/coordination/courriels/",
    "/coordination/comptes",
    "/coordination/adhesions",
    "/coordination/adhesions/1",
    "/coordination/comptes/1",
]


@pytest.mark.parametrize("url", COORDINATION_URLS)
def test_members_cannot_reach_any_coordination_page(client, active_collectivity, url):
    client.login("helene@montreuil.fr")
    assert client.get(url).status_code == 403


def test_members_cannot_post_coordination_decisions(client, active_collectivity, territories, db):
    pending = Collectivity(territory=territories["94038"], status="pending")
    db.session.add(pending)
    db.session.commit()
    client.login("helene@montreuil.fr")
    for action in ("approuver", "refuser"):
        response = client.submit(
            f"/coordination/adhesions/{pending.id}/{action}", {"reason": "non"}, form_url="/espace"
        )
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Collectivity, pending.id).status == "pending"
