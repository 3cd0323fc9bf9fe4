"""RGPD erasure: after `/espace/effacement`, no table holds the person's address or name, nothing is sent to
them any more, and the history stays readable ("personne effacée #id")."""

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.core.audit import AuditEvent
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Invitation, Registration
from clubess.members.models import Member
from clubess.practices.models import Practice, PracticeRevision, Problem
from clubess.press.models import Delivery, PressContact
from tests.members.conftest import EMAIL, grep_database
from tests.pages import get_page


def _erase(client):
    client.login(EMAIL)
    get_page(client, "/espace/effacement")
    response = client.submit("/espace/effacement", {})
    assert response.status_code == 302
    return response


def test_after_erasure_no_table_holds_the_address_or_the_names(client, karim_everywhere, db):
    assert len(grep_database(db)) > 20  # the fixture really spread him everywhere
    _erase(client)
    assert grep_database(db) == []


def test_erasure_keeps_who_did_what_as_an_erased_person(client, karim_everywhere, db):
    k = karim_everywhere
    assert client.get("/api/v1/practices?q=Benali").json["results"]  # he was the contact named in the text
    _erase(client)
    assert client.get("/api/v1/practices?q=Benali").json["results"] == []  # the search index forgot him
    assert client.get("/api/v1/practices?q=recyclerie").json["results"]  # the practice itself is still found
    db.session.expire_all()
    label = f"personne effacée #{k.user_id}"
    actions = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.actor_id == k.user_id)).all()
    assert actions and {a.actor_label for a in actions} == {label}
    assert "member.profile_updated" in {a.action for a in actions}
    revisions = db.session.scalars(sa.select(PracticeRevision).where(PracticeRevision.author_id == k.user_id)).all()
    assert revisions and {r.author_label for r in revisions} == {label}
    # The practice belongs to the collectivity: it stays published, without him as contact.
    practice = db.session.get(Practice, k.practice)
    assert practice.status == "published" and practice.contact_member_id is None
    assert practice.description == f"Contact : {label} ({label}, {label})."
    # The commitment belongs to the collectivity: it stays, without him in charge; his line of history stays too.
    from clubess.commitments.models import Commitment, CommitmentChange

    commitment = db.session.get(Commitment, k.commitment)
    assert commitment.responsible_id is None and commitment.responsible_name == label
    assert commitment.success == f"{label} présente le bilan en conseil."
    lines = db.session.scalars(sa.select(CommitmentChange).where(CommitmentChange.commitment_id == k.commitment)).all()
    assert {c.author_label for c in lines if c.author_id == k.user_id} == {label}
    # Statistics stay: his presence at the held meeting still counts.
    past = db.session.get(Registration, k.past)
    assert past.status == "registered" and past.attendance == "present" and past.name == label
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) == 5


def test_erasure_cancels_registrations_and_the_freed_place_goes_to_the_next_in_line(
    client, karim_everywhere, db, deliver, smtp
):
    from clubess.meetings import seats
    from clubess.meetings.models import Meeting

    k = karim_everywhere
    deliver()
    smtp.clear()
    _erase(client)
    db.session.expire_all()
    assert db.session.get(Registration, k.waiting).status == "cancelled"
    assert db.session.get(Registration, k.guest).status == "cancelled"
    # Sofia gives up her seat: Hélène, behind Karim in the queue, is offered it; Karim is never offered it.
    sofia_seat = db.session.scalar(
        sa.select(Registration).where(Registration.meeting_id == k.meetings.full, Registration.status == "registered")
    )
    seats.withdraw(sofia_seat)
    db.session.commit()
    assert db.session.get(Registration, k.helene_waiting).status == "offered"
    deliver()
    assert smtp.to("helene@montreuil.fr")
    assert smtp.to(EMAIL) == []
    # A later change of the meeting mails everyone holding it, never him.
    meeting = db.session.get(Meeting, k.meetings.invited_to)
    from clubess.meetings.notifications import queue_update

    queue_update(meeting)
    db.session.commit()
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(OutboxMessage.status == "queued", OutboxMessage.recipient.like("%invalid"))
    )


def test_erasure_cancels_the_mail_waiting_for_the_person_and_the_worker_sends_none(
    client, karim_everywhere, db, deliver, smtp
):
    k = karim_everywhere
    queued = db.session.scalar(
        sa.select(sa.func.count()).where(OutboxMessage.recipient == EMAIL, OutboxMessage.status == "queued")
    )
    assert queued >= 3  # waiting list, guest confirmation, invitation
    _erase(client)
    deliver()
    assert smtp.to(EMAIL) == []
    db.session.expire_all()
    for message_id in k.mails:
        message = db.session.get(OutboxMessage, message_id)
        assert message.status in ("cancelled", "sent")
        assert message.body_text == "" and message.body_html is None and message.attachments == []
        assert message.headers == {} and message.recipient.endswith("@invalid")
    invitation = db.session.get(Invitation, k.invitation)
    assert invitation.response == "declined" and invitation.email.endswith("@invalid")


def test_no_audience_selects_an_erased_person(client, karim_everywhere, db, coordinator):
    from clubess.meetings import invitations
    from clubess.meetings.models import Meeting
    from clubess.press import contacts

    k = karim_everywhere
    _erase(client)
    db.session.expire_all()
    meeting = db.session.get(Meeting, k.meetings.public)
    preview = invitations.resolve_audience(coordinator, meeting, invitations.AudienceSpec())
    assert all(not r.email.endswith("@invalid") and r.member_id != k.member_id for r in preview.recipients)
    assert [email for _id, email in contacts.recipients(contacts.Segment())] == []
    assert db.session.get(PressContact, k.contact) is None and db.session.get(Delivery, k.delivery) is None
    problem = db.session.get(Problem, k.problem)
    assert problem.followed is False and problem.notify is False
    member = db.session.get(Member, k.member_id)
    assert not member.wants_invitations and not member.wants_news
    user = db.session.get(User, k.user_id)
    assert user.calendar_token is None and not user.is_enabled and user.password_hash is None
    assert client.get("/agenda/" + "k" * 40 + ".ics").status_code == 404


def test_the_erasure_page_says_what_goes_and_what_stays(client, karim_everywhere):
    client.login(EMAIL)
    page = " ".join(get_page(client, "/espace/effacement").get_data(as_text=True).split())
    # hand-counted in the fixture: the waiting list of March and the guest request of the forum; the
    # invitation to May's workshop; the three mails still queued (waiting list, guest, invitation)
    for words in (
        "Vos 2 inscriptions aux rencontres à venir sont annulées, y compris les places sur liste d’attente",
        "Votre invitation encore sans réponse est déclinée.",
        "Les 3 courriels en attente d’envoi vers votre adresse sont annulés.",
        "votre fiche de contact presse à la même adresse",
        f"« personne effacée #{karim_everywhere.user_id} »",
        "La bonne pratique que vous avez rédigée ou dont vous étiez le contact",
        "Vos présences aux rencontres passées",
    ):
        assert words in page, words


def test_the_erasure_page_of_someone_with_nothing_pending_says_so(client, active_collectivity):
    client.login(EMAIL)
    page = get_page(client, "/espace/effacement").get_data(as_text=True)
    assert "Vous n’avez pas d’inscription à une rencontre à venir" in page
    assert "contact presse" not in page


def test_an_erased_person_objects_to_every_list_and_the_list_keeps_no_address(
    client, karim_everywhere, db, coordinator, make_meeting
):
    """The suppression list outlives the erasure as a fingerprint: his earlier opt-out and his objection hold
    (a coordinator pasting his address later invites nobody), yet the address is in no table."""
    from clubess.mailing import suppression
    from clubess.meetings.invitations import AudienceSpec, resolve_audience

    suppression.suppress(EMAIL, "communiques", "bounced", detail=f"550 <{EMAIL}>: no such mailbox")
    db.session.commit()
    _erase(client)
    assert grep_database(db) == []
    for scope in ("invitations", "communiques", "digest", "suivi"):
        assert suppression.is_suppressed("Karim@Montreuil.fr", scope)
    public = make_meeting(day=(2027, 5, 20), audience="public", title="Forum public")
    preview = resolve_audience(coordinator, public, AudienceSpec(use_members=False, pasted=f"Karim <{EMAIL}>"))
    assert preview.recipients == [] and preview.unsubscribed == [EMAIL]
    client.login(coordinator.email)
    page = client.get("/coordination/courriels/desabonnements").get_data(as_text=True)
    assert page.count("adresse effacée (seule son empreinte reste)") == 4
    assert "Données effacées à la demande de la personne" in page


def test_coming_back_with_the_same_address_lifts_the_fingerprint(db):
    """An erased person who joins again and asks for invitations gets them: lifting matches the fingerprint."""
    from clubess.mailing import suppression

    suppression.forget_addresses(["zoe@bondy.fr"], keep_objection=True)
    assert suppression.is_suppressed("zoe@bondy.fr", "invitations")
    assert suppression.lift("zoe@bondy.fr", "invitations") == 1
    assert not suppression.is_suppressed("zoe@bondy.fr", "invitations")
    assert suppression.is_suppressed("zoe@bondy.fr", "communiques")


def test_erasure_keeps_the_meetings_follow_up_without_the_person(client, karim_everywhere, db):
    """His workshop contribution, his questionnaire answer and the minutes version he wrote stay in the club's
    record (counts and results do not change), no longer linked to his account."""
    from clubess.meetings.followup_models import Contribution, MinutesRevision, SurveyAnswer

    _erase(client)
    db.session.expire_all()
    contribution = db.session.scalar(sa.select(Contribution))
    revision = db.session.scalar(sa.select(MinutesRevision))
    assert contribution.author_id is None and contribution.title == "Locaux"
    assert revision.author_id is None and revision.author_name.startswith("personne effacée #")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)) == 1
