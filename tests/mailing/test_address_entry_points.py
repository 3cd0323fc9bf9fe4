"""Every place an address enters the platform refuses what the relay cannot take (accents before the @),
keeps what was typed, and stores the rest in one form (lower case, punycode domain)."""

import io

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Registration
from clubess.members.models import Member
from clubess.press.models import PressContact
from tests.pages import press_confirmation

ZOE = "zoé@exemple.fr"
REFUSED = "sans accent avant le « @ »"


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _refused(response, typed=ZOE) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200, response.status_code
    assert REFUSED in html
    assert f'value="{typed}"' in html  # what was typed is kept
    return html


def test_press_subscription(client, db):
    _refused(client.submit("/presse/abonnement", {"email": ZOE, "consent": "y"}))
    assert _count(db, PressContact) == 0 and _count(db, OutboxMessage) == 0

    assert client.submit("/presse/abonnement", {"email": " Zoe@Exemplé.FR ", "consent": "y"}).status_code == 200
    assert db.session.scalars(sa.select(PressContact.email)).all() == ["zoe@xn--exempl-gva.fr"]
    assert db.session.scalars(sa.select(OutboxMessage.recipient)).all() == ["zoe@xn--exempl-gva.fr"]


def _apply(client, territory, **fields):
    data = {
        "kind": "elu",
        "first_name": "Zoé",
        "last_name": "Durand",
        "email": "zoe@montreuil.fr",
        "territory_id": str(territory.id),
        "territory_query": territory.name,
        "consent": "y",
        "action": "submit",
        **fields,
    }
    return client.submit("/adherer", data)


def test_application_referent_and_every_other_person(client, db, territories):
    _refused(_apply(client, territories["93048"], email=ZOE))
    others = {"others-0-kind": "agent", "others-0-first_name": "Léa", "others-0-last_name": "Martin"}
    _refused(
        _apply(client, territories["93048"], **others, **{"others-0-email": "léa@montreuil.fr"}), "léa@montreuil.fr"
    )
    assert _count(db, Member) == 0

    assert _apply(client, territories["93048"], email="Zoe@Montreuil.FR").status_code == 302
    assert db.session.scalars(sa.select(Member.email)).all() == ["zoe@montreuil.fr"]


def test_request_to_be_added_by_the_referent(client, db, active_collectivity):
    url = f"/adherer/demande-ajout/{active_collectivity.id}"
    _refused(client.submit(url, {"name": "Zoé Martin", "email": ZOE}, form_url="/adherer"))
    assert _count(db, OutboxMessage) == 0


def test_guest_registration(client, db, open_meeting):
    meeting = open_meeting(audience="public", capacity=5)
    url = f"/rencontres/{meeting.id}/inscription-publique"
    _refused(client.submit(url, {"name": "Zoé Martin", "email": ZOE, "mode": "in_person"}))
    assert _count(db, Registration) == 0 and _count(db, OutboxMessage) == 0


def test_invitations_pasted_list(client, db, people, open_meeting, coordinator):
    meeting = open_meeting(audience="public")
    client.login(coordinator.email)
    page = client.submit(
        f"/coordination/rencontres/{meeting.id}/inviter",
        {"people": "all", "action": "preview", "pasted": f"{ZOE}\nAna <Ana@Exemplé.fr>"},
    ).get_data(as_text=True)
    assert "1 destinataire" in page
    assert f"Adresses non valides, ignorées : {ZOE}" in page


def test_press_contact_form_and_csv_import(client, db, coordinator, territories):
    client.login(coordinator.email)
    form = {"name": "Zoé", "outlet": "Libération", "outlet_kind": "nationale", "email": ZOE}
    _refused(client.submit("/coordination/presse/contacts/nouveau", {**form, "legal_basis": "interet_legitime"}))
    csv = f"Nom;Média;Email\nZoé;Libération;{ZOE}\nAna;Le Monde;ana@lemonde.example.org\n"
    report = press_confirmation(
        client,
        client.submit(
            "/coordination/presse/contacts/import",
            {"file": (io.BytesIO(csv.encode()), "contacts.csv"), "legal_basis": "interet_legitime"},
            content_type="multipart/form-data",
        ),
    ).get_data(as_text=True)
    assert "1 ligne refusée" in report and REFUSED in report
    assert db.session.scalars(sa.select(PressContact.email)).all() == ["ana@lemonde.example.org"]


def test_member_area_person_form(client, db, active_collectivity):
    client.login("helene@montreuil.fr")
    url = "/espace/collectivite/personnes/nouvelle"
    _refused(client.submit(url, {"kind": "agent", "first_name": "Zoé", "last_name": "Martin", "email": ZOE}))
    assert _count(db, Member) == 2


def test_a_person_stored_before_the_rule_stays_editable(client, db, active_collectivity):
    """Older rows may hold such an address: the référent can still edit the person (the address is not theirs
    to change); only an address typed now is checked."""
    karim = db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))
    karim.email = "karîm@montreuil.fr"
    db.session.commit()
    client.login("helene@montreuil.fr")
    url = f"/espace/collectivite/personnes/{karim.id}/modifier"
    response = client.submit(url, {"kind": "agent", "first_name": "Karim", "last_name": "Benali", "function": "DGA"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Member, karim.id).function == "DGA"


def test_accounts_created_from_the_command_line(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", ZOE, "--send-reset"])
    assert result.exit_code != 0 and REFUSED in result.output
    assert _count(db, User) == 0
    result = app.test_cli_runner().invoke(args=["users", "create", "Zoe@Exemplé.fr", "--send-reset"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(sa.select(User.email)).all() == ["zoe@xn--exempl-gva.fr"]


def test_password_reset_and_login_forms_answer_without_error_or_leak(client, db, make_user):
    make_user(email="zoe@xn--exempl-gva.fr")
    _refused(client.submit("/connexion/mot-de-passe-oublie", {"email": ZOE}))
    assert _count(db, OutboxMessage) == 0
    login = client.submit("/connexion", {"email": ZOE, "password": "un mot de passe solide"})
    assert login.status_code == 200 and "Adresse électronique ou mot de passe incorrect." in login.get_data(
        as_text=True
    )
    # the same person typing the domain with its accent finds their account
    assert (
        client.submit("/connexion", {"email": "Zoe@Exemplé.fr", "password": "un mot de passe solide"}).status_code
        == 302
    )
