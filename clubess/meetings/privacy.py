"""A person's registrations, invitations and speaker entries: what the RGPD export shows, what erasure does."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.core.db import now_utc
from clubess.extensions import db
from clubess.meetings import seats
from clubess.meetings.followup_models import Contribution, Minutes, MinutesRevision, SurveyAnswer
from clubess.meetings.models import (
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    Speaker,
)

#: a registration that still holds, waits for or asks for a seat
LIVE = (*seats.ACTIVE, RegistrationStatus.PENDING.value)


def _iso(value):
    return value.isoformat() if value else None


def _theirs(model, member_ids: list[int], emails: list[str]):
    return sa.or_(model.member_id.in_(member_ids or [-1]), sa.func.lower(model.email).in_(emails or [""]))


def export(member_ids: list[int], emails: list[str], user_id: int) -> dict:
    """The export's meeting sections: the person's registrations (as a member or a guest, or someone standing
    in for them), those they made for colleagues, their invitations and those they sent, their speaker entries."""
    regs = db.session.scalars(
        sa.select(Registration)
        .where(
            sa.or_(
                _theirs(Registration, member_ids, emails),
                Registration.on_behalf_of_id.in_(member_ids or [-1]),
                Registration.registered_by_id == user_id,
            )
        )
        .options(selectinload(Registration.meeting), selectinload(Registration.on_behalf_of))
        .order_by(Registration.id)
    ).all()

    def registration(r: Registration) -> dict:
        return {
            "meeting": r.meeting.title,
            "meeting_starts_at": _iso(r.meeting.starts_at),
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "as_guest": r.is_guest,
            "status": r.status,
            "mode": r.mode,
            "attendance": r.attendance,
            "share_presence": r.share_presence,
            "on_behalf_of": r.on_behalf_of.full_name if r.on_behalf_of else None,
            "created_at": _iso(r.created_at),
            "cancelled_at": _iso(r.cancelled_at),
        }

    mine = [r for r in regs if r.member_id in member_ids or (r.email or "").lower() in emails]
    invitations = db.session.scalars(
        sa.select(Invitation)
        .where(sa.or_(_theirs(Invitation, member_ids, emails), Invitation.invited_by_id == user_id))
        .options(selectinload(Invitation.meeting))
        .order_by(Invitation.id)
    ).all()

    def invitation(i: Invitation) -> dict:
        return {
            "meeting": i.meeting.title,
            "email": i.email,
            "name": i.name,
            "audience": i.audience,
            "invited_at": _iso(i.invited_at),
            "response": i.response,
            "responded_at": _iso(i.responded_at),
            "reminders": i.reminders,
        }

    received = [i for i in invitations if i.member_id in member_ids or i.email.lower() in emails]
    speakers = db.session.scalars(sa.select(Speaker).where(Speaker.member_id.in_(member_ids or [-1]))).all()
    return {
        **_followup_export([r.id for r in mine], user_id),
        "registrations": [registration(r) for r in mine],
        "registrations_on_your_behalf": [
            registration(r) for r in regs if r.on_behalf_of_id in member_ids and r not in mine
        ],
        "registrations_you_made": [registration(r) for r in regs if r.registered_by_id == user_id and r not in mine],
        "invitations": [invitation(i) for i in received],
        "invitations_you_sent": [
            invitation(i) for i in invitations if i.invited_by_id == user_id and i not in received
        ],
        "speaker_profiles": [
            {"name": s.name, "organisation": s.organisation, "title": s.title, "bio": s.bio} for s in speakers
        ],
    }


def _followup_export(registration_ids: list[int], user_id: int | None) -> dict:
    """The survey answers given with the person's registrations, the contributions and minutes versions they wrote."""
    answers = db.session.execute(
        sa.select(SurveyAnswer, Meeting.title)
        .join(Meeting, Meeting.id == SurveyAnswer.meeting_id)
        .where(SurveyAnswer.registration_id.in_(registration_ids or [-1]))
        .order_by(SurveyAnswer.id)
    ).all()
    contributions = db.session.execute(
        sa.select(Contribution, Meeting.title)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(Contribution.author_id == (user_id or -1))
        .order_by(Contribution.id)
    ).all()
    revisions = db.session.execute(
        sa.select(MinutesRevision, Meeting.title)
        .join(Minutes, Minutes.id == MinutesRevision.minutes_id)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(MinutesRevision.author_id == (user_id or -1))
        .order_by(MinutesRevision.id)
    ).all()
    return {
        "survey_answers": [
            {
                "meeting": title,
                "rating": a.rating,
                "wished_theme": a.wished_theme,
                "comment": a.comment,
                "answered_at": _iso(a.created_at),
            }
            for a, title in answers
        ],
        "workshop_contributions": [
            {"meeting": title, "kind": c.kind, "title": c.title, "text": c.text, "created_at": _iso(c.created_at)}
            for c, title in contributions
        ],
        "minutes_versions_you_wrote": [
            {"meeting": title, "version": r.number, "note": r.note, "at": _iso(r.created_at)} for r, title in revisions
        ],
    }


def forget(
    member_ids: list[int], emails: list[str], label: str, actor=None, user_id: int | None = None
) -> dict[str, int]:
    """Erasure: the person leaves every meeting to come (a freed seat goes to the next in the queue, the
    normal way), declines every invitation still open, and their name and address leave every row kept.
    Their workshop contributions and the minutes versions they wrote stay (the club's record), without them."""
    now = now_utc()
    counts = {"registrations_cancelled": 0, "registrations_anonymised": 0, "invitations": 0}
    regs = db.session.scalars(
        sa.select(Registration)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(_theirs(Registration, member_ids, emails))
        .order_by(Registration.id)
    ).all()
    for r in regs:
        meeting = r.meeting
        if r.status in LIVE and meeting.starts_at > now and meeting.status != MeetingStatus.CANCELLED:
            seats.withdraw(r, actor)  # its mail to the person is cancelled with the rest of their mail
            counts["registrations_cancelled"] += 1
        elif r.status == RegistrationStatus.PENDING:
            r.status, r.cancelled_at = RegistrationStatus.CANCELLED.value, now
        r.email, r.name, r.organisation = f"anonyme-r{r.id}@invalid", label, r.organisation if r.member_id else ""
        r.share_presence = False
        counts["registrations_anonymised"] += 1
    for i in db.session.scalars(sa.select(Invitation).where(_theirs(Invitation, member_ids, emails))):
        if i.response == InvitationResponse.NONE:
            i.response, i.responded_at = InvitationResponse.DECLINED.value, now
        i.email, i.name = f"anonyme-i{i.id}@invalid", label
        counts["invitations"] += 1
    for speaker in db.session.scalars(sa.select(Speaker).where(Speaker.member_id.in_(member_ids or [-1]))):
        speaker.name, speaker.title, speaker.bio = label, "", ""
    if user_id is not None:
        db.session.execute(sa.update(Contribution).where(Contribution.author_id == user_id).values(author_id=None))
        db.session.execute(
            sa.update(MinutesRevision)
            .where(MinutesRevision.author_id == user_id)
            .values(author_id=None, author_name=label)
        )
    db.session.flush()
    return counts
