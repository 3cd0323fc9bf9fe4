"""Changes to a published meeting (one update for several edits, SEQUENCE rising), cancellation, reminders."""

import threading
from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Invitation, Registration
from tests.calendar_checks import calendar_part, ical_js
from tests.fixtures_meetings import meeting_form


def _edit(client, meeting, **changes):
    """Save the edit form; a change that mails people asks first: press the confirmation's button."""
    from werkzeug.datastructures import MultiDict

    from tests.pages import confirmation_form

    response = client.submit(f"/coordination/rencontres/{meeting.id}", meeting_form(meeting, **changes))
    if b'name="confirmed" value="yes"' in response.data:
        action, fields = confirmation_form(response.get_data(as_text=True))
        response = client.post(action, data=MultiDict(fields))
    return response


def _due_now(db):
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=now_utc() - timedelta(seconds=1)))
    db.session.commit()


def test_several_edits_make_one_update_with_a_higher_sequence_then_a_cancel(
    client, db, people, open_meeting, coordinator, smtp, deliver
):
    from clubess.meetings import registrations

    meeting = open_meeting()
    coord = db.session.get(type(coordinator), coordinator.id)
    registrations.register_member(coord, meeting, people["helene"])
    # Invited: Sofia has not answered (the event is in her calendar), Paul declined (it is not).
    db.session.add_all(
        [
            Invitation(meeting=meeting, member_id=people["sofia"].id, email="sofia@saint-ouen.fr", name="Sofia Martin"),
            Invitation(meeting=meeting, member_id=people["paul"].id, email="paul@lhay.fr", response="declined"),
        ]
    )
    db.session.commit()
    deliver()
    first = ical_js(calendar_part(smtp.to("helene@montreuil.fr")[0]).get_payload(decode=True))["events"][0]
    smtp.clear()

    client.login("coordination@example.org")
    assert _edit(client, meeting, start_time="10:00").status_code == 302
    assert _edit(client, meeting, start_time="10:00", venue="Hôtel de ville de Montreuil").status_code == 302
    assert (
        _edit(
            client, meeting, start_time="10:00", venue="Hôtel de ville de Montreuil", title="Nouveau titre"
        ).status_code
        == 302
    )
    deliver()
    assert smtp.to("helene@montreuil.fr") == []  # held a few minutes in case another edit follows
    _due_now(db)
    deliver()
    [update] = smtp.to("helene@montreuil.fr")  # two material edits, one mail
    assert update["Subject"].startswith("Modification")
    part = calendar_part(update)
    assert part.get_param("method") == "REQUEST"
    [event] = ical_js(part.get_payload(decode=True))["events"]
    assert event["uid"] == first["uid"] and event["sequence"] > first["sequence"]
    assert event["location"].startswith("Hôtel de ville de Montreuil") and event["start_utc"].endswith("08:00:00.000Z")
    updated_sequence = event["sequence"]
    [to_invitee] = smtp.to("sofia@saint-ouen.fr")
    [invitee_event] = ical_js(calendar_part(to_invitee).get_payload(decode=True))["events"]
    assert invitee_event["sequence"] == updated_sequence
    assert invitee_event["attendee_list"] == [
        {"value": "mailto:sofia@saint-ouen.fr", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"}
    ]
    assert smtp.to("paul@lhay.fr") == []
    smtp.clear()

    client.confirm(f"/coordination/rencontres/{meeting.id}/statut?status=cancelled")
    deliver()
    [cancel] = smtp.to("helene@montreuil.fr")
    part = calendar_part(cancel)
    assert part.get_param("method") == "CANCEL"
    parsed = ical_js(part.get_payload(decode=True))
    assert parsed["method"] == "CANCEL"
    [event] = parsed["events"]
    assert event["status"] == "CANCELLED" and event["sequence"] > updated_sequence
    assert calendar_part(smtp.to("sofia@saint-ouen.fr")[0]).get_param("method") == "CANCEL"
    assert not smtp.to("karim@montreuil.fr") and not smtp.to("paul@lhay.fr")  # only those holding the event


def test_reminders_are_sent_once_each_with_the_online_link(app, db, people, open_meeting, coordinator, smtp, deliver):
    from clubess.meetings import registrations
    from clubess.meetings.reminders import send_reminders

    meeting = open_meeting(format="hybride", online_url="https://visio.example.org/club-ess")
    coord = db.session.get(type(coordinator), coordinator.id)
    early = registrations.register_member(coord, meeting, people["helene"])
    late = registrations.register_member(coord, meeting, people["sofia"], mode="en_ligne")
    early.created_at = meeting.starts_at - timedelta(days=20)
    late.created_at = meeting.starts_at - timedelta(days=3)
    db.session.commit()

    week_before = meeting.starts_at - timedelta(days=7) + timedelta(hours=1)
    assert send_reminders(week_before) == 1  # Sofia registered after that moment: no "in a week" reminder
    db.session.commit()
    assert send_reminders(week_before + timedelta(hours=3)) == 0  # cron runs again: nothing twice
    day_before = meeting.starts_at - timedelta(hours=20)
    assert send_reminders(day_before) == 2
    db.session.commit()
    assert send_reminders(day_before) == 0
    smtp.clear()
    deliver()
    helene = sorted(m["Subject"] for m in smtp.to("helene@montreuil.fr") if m["Subject"].startswith("Rappel"))
    assert helene == ["Rappel : Rencontre de juin, dans 7 jours", "Rappel : Rencontre de juin, demain"]
    [sofia] = [m for m in smtp.to("sofia@saint-ouen.fr") if m["Subject"].startswith("Rappel")]
    assert "https://visio.example.org/club-ess" in smtp.text_of(sofia)
    result = app.test_cli_runner().invoke(args=["meetings", "remind"])
    assert result.exit_code == 0 and "rappel(s)" in result.output


def test_fifty_simultaneous_registrations_for_ten_seats(app, db, open_meeting, territories, coordinator):
    """Threads really in parallel, each with its own connection: exactly 10 seats taken, 40 waiting."""
    from datetime import date

    from clubess.auth.models import User
    from clubess.extensions import db as _db
    from clubess.meetings import registrations
    from clubess.meetings.models import Meeting
    from clubess.members.models import Collectivity, Member

    collectivity = Collectivity(territory=territories["93070"], status="active", joined_on=date(2026, 1, 1))
    members = [
        Member(
            collectivity=collectivity,
            kind="agent",
            first_name="Agent",
            last_name=f"{i:02d}",
            email=f"agent{i}@example.org",
        )
        for i in range(50)
    ]
    db.session.add_all([collectivity, *members])
    meeting = open_meeting(capacity=10)
    db.session.commit()
    member_ids, meeting_id, coordinator_id = [m.id for m in members], meeting.id, coordinator.id
    barrier = threading.Barrier(50)
    errors = []

    def register(member_id):
        with app.app_context():
            try:
                actor = _db.session.get(User, coordinator_id)
                target = _db.session.get(Meeting, meeting_id)
                person = _db.session.get(Member, member_id)
                _db.session.commit()  # give the connection back to the pool while waiting for the others
                barrier.wait(timeout=60)
                registrations.register_member(actor, target, person)
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
                _db.session.rollback()
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=register, args=(i,)) for i in member_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    db.session.expire_all()
    counts = dict(
        db.session.execute(
            sa.select(Registration.status, sa.func.count())
            .where(Registration.meeting_id == meeting_id)
            .group_by(Registration.status)
        ).all()
    )
    assert counts == {"registered": 10, "waitlisted": 40}
