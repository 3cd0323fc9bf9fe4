"""The suppression list: an unsubscribe or a hard bounce is recorded for any address, member or not; every
audience leaves it out, the worker checks it again before sending, and only the person comes back."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from clubess.mailing.models import Scope, Suppression
from clubess.mailing.services import unsubscribe_headers
from clubess.members.models import Member
from clubess.press.models import ContactStatus, PressContact
from tests.fixtures_press import send_all
from tests.pages import get_page, press_confirmation

ANA = "ana@coop.example.org"


def _invite(client, meeting, pasted: str, action: str = "send", expected: int | None = None):
    data = {"people": "all", "pasted": pasted, "action": action}
    if expected is not None:
        data["expected"] = str(expected)
    return client.submit(f"/coordination/rencontres/{meeting.id}/inviter", data)


def _suppressions(db):
    db.session.expire_all()
    return [(s.email, s.scope, s.reason) for s in db.session.scalars(sa.select(Suppression).order_by(Suppression.id))]


def test_a_pasted_invitee_who_unsubscribes_gets_neither_the_queued_invitation_nor_later_ones(
    app, client, db, open_meeting, coordinator, smtp, deliver
):
    first, second, third = (open_meeting(audience="public", title=t) for t in ("Première", "Deuxième", "Troisième"))
    client.login(coordinator.email)
    assert _invite(client, first, f"Ana Lopes <{ANA}>", expected=1).status_code == 302
    deliver()
    link = smtp.local_path(smtp.to(ANA)[0]["List-Unsubscribe"].strip("<>"))
    assert _invite(client, second, ANA, expected=1).status_code == 302  # queued, not sent yet

    response = app.test_client().post(link, data={"List-Unsubscribe": "One-Click"})  # what Gmail sends

    assert response.status_code == 204
    assert _suppressions(db) == [(ANA, "invitations", "unsubscribed")]
    smtp.clear()
    assert deliver() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 1}  # the queued one does not go
    assert smtp.messages == []
    page = _invite(client, third, f"{ANA}\nbea@coop.example.org", action="preview").get_data(as_text=True)
    assert "1 destinataire" in page
    assert f"Désabonnées des invitations, ignorées : {ANA}" in page


def test_the_page_s_button_records_it_too_and_a_member_s_preference_follows(app, db, people):
    with app.test_request_context():
        url, _headers = unsubscribe_headers("Paul@Lhay.fr", Scope.INVITATIONS)
    anonymous = app.test_client()
    page = get_page(anonymous, url.removeprefix("http://localhost")).get_data(as_text=True)
    assert "invitations aux rencontres" in page and _suppressions(db) == []  # a GET only asks

    assert anonymous.post(url.removeprefix("http://localhost")).status_code == 200
    assert _suppressions(db) == [("paul@lhay.fr", "invitations", "unsubscribed")]
    assert db.session.get(Member, people["paul"].id).wants_invitations is False
    assert anonymous.post(url.removeprefix("http://localhost")).status_code == 200  # twice is harmless
    assert len(_suppressions(db)) == 1


def test_a_pasted_member_who_turned_invitations_off_is_left_out(client, db, people, open_meeting, coordinator):
    """The same rule for a member's own preference, which the pasted list used to ignore."""
    people["paul"].wants_invitations = False
    db.session.commit()
    client.login(coordinator.email)
    page = _invite(client, open_meeting(), "paul@lhay.fr\nleo@saint-ouen.fr", action="preview").get_data(as_text=True)
    assert "1 destinataire" in page and "Léo Petit" in page
    assert "Désabonnées des invitations, ignorées : paul@lhay.fr" in page


def test_a_hard_bounce_of_an_invitation_suppresses_the_address_for_invitations_only(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    smtp.handler.refuse.add(ANA)
    client.login(coordinator.email)
    _invite(client, open_meeting(audience="public"), f"{ANA}\npaul@lhay.fr", expected=2)
    assert deliver() == {"sent": 1, "retry": 0, "failed": 1, "skipped": 0}
    [(email, scope, reason)] = _suppressions(db)
    assert (email, scope, reason) == (ANA, "invitations", "bounced")
    page = _invite(client, open_meeting(title="Suivante", audience="public"), ANA, action="preview")
    assert "Aucun nouveau destinataire" in page.get_data(as_text=True)


def test_a_press_contact_s_bounce_holds_the_contact_not_the_suppression_list(
    client, db, coordinator, make_contact, make_communique, smtp, deliver
):
    make_contact("alice@parisien.example.org")
    smtp.handler.refuse.add("alice@parisien.example.org")
    client.login(coordinator.email)
    send_all(client, make_communique().id)
    deliver()
    db.session.expire_all()
    assert db.session.scalar(sa.select(PressContact.status)) == ContactStatus.BOUNCED
    assert _suppressions(db) == []  # a coordinator may reactivate a fixed address


def test_an_address_that_left_the_communiques_is_not_resubscribed_by_erasure_and_import(
    app, client, db, coordinator, make_contact, make_communique, smtp, deliver
):
    make_contact("alice@parisien.example.org")
    make_contact("bob@humanite.example.org")
    client.login(coordinator.email)
    send_all(client, make_communique().id)
    deliver()
    link = smtp.link_path(smtp.to("alice@parisien.example.org")[0], "/desabonnement/")
    app.test_client().post(link)
    alice = db.session.scalar(sa.select(PressContact).where(PressContact.email == "alice@parisien.example.org"))
    client.confirm(f"/coordination/presse/contacts/{alice.id}/supprimer")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PressContact)) == 1  # erased

    csv = "Nom;Média;Email\nAlice;Le Parisien;Alice@Parisien.example.org\n"
    press_confirmation(
        client,
        client.submit(
            "/coordination/presse/contacts/import",
            {"file": (io.BytesIO(csv.encode()), "contacts.csv"), "legal_basis": "interet_legitime"},
            content_type="multipart/form-data",
        ),
    )
    db.session.expire_all()
    reimported = db.session.scalar(sa.select(PressContact).where(PressContact.email == "alice@parisien.example.org"))
    assert reimported.status == ContactStatus.UNSUBSCRIBED
    smtp.clear()
    assert send_all(client, make_communique("Deuxième").id) == 1
    deliver()
    assert [m["To"] for m in smtp.messages] == ["bob@humanite.example.org"]


def test_an_active_contact_on_the_list_is_skipped_by_the_send_and_by_the_worker(
    client, db, coordinator, make_contact, make_communique, smtp, deliver
):
    """The list is read by the segment's count and again at delivery, whatever the contact's status says."""
    make_contact("alice@parisien.example.org")
    make_contact("bob@humanite.example.org")
    client.login(coordinator.email)
    communique = make_communique()
    send_all(client, communique.id)  # queued for both
    db.session.add(Suppression(email="alice@parisien.example.org", scope="communiques", reason="unsubscribed"))
    db.session.commit()
    assert deliver() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 1}
    assert send_all(client, make_communique("Deuxième").id) == 1


def test_only_the_person_comes_back_by_subscribing_again_and_confirming(
    app, client, db, coordinator, make_contact, make_communique, smtp, deliver
):
    make_contact("alice@parisien.example.org", status=ContactStatus.UNSUBSCRIBED.value)
    db.session.add(Suppression(email="alice@parisien.example.org", scope="communiques", reason="unsubscribed"))
    db.session.commit()
    visitor = client.application.test_client()
    visitor.submit("/presse/abonnement", {"email": "alice@parisien.example.org", "consent": "y"})
    assert len(_suppressions(db)) == 1  # asking is not enough: the mailbox must confirm
    deliver()
    confirm = smtp.link_path(smtp.to("alice@parisien.example.org")[0], "/presse/abonnement/")
    visitor.submit(confirm, {})
    assert _suppressions(db) == []
    client.login(coordinator.email)
    smtp.clear()
    assert send_all(client, make_communique().id) == 1
    deliver()
    assert len(smtp.to("alice@parisien.example.org")) == 1


def test_a_member_ticking_invitations_again_comes_back(client, db, active_collectivity):
    helene = db.session.scalar(sa.select(Member).where(Member.first_name == "Hélène"))
    helene.wants_invitations = False
    db.session.add(Suppression(email="helene@montreuil.fr", scope="invitations", reason="unsubscribed"))
    db.session.commit()
    client.login("helene@montreuil.fr")
    response = client.submit(
        "/espace/profil",
        {
            "first_name": "Hélène",
            "last_name": "Durand",
            "wants_invitations": "y",
            "show_in_directory": "y",
            "wants_followup": "y",  # ticked on the page: she stays on the meetings' follow-up list
        },
    )
    assert response.status_code == 302
    assert _suppressions(db) == []


def test_coordinators_see_the_list_by_scope_with_counts(client, db, coordinator, make_user, count_queries):
    rows = [
        ("a@example.org", "invitations", "unsubscribed"),
        ("b@example.org", "invitations", "bounced"),
        ("c@example.org", "communiques", "unsubscribed"),
        ("d@example.org", "digest", "unsubscribed"),
    ]
    db.session.add_all(Suppression(email=e, scope=s, reason=r) for e, s, r in rows)
    db.session.commit()
    client.login(coordinator.email)
    with count_queries() as counter:
        page = get_page(client, "/coordination/courriels/desabonnements?liste=invitations").get_data(as_text=True)
    assert counter.count <= 6, counter.statements
    assert "a@example.org" in page and "b@example.org" in page and "c@example.org" not in page
    assert "Adresse refusée par le serveur" in page
    # counts per list and reason (unsubscribed, bounced, erased): Invitations 1 + 1 + 0 = 2, Communiqués 1,
    # Lettre des membres 1
    counts = re.findall(
        r'<th scope="row"><a [^>]*>([^<]+)</a></th>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>\s*<td>(\d+)</td>',
        page,
    )
    assert counts == [
        ("Invitations", "1", "1", "0", "2"),
        ("Communiqués de presse", "1", "0", "0", "1"),
        ("Lettre des membres", "1", "0", "0", "1"),
        ("Suivi des rencontres (comptes rendus, questionnaires)", "0", "0", "0", "0"),
    ]
    found = get_page(client, "/coordination/courriels/desabonnements?q=C%40EX").get_data(as_text=True)
    assert "c@example.org" in found and "a@example.org" not in found

    member = make_user(email="membre@example.org")
    other = client.application.test_client()
    other.login(member.email)
    assert other.get("/coordination/courriels/desabonnements").status_code == 403


def test_reminders_and_calendar_updates_leave_an_unsubscribed_invitee_out(
    app, client, db, open_meeting, coordinator, smtp, deliver
):
    from clubess.mailing.models import OutboxMessage
    from clubess.meetings.models import Invitation
    from tests.fixtures_meetings import meeting_form

    meeting = open_meeting(audience="public")
    client.login(coordinator.email)
    _invite(client, meeting, f"{ANA}\nbea@coop.example.org", expected=2)
    deliver()
    app.test_client().post(smtp.local_path(smtp.to(ANA)[0]["List-Unsubscribe"].strip("<>")))
    for invitation in db.session.scalars(sa.select(Invitation)):
        invitation.invited_at = invitation.invited_at - timedelta(days=2)
    db.session.commit()

    client.confirm(f"/coordination/rencontres/{meeting.id}/invitations", {})  # remind those who did not answer
    assert (
        client.confirm(f"/coordination/rencontres/{meeting.id}", meeting_form(meeting, start_time="10:00")).status_code
        == 302
    )

    db.session.expire_all()
    queued = db.session.scalars(sa.select(OutboxMessage.recipient).where(OutboxMessage.status == "queued")).all()
    assert sorted(queued) == ["bea@coop.example.org", "bea@coop.example.org"]  # her reminder and her update


def test_a_link_that_reaches_the_mailbox_lifts_a_bounce(app, client, db, make_user, smtp):
    make_user(email="helene@montreuil.fr")
    db.session.add_all(
        [
            Suppression(email="helene@montreuil.fr", scope="invitations", reason="bounced"),
            Suppression(email="helene@montreuil.fr", scope="communiques", reason="unsubscribed"),
        ]
    )
    db.session.commit()
    client.submit("/connexion/mot-de-passe-oublie", {"email": "helene@montreuil.fr"})
    from clubess.mailing.worker import send_pending

    with app.app_context():
        send_pending()
    path = smtp.link_path(smtp.to("helene@montreuil.fr")[0], "/nouveau-mot-de-passe/")
    client.submit(path, {"password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"})
    assert _suppressions(db) == [("helene@montreuil.fr", "communiques", "unsubscribed")]  # her choice stays


def test_links_already_mailed_keep_working_and_every_list_can_be_left(app, db, make_contact):
    """Communiqués mailed before the list had its name carry the scope "press"; the digest has no sender
    yet, but its address can already leave it."""
    from clubess.core.tokens import make_token

    make_contact("alice@parisien.example.org")
    anonymous = app.test_client()
    for scope, email in (("press", "alice@parisien.example.org"), ("digest", "bea@example.org")):
        token = make_token("unsubscribe", {"s": scope, "e": email})
        assert anonymous.post(f"/desabonnement/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 204
    assert _suppressions(db) == [
        ("alice@parisien.example.org", "communiques", "unsubscribed"),
        ("bea@example.org", "digest", "unsubscribed"),
    ]
    assert db.session.scalar(sa.select(PressContact.status)) == ContactStatus.UNSUBSCRIBED
    token = make_token("unsubscribe", {"s": "newsletter", "e": "bea@example.org"})
    assert anonymous.post(f"/desabonnement/{token}").status_code == 400
