"""The référent manages people; mandates end; the directory shows only what people agreed to show."""

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.members.models import Collectivity, Member
from tests.pages import get_page


def test_referent_adds_a_colleague_who_is_invited_by_mail(app, client, smtp, active_collectivity, db):
    from clubess.mailing.worker import send_pending

    client.login("helene@montreuil.fr")
    get_page(client, "/espace/collectivite/personnes/nouvelle")
    response = client.submit(
        "/espace/collectivite/personnes/nouvelle",
        {
            "kind": "agent",
            "first_name": "Léa",
            "last_name": "Martin",
            "email": "lea@montreuil.fr",
            "function": "Développeuse économique",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        send_pending()
    assert any("/connexion/bienvenue/" in u for u in smtp.links_in(smtp.to("lea@montreuil.fr")[0]))
    duplicate = client.submit(
        "/espace/collectivite/personnes/nouvelle",
        {"kind": "agent", "first_name": "Léa", "last_name": "Martin", "email": "LEA@montreuil.fr"},
    )
    assert "fait déjà partie" in duplicate.get_data(as_text=True)


def test_only_the_referent_manages_people(client, active_collectivity):
    client.login("karim@montreuil.fr")
    page = client.get("/espace/collectivite").get_data(as_text=True)
    assert "Ajouter ou inviter" not in page
    assert client.get("/espace/collectivite/personnes/nouvelle").status_code == 403
    assert client.get("/espace/collectivite/quitter").status_code == 403


def test_ending_a_mandate_keeps_the_person_and_closes_the_account(client, active_collectivity, db):
    karim = db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))
    client.login("helene@montreuil.fr")
    url = f"/espace/collectivite/personnes/{karim.id}/fin-de-mandat"
    page = get_page(client, url).get_data(as_text=True)
    assert "Son compte (karim@montreuil.fr) est fermé à cette date" in page
    assert client.submit(url, {"end_on": "2026-03-20"}).status_code == 200  # without the page's button: nothing
    response = client.submit(url, {"end_on": "2026-03-20", "confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    karim = db.session.get(Member, karim.id)
    assert karim.mandate_end_on.isoformat() == "2026-03-20"
    assert karim.user.is_enabled is False
    assert "terminé le" in client.get("/espace/collectivite").get_data(as_text=True)


def test_referent_hands_over_the_role(client, active_collectivity, db):
    karim = db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))
    client.login("helene@montreuil.fr")
    client.confirm(f"/espace/collectivite/referent?member_id={karim.id}", expect="Karim Benali devient référent·e")
    db.session.expire_all()
    assert db.session.get(Collectivity, active_collectivity.id).referent_id == karim.id


def test_collectivity_leaves_the_club_after_confirmation(client, active_collectivity, db):
    client.login("helene@montreuil.fr")
    client.confirm("/espace/collectivite/quitter", expect="2 comptes seront fermés")
    db.session.expire_all()
    assert db.session.get(Collectivity, active_collectivity.id).status == "left"
    assert db.session.scalar(sa.select(User).where(User.email == "karim@montreuil.fr")).is_enabled is False


def test_directory_shows_people_to_members_only_and_respects_their_choices(client, active_collectivity, count_queries):
    public = get_page(client, "/annuaire").get_data(as_text=True)
    assert "Montreuil" in public
    assert "Hélène" not in public and "helene@montreuil.fr" not in public
    client.login("karim@montreuil.fr")
    with count_queries() as counter:
        html = get_page(client, "/annuaire").get_data(as_text=True)
    assert counter.count <= 8, counter.statements  # 8th: the territories of the perimeter select
    assert "Hélène Durand" in html and "helene@montreuil.fr" in html  # she agreed to show her address
    assert "01 02 03 04 05" not in html  # but not her phone
    assert "Karim Benali" not in html  # he chose not to appear


def test_person_edits_profile_and_preferences(client, active_collectivity, db):
    client.login("karim@montreuil.fr")
    get_page(client, "/espace")
    get_page(client, "/espace/profil")
    response = client.submit(
        "/espace/profil",
        {
            "first_name": "Karim",
            "last_name": "Benali-Roy",
            "function": "Chef de projet",
            "show_in_directory": "y",
            "wants_news": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    karim = db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))
    assert karim.last_name == "Benali-Roy" and karim.show_in_directory and not karim.wants_invitations
    assert karim.user.display_name == "Karim Benali-Roy"


def test_person_downloads_their_data_as_json(client, active_collectivity):
    client.login("karim@montreuil.fr")
    response = client.get("/espace/mes-donnees.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.json
    assert data["account"]["email"] == "karim@montreuil.fr"
    assert data["memberships"][0]["collectivity"] == "Montreuil"
    assert data["memberships"][0]["consent_at"] is None or "T" in data["memberships"][0]["consent_at"]


def test_erasure_anonymises_the_person_and_keeps_the_counts(client, active_collectivity, db):
    client.login("karim@montreuil.fr")
    get_page(client, "/espace/effacement")
    response = client.submit("/espace/effacement", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) == 2  # statistics kept
    assert db.session.scalar(sa.select(Member).where(Member.email.like("%karim%"))) is None
    assert db.session.scalar(sa.select(User).where(User.email == "karim@montreuil.fr")) is None
    assert client.get("/espace").status_code == 302  # logged out, account closed


def test_referent_must_hand_over_before_erasure(client, active_collectivity, db):
    client.login("helene@montreuil.fr")
    response = client.submit("/espace/effacement", {}, follow_redirects=True)
    assert "transmettez d" in response.get_data(as_text=True).lower() or "Transmettez" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(User).where(User.email == "helene@montreuil.fr")) is not None


def test_directory_filters_people_by_declared_interest(client, active_collectivity, db):
    client.login("helene@montreuil.fr")
    client.submit(
        "/espace/profil",
        {"first_name": "Hélène", "last_name": "Durand", "show_in_directory": "y", "interests": ["achats_responsables"]},
    )
    db.session.expire_all()
    helene = db.session.scalar(sa.select(Member).where(Member.first_name == "Hélène"))
    assert helene.interests == ["achats_responsables"]
    found = get_page(client, "/annuaire?interet=achats_responsables").get_data(as_text=True)
    assert "Hélène Durand" in found and "Achats responsables" in found
    none = get_page(client, "/annuaire?interet=foncier_tiers_lieux").get_data(as_text=True)
    assert "Hélène Durand" not in none and "Montreuil" not in none


def test_the_directory_kept_for_members_is_never_shown_to_others_and_follows_a_change_at_once(
    app, client, active_collectivity, make_user, db
):
    """The directory's list is rendered once for every member: a signed-in person who is no member, and a
    visitor, still get the list without people, and a person who leaves the directory leaves it for everyone."""
    make_user(email="curieux@example.org")  # an account of no collectivity
    stranger = app.test_client()
    stranger.login("curieux@example.org")
    client.login("karim@montreuil.fr")
    assert "helene@montreuil.fr" in client.get("/annuaire").get_data(as_text=True)
    html = stranger.get("/annuaire").get_data(as_text=True)
    assert "Montreuil" in html and "Hélène" not in html and "helene@montreuil.fr" not in html
    assert "Hélène" not in app.test_client().get("/annuaire").get_data(as_text=True)
    helene = db.session.scalar(sa.select(Member).where(Member.first_name == "Hélène"))
    helene.show_in_directory = False
    db.session.commit()
    assert "Hélène" not in client.get("/annuaire").get_data(as_text=True)
