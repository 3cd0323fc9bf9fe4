"""`flask retention run` applies each period of /confidentialite: rows just past a limit go, rows just short
of it stay, the command prints what it did per kind, and a second run does nothing more.

The periods are the unusual ones of `odd_periods` (7 months for guests, 2 years for members' registrations,
11 months after a mandate, 5 months after a rejection, 3 and 2 days for confirmation links, 2 years for
press contacts, 45 days for mail, 4 years for the audit log); each fixture row sits 10 to 30 days (or one
day, for links) on either side of its limit.
"""

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.core.audit import AuditEvent
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Invitation, Meeting, Registration
from clubess.members.models import Collectivity, Member
from clubess.press.models import Delivery, PressContact
from tests.members.conftest import grep_database
from tests.retention.conftest import days_ago


def _meeting(db, ended_days_ago: float, title: str) -> Meeting:
    meeting = Meeting(
        kind="rencontre",
        title=title,
        starts_at=days_ago(ended_days_ago + 0.2),
        ends_at=days_ago(ended_days_ago),
        status="held",
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _registration(meeting, email, name, guest=False, member=None, **fields) -> Registration:
    return Registration(
        meeting=meeting,
        email=email,
        name=name,
        is_guest=guest,
        member_id=member.id if member else None,
        collectivity_id=member.collectivity_id if member else None,
        **{"organisation": "Atelier Zébulon" if guest else "Montreuil", **fields},
    )


def test_meeting_data_goes_at_the_end_of_its_period(db, people, odd_periods, run_retention):
    karim, sofia = people["karim"], people["sofia"]
    old_guest = _meeting(db, 230, "Forum d’il y a 230 jours")  # past 7 months
    recent_guest = _meeting(db, 195, "Forum d’il y a 195 jours")  # within 7 months
    old_member = _meeting(db, 745, "Rencontre d’il y a 2 ans et 15 jours")  # past 2 years
    recent_member = _meeting(db, 715, "Rencontre d’il y a 2 ans moins 15 jours")
    started = _meeting(db, 0.5, "Rencontre de ce matin")
    rows = {
        "old_guest": _registration(old_guest, "zoe@atelier.example.org", "Zoé Zébulon", guest=True),
        "recent_guest": _registration(
            recent_guest, "ines@atelier.example.org", "Inès Arnaud", guest=True, organisation="Coopérative Arnaud"
        ),
        "old_member": _registration(old_member, karim.email, karim.full_name, member=karim, attendance="present"),
        "recent_member": _registration(recent_member, karim.email, karim.full_name, member=karim),
        "unconfirmed": _registration(started, "jean@exemple.fr", "Jean Valjean", guest=True, status="pending"),
    }
    invitations = {
        "old_guest": Invitation(meeting=old_guest, email="zoe@atelier.example.org", name="Zoé Zébulon"),
        "old_member": Invitation(meeting=old_member, member_id=sofia.id, email=sofia.email, name=sofia.full_name),
        "recent_member": Invitation(meeting=recent_member, member_id=sofia.id, email=sofia.email, name="Sofia"),
    }
    db.session.add_all([*rows.values(), *invitations.values()])
    db.session.commit()
    ids = {k: r.id for k, r in rows.items()}
    invitation_ids = {k: i.id for k, i in invitations.items()}

    counts = run_retention()
    assert {k: v for k, v in counts.items() if k.startswith("meetings.")} == {
        "meetings.unconfirmed_guest_requests": 1,
        "meetings.guest_registrations": 1,
        "meetings.guest_invitations": 1,
        "meetings.member_registrations": 1,
        "meetings.member_invitations": 1,
    }
    db.session.expire_all()
    assert db.session.get(Registration, ids["unconfirmed"]) is None
    guest = db.session.get(Registration, ids["old_guest"])
    assert (guest.name, guest.organisation) == ("personne anonymisée", "") and guest.email.endswith("@invalid")
    assert db.session.get(Registration, ids["recent_guest"]).email == "ines@atelier.example.org"
    member = db.session.get(Registration, ids["old_member"])
    # the figures of the past meeting stay: status, attendance and collectivity
    assert (member.member_id, member.status, member.attendance, member.collectivity_id) == (
        None,
        "registered",
        "present",
        karim.collectivity_id,
    )
    assert db.session.get(Registration, ids["recent_member"]).member_id == karim.id
    assert db.session.get(Invitation, invitation_ids["old_member"]).member_id is None
    assert db.session.get(Invitation, invitation_ids["recent_member"]).email == sofia.email
    assert grep_database(db, ["zoe@atelier.example.org", "Zoé Zébulon", "Atelier Zébulon"]) == []

    again = run_retention()
    assert set(again.values()) == {0}


def test_applications_and_former_members_go_at_the_end_of_their_period(
    db, people, territories, odd_periods, run_retention, make_user
):
    def application(code, status, **fields):
        collectivity = Collectivity(territory=territories[code], status=status, **fields)
        person = Member(
            collectivity=collectivity,
            kind="elu",
            first_name="Ophélie",
            last_name=f"Candidate-{code}-{status}",
            email=f"candidate-{code}-{status}@exemple.fr",
        )
        db.session.add_all([collectivity, person])
        db.session.flush()
        collectivity.referent = person
        return collectivity

    unconfirmed_old = application("93", "pending", applied_at=days_ago(4))  # link of 3 days expired
    unconfirmed_new = application("94", "pending", applied_at=days_ago(2))
    confirmed = application("11", "pending", applied_at=days_ago(60), confirmed_at=days_ago(59))
    rejected_old = application(
        "200057875", "rejected", decided_at=days_ago(170), rejection_reason="Hors région", application_message="Bonjour"
    )
    rejected_new = application("200054781", "rejected", decided_at=days_ago(135), rejection_reason="Doublon")
    karim, leo, helene = people["karim"], people["leo"], people["helene"]
    karim.mandate_end_on = days_ago(350).date()  # past 11 months
    leo.mandate_end_on = days_ago(320).date()  # within 11 months
    helene.mandate_end_on = days_ago(350).date()  # past, but still the référent of Montreuil: kept
    db.session.commit()
    ids = {
        c: x.id
        for c, x in {
            "unconfirmed_old": unconfirmed_old,
            "unconfirmed_new": unconfirmed_new,
            "confirmed": confirmed,
            "rejected_old": rejected_old,
            "rejected_new": rejected_new,
        }.items()
    }
    karim_user_id = karim.user_id

    counts = run_retention()
    assert {k: v for k, v in counts.items() if k.startswith("members.")} == {
        "members.unconfirmed_applications": 1,
        "members.rejected_applications": 1,
        "members.former_members": 1,
        "members.ended_mandates": 1,  # Hélène's account: her mandate ended (Karim's went with his data)
    }
    db.session.expire_all()
    assert db.session.get(Collectivity, ids["unconfirmed_old"]) is None
    assert db.session.get(Collectivity, ids["unconfirmed_new"]).members
    assert db.session.get(Collectivity, ids["confirmed"]).members
    rejected = db.session.get(Collectivity, ids["rejected_old"])
    assert rejected.status == "rejected" and rejected.members == [] and rejected.rejection_reason == ""
    assert db.session.get(Collectivity, ids["rejected_new"]).members
    karim_user = db.session.get(User, karim_user_id)
    assert karim_user.email.endswith("@invalid") and not karim_user.is_enabled
    assert db.session.get(Member, leo.id).email == "leo@saint-ouen.fr"
    assert db.session.get(Member, helene.id).email == "helene@montreuil.fr"
    assert grep_database(db, ["karim@montreuil.fr", "Karim Benali", "candidate-93-pending@exemple.fr"]) == []
    assert set(run_retention().values()) == {0}


def test_a_collectivity_that_left_takes_its_people_after_the_period(db, people, odd_periods, run_retention):
    montreuil = people["helene"].collectivity
    montreuil.status, montreuil.left_on = "left", days_ago(340).date()
    saint_ouen = people["sofia"].collectivity
    saint_ouen.status, saint_ouen.left_on = "left", days_ago(300).date()
    db.session.commit()
    assert run_retention()["members.former_members"] == 2  # Hélène and Karim, not Sofia and Léo
    db.session.expire_all()
    assert {m.anonymised_at is not None for m in montreuil.members} == {True}
    assert {m.anonymised_at is None for m in saint_ouen.members} == {True}


def test_press_contacts_go_at_the_end_of_their_period(db, coordinator, make_contact, odd_periods, run_retention):
    from clubess.press.models import Communique

    communique = Communique(slug="c", title="C", status="published", published_at=days_ago(100))
    db.session.add(communique)
    db.session.commit()
    kept_active = make_contact("lu@journal.example.org", created_at=days_ago(800))
    make_contact("oublie@journal.example.org", created_at=days_ago(750))
    make_contact(
        "parti@journal.example.org", status="unsubscribed", status_changed_at=days_ago(745), created_at=days_ago(900)
    )
    make_contact(
        "recent@journal.example.org", status="unsubscribed", status_changed_at=days_ago(715), created_at=days_ago(900)
    )
    make_contact("pas-confirme@journal.example.org", status="pending", created_at=days_ago(2.5))
    make_contact("en-attente@journal.example.org", status="pending", created_at=days_ago(1.5))
    db.session.add(
        Delivery(
            communique_id=communique.id,
            contact_id=kept_active.id,
            email=kept_active.email,
            status="sent",
            sent_at=days_ago(100),
        )
    )
    db.session.commit()
    counts = run_retention()
    assert (counts["press.pending_press_subscriptions"], counts["press.press_contacts"]) == (1, 2)
    db.session.expire_all()
    left = set(db.session.scalars(sa.select(PressContact.email)))
    assert left == {"lu@journal.example.org", "recent@journal.example.org", "en-attente@journal.example.org"}
    assert set(run_retention().values()) == {0}


def test_mail_and_the_audit_log_go_at_the_end_of_their_period(db, odd_periods, run_retention):
    def mail(status, age_days, to):
        message = OutboxMessage(
            recipient=to,
            subject="Votre inscription",
            body_text=f"Bonjour {to}",
            body_html=f"<p>Bonjour {to}</p>",
            category="meetings.registered",
            status=status,
            created_at=days_ago(age_days),
            dedupe_key=f"meeting-update:1:1:{to}",
            headers={"List-Unsubscribe": "<https://x/y>"},
        )
        db.session.add(message)
        return message

    old_sent = mail("sent", 50, "ancien@exemple.fr")
    recent_sent = mail("sent", 40, "recent@exemple.fr")
    old_queued = mail("queued", 50, "attend@exemple.fr")
    db.session.add_all(
        [
            AuditEvent(action="old", created_at=days_ago(4 * 365 + 10)),
            AuditEvent(action="recent", created_at=days_ago(4 * 365 - 10)),
        ]
    )
    db.session.commit()
    counts = run_retention()
    assert counts["mailing.mails"] == 1 and counts["audit.audit_events"] == 1
    db.session.expire_all()
    purged = db.session.get(OutboxMessage, old_sent.id)
    assert (purged.subject, purged.category, purged.status) == ("Votre inscription", "meetings.registered", "sent")
    assert purged.body_text == "" and purged.body_html is None and purged.headers == {}
    assert "@" not in purged.dedupe_key
    assert db.session.get(OutboxMessage, recent_sent.id).recipient == "recent@exemple.fr"
    assert db.session.get(OutboxMessage, old_queued.id).body_text == "Bonjour attend@exemple.fr"
    assert grep_database(db, ["ancien@exemple.fr"]) == []
    assert list(db.session.scalars(sa.select(AuditEvent.action))) == ["recent"]
    assert set(run_retention().values()) == {0}


def test_the_command_reports_every_kind_even_when_there_is_nothing_to_do(run_retention, db):
    counts = run_retention()
    assert set(counts) == {
        "members.unconfirmed_applications",
        "members.rejected_applications",
        "members.former_members",
        "members.ended_mandates",
        "meetings.unconfirmed_guest_requests",
        "meetings.guest_registrations",
        "meetings.guest_invitations",
        "meetings.member_registrations",
        "meetings.member_invitations",
        "press.pending_press_subscriptions",
        "press.press_contacts",
        "mailing.mails",
        "audit.audit_events",
        "auth.expired_sessions",
    }
    assert set(counts.values()) == {0}


def test_the_nightly_run_deletes_login_sessions_past_their_lifetime(app, run_retention, db, make_user):
    """The privacy page says a login is kept until it ends: the nightly run deletes the ended ones."""
    from datetime import timedelta

    import sqlalchemy as sa

    from clubess.auth.models import LoginSession
    from clubess.core.db import now_utc

    user = make_user(email="nadia@example.org")
    now = now_utc()
    db.session.add_all(
        [
            LoginSession(user_id=user.id, secret_hash="a" * 64, created_at=now, last_used_at=now),
            LoginSession(
                user_id=user.id,
                secret_hash="b" * 64,
                created_at=now - timedelta(hours=9),
                last_used_at=now - app.permanent_session_lifetime - timedelta(minutes=1),
            ),
        ]
    )
    db.session.commit()
    assert run_retention()["auth.expired_sessions"] == 1
    assert db.session.scalars(sa.select(LoginSession.secret_hash)).all() == ["a" * 64]
    page = app.test_client().get("/confidentialite").get_data(as_text=True)
    assert f"valable {app.config['REMEMBER_COOKIE_DURATION'].days} jours" in page


def test_a_walk_in_who_gave_no_address_is_anonymised_like_any_guest(db, people, odd_periods, run_retention):
    old, recent = _meeting(db, 230, "Forum d’il y a 230 jours"), _meeting(db, 195, "Forum d’il y a 195 jours")
    for meeting, name in ((old, "Zoé Sansadresse"), (recent, "Inès Sansadresse")):
        db.session.add(
            _registration(meeting, None, name, guest=True, attendance="present", is_walk_in=True, status="registered")
        )
    db.session.commit()

    counts = run_retention()
    assert counts["meetings.guest_registrations"] == 1
    db.session.expire_all()
    walk_in = db.session.scalar(sa.select(Registration).where(Registration.meeting_id == old.id))
    assert (walk_in.name, walk_in.organisation, walk_in.attendance) == ("personne anonymisée", "", "present")
    assert grep_database(db, ["Zoé Sansadresse"]) == []
    assert set(run_retention().values()) == {0}
