"""Handing the référent role over, leaving the club, approving and rejecting: a page says what changes first."""

import pytest
import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.core.errors import DomainError
from clubess.members.models import Collectivity, Member
from tests.pages import effects_of, get_page


@pytest.fixture
def colleagues(db, active_collectivity, make_user):
    """Besides Hélène (référente) and Karim (active account): Léa has no account, Marc was sent his welcome
    link but never chose a password, Nina's account is disabled, Omar's mandate ended."""
    from datetime import date

    marc_user = make_user(email="marc@montreuil.fr", password_hash=None, email_verified_at=None)
    nina_user = make_user(email="nina@montreuil.fr", is_enabled=False)
    omar_user = make_user(email="omar@montreuil.fr")
    people = {
        "lea": Member(collectivity=active_collectivity, kind="agent", first_name="Léa", last_name="Aubry",
                      email="lea@montreuil.fr"),
        "marc": Member(collectivity=active_collectivity, kind="agent", first_name="Marc", last_name="Blanc",
                       email="marc@montreuil.fr", user=marc_user),
        "nina": Member(collectivity=active_collectivity, kind="elu", first_name="Nina", last_name="Chevalier",
                       email="nina@montreuil.fr", user=nina_user),
        "omar": Member(collectivity=active_collectivity, kind="elu", first_name="Omar", last_name="Diallo",
                       email="omar@montreuil.fr", user=omar_user, mandate_end_on=date(2026, 1, 1)),
    }  # fmt: skip
    db.session.add_all(people.values())
    db.session.commit()
    return people


def _referent(db, collectivity) -> str:
    db.session.expire_all()
    return db.session.get(Collectivity, collectivity.id).referent.first_name


def test_the_handover_offers_only_active_accounts_and_chooses_nobody_for_you(
    client, db, active_collectivity, colleagues
):
    client.login("helene@montreuil.fr")
    page = get_page(client, "/espace/collectivite").get_data(as_text=True)
    select = page.split("<select", 1)[1].split("</select>", 1)[0]
    options = [o.split(">", 1)[1] for o in select.split("<option")[1:]]
    assert [o.split("</option")[0] for o in options] == [
        "— Choisissez une personne —",
        "Karim Benali — Chargé de mission ESS",
    ]
    assert "selected" not in select.split("Karim")[0].split("<option")[-1]  # nobody prefilled
    assert "Pas encore activés (la personne choisit son mot de passe depuis le courriel reçu) : Léa Aubry, " in page
    assert "Nina" in page.split("Pas encore activés")[1] and "Omar" not in page.split("Pas encore activés")[1]

    blank = get_page(client, "/espace/collectivite/referent?member_id=").get_data(as_text=True)
    assert "Choisissez la personne à qui transmettre le rôle." in blank
    for key in ("lea", "marc", "nina", "omar"):
        refused = get_page(client, f"/espace/collectivite/referent?member_id={colleagues[key].id}")
        assert "Ce qui va se passer" not in refused.get_data(as_text=True)
    assert _referent(db, active_collectivity) == "Hélène"


def test_the_service_refuses_an_account_never_activated(db, active_collectivity, colleagues):
    from clubess.members.referent import hand_over_referent

    helene = active_collectivity.referent.user
    for key in ("lea", "marc", "nina", "omar"):
        with pytest.raises(DomainError):
            hand_over_referent(helene, active_collectivity, colleagues[key])
    assert _referent(db, active_collectivity) == "Hélène"


def test_the_handover_page_says_what_changes_for_both_then_hands_over_and_is_audited(
    client, db, active_collectivity, colleagues
):
    karim = db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))
    helene_id = active_collectivity.referent_id
    client.login("helene@montreuil.fr")
    page = get_page(client, f"/espace/collectivite/referent?member_id={karim.id}").get_data(as_text=True)
    assert "Transmettre le rôle de référent à Karim Benali ?" in page
    effects = effects_of(page)
    assert effects[0].startswith("Karim Benali devient référent·e de Montreuil : cette personne gère ses élus")
    assert effects[1].startswith("Vous (Hélène Durand) restez membre de la collectivité avec votre compte, mais vous")
    assert "seul·e Karim Benali pourra vous rendre ce rôle" in effects[1]
    assert _referent(db, active_collectivity) == "Hélène"  # asking changed nothing

    client.confirm(f"/espace/collectivite/referent?member_id={karim.id}")
    assert _referent(db, active_collectivity) == "Karim"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "collectivity.referent_changed"))
    assert event.details == {"before": helene_id, "after": karim.id}
    assert "Transmettre le rôle" not in client.get("/espace/collectivite").get_data(as_text=True)  # no longer hers


def test_leaving_the_club_counts_the_accounts_it_closes(client, db, active_collectivity, colleagues):
    client.login("helene@montreuil.fr")
    page = get_page(client, "/espace/collectivite/quitter").get_data(as_text=True)
    # open accounts: Hélène, Karim, Marc (not activated, but open) and Omar; Nina's is closed already
    assert effects_of(page)[0] == "4 comptes seront fermés : ces personnes ne pourront plus se connecter."
    assert "nina@montreuil.fr" not in page
    db.session.expire_all()
    assert db.session.get(Collectivity, active_collectivity.id).status == "active"
    client.confirm("/espace/collectivite/quitter")
    db.session.expire_all()
    assert db.session.get(Collectivity, active_collectivity.id).status == "left"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "collectivity.left"))
    assert event.details == {"accounts": 4}


def test_approving_and_rejecting_are_confirmed_with_who_gets_mail(client, db, territories, coordinator):
    pending = Collectivity(territory=territories["94038"], status="pending")
    db.session.add(pending)
    db.session.add_all(
        [
            Member(collectivity=pending, kind="elu", first_name="Paul", last_name="Roux", email="paul@lhay.fr"),
            Member(collectivity=pending, kind="agent", first_name="Rita", last_name="Sow", email="rita@lhay.fr"),
        ]
    )
    db.session.flush()
    pending.referent = pending.members[0]
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/adhesions/{pending.id}"
    assert f'href="{url}/approuver"' in get_page(client, url).get_data(as_text=True)
    page = get_page(client, f"{url}/approuver").get_data(as_text=True)
    assert "2 personnes reçoivent un compte et un courriel pour choisir leur mot de passe." in effects_of(page)
    assert "Paul Roux &lt;paul@lhay.fr&gt;" in page and "Rita Sow &lt;rita@lhay.fr&gt;" in page

    page = client.submit(f"{url}/refuser", {"reason": "Hors région"}, form_url=url).get_data(as_text=True)
    assert "Paul Roux (paul@lhay.fr) reçoit un courriel avec votre raison : « Hors région »" in effects_of(page)
    db.session.expire_all()
    assert db.session.get(Collectivity, pending.id).status == "pending"
    client.confirm(f"{url}/refuser", {"reason": "Hors région"}, form_url=url)
    db.session.expire_all()
    assert db.session.get(Collectivity, pending.id).status == "rejected"
