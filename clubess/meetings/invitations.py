"""Invitations: choose an audience, preview it, send through the outbox, follow the answers, remind."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.emails import InvalidEmail, normalize_email
from clubess.core.errors import DomainError, NotFound
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.suppression import not_suppressed, suppressed_among
from clubess.meetings import notifications
from clubess.meetings.models import (
    Audience,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from clubess.members.hierarchy import in_departments, inside_target
from clubess.members.models import Collectivity, CollectivityStatus, Member, MemberKind, Territory
from clubess.territories import policy_audiences

#: at most this many reminders per invitation, a day apart at least
MAX_REMINDERS = 2
REMINDER_GAP = timedelta(hours=20)


@dataclass
class AudienceSpec:
    #: "all", "elus" or "agents"
    people: str = "all"
    departments: list[str] = field(default_factory=list)
    territory_kinds: list[str] = field(default_factory=list)
    #: the code of a territory (clubess.members.hierarchy.find_target): its members and those inside it
    territory: str = ""
    territory_name: str = ""
    #: only people who attended an earlier meeting
    past_attendees: bool = False
    #: addresses pasted by the coordinator, added to the selection
    pasted: str = ""
    #: use the member filters above (False: the pasted list alone)
    use_members: bool = True
    #: an audience from the members' ESS policy profiles (clubess.territories.policy_audiences), "" for all
    policy: str = ""

    def describe(self) -> str:
        parts = [{"elus": _("élus"), "agents": _("agents")}.get(self.people, _("membres"))]
        if self.departments:
            parts.append(_("dép. %(codes)s", codes=", ".join(self.departments)))
        if self.territory:
            parts.append(_("%(name)s et ce qu’il contient", name=self.territory_name or self.territory))
        if self.territory_kinds:
            parts.append(", ".join(self.territory_kinds))
        if self.policy and policy_audiences.is_audience(self.policy):
            parts.append(policy_audiences.describe(self.policy))
        if self.past_attendees:
            parts.append(_("déjà venus"))
        text = " · ".join(parts) if self.use_members else ""
        if self.pasted.strip():
            text = (text + " + " if text else "") + _("liste collée")
        return text[:200]


@dataclass
class Recipient:
    email: str
    name: str
    member_id: int | None = None
    organisation: str = ""
    collectivity_id: int | None = None


@dataclass
class AudiencePreview:
    recipients: list[Recipient]
    already_invited: int = 0
    already_registered: int = 0
    #: pasted lines that are not addresses
    invalid: list[str] = field(default_factory=list)
    #: pasted addresses of non-members, left out of a members-only meeting
    not_members: list[str] = field(default_factory=list)
    #: pasted addresses that asked for no more invitations (suppression list, or a member's preference)
    unsubscribed: list[str] = field(default_factory=list)

    @property
    def collectivities(self) -> int:
        """How many member collectivities the recipients belong to."""
        return len({r.collectivity_id for r in self.recipients if r.collectivity_id is not None})


EMAIL_SPLIT = re.compile(r"[,;\n\r\t]+")
ANGLE = re.compile(r"^(?P<name>.*?)<(?P<email>[^>]+)>\s*$")


#: the size of Invitation.name
NAME_LENGTH = 200


def parse_pasted(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """`a@b.fr`, `Nom <a@b.fr>`, one per line or separated by commas or semicolons → (name, email), invalid."""
    found, invalid, seen = [], [], set()
    for chunk in EMAIL_SPLIT.split(text or ""):
        chunk = chunk.strip()
        if not chunk:
            continue
        name, address = "", chunk
        match = ANGLE.match(chunk)
        if match:
            name, address = match.group("name").strip().strip('"'), match.group("email").strip()
        if len(name) > NAME_LENGTH:  # the invitation keeps the name in a 200-character column
            invalid.append(chunk[:200])
            continue
        try:
            address = normalize_email(address)
        except InvalidEmail:
            invalid.append(chunk[:200])
            continue
        if address.lower() not in seen:
            seen.add(address.lower())
            found.append((name, address))
    return found, invalid


def _member_query(spec: AudienceSpec):
    today = now_utc().date()
    stmt = (
        sa.select(Member, Territory.name)
        .join(Collectivity, Member.collectivity_id == Collectivity.id)
        .join(Territory, Collectivity.territory_id == Territory.id)
        .where(
            Collectivity.status == CollectivityStatus.ACTIVE,
            Member.anonymised_at.is_(None),
            Member.wants_invitations.is_(True),
            sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= today),
            not_suppressed(Member.email, Scope.INVITATIONS),
        )
        .order_by(Territory.name, Member.last_name, Member.first_name)
    )
    if spec.people == "elus":
        stmt = stmt.where(Member.kind == MemberKind.ELU)
    elif spec.people == "agents":
        stmt = stmt.where(Member.kind == MemberKind.AGENT)
    if spec.departments:
        stmt = stmt.where(Territory.id.in_(in_departments(spec.departments)))
    if spec.territory:
        stmt = stmt.where(Territory.id.in_(inside_target(spec.territory)))
    if spec.territory_kinds:
        stmt = stmt.where(Territory.kind.in_(spec.territory_kinds))
    if spec.policy:
        stmt = stmt.where(Collectivity.id.in_(policy_audiences.collectivity_ids(spec.policy)))
    if spec.past_attendees:
        attended = (
            sa.select(Registration.member_id)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.attendance != "absent",
                Registration.member_id.is_not(None),
                sa.or_(Meeting.status == MeetingStatus.HELD, Meeting.ends_at < now_utc()),
            )
        )
        stmt = stmt.where(Member.id.in_(attended))
    return stmt


def resolve_audience(actor, meeting: Meeting, spec: AudienceSpec) -> AudiencePreview:
    """Who would receive the invitation: a fixed number of queries whatever the audience's size."""
    require_role(actor, Role.COORDINATOR)
    if spec.people not in ("all", "elus", "agents"):
        raise DomainError(_("Public inconnu."), field="people")
    if spec.policy and not policy_audiences.is_audience(spec.policy):
        raise DomainError(_("Public inconnu."), field="policy")
    candidates: dict[str, Recipient] = {}
    if spec.use_members:
        for member, territory_name in db.session.execute(_member_query(spec)):
            candidates.setdefault(
                member.email.lower(),
                Recipient(member.email, member.full_name, member.id, territory_name, member.collectivity_id),
            )
    pasted, invalid = parse_pasted(spec.pasted)
    not_members, unsubscribed = [], []
    suppressed = suppressed_among([a for _n, a in pasted], Scope.INVITATIONS) if pasted else set()
    if pasted:
        known = {
            m.email.lower(): (m, name)
            for m, name in db.session.execute(
                sa.select(Member, Territory.name)
                .join(Collectivity, Member.collectivity_id == Collectivity.id)
                .join(Territory, Collectivity.territory_id == Territory.id)
                .where(
                    sa.func.lower(Member.email).in_([a.lower() for _n, a in pasted]),
                    Collectivity.status == CollectivityStatus.ACTIVE,
                    Member.anonymised_at.is_(None),
                )
            )
        }
        for name, address in pasted:
            key = address.lower()
            if key in suppressed or (key in known and not known[key][0].wants_invitations):
                unsubscribed.append(address)
            elif key in known:
                member, territory_name = known[key]
                candidates.setdefault(
                    key, Recipient(member.email, member.full_name, member.id, territory_name, member.collectivity_id)
                )
            elif meeting.audience == Audience.PUBLIC:
                candidates.setdefault(key, Recipient(address, name))
            else:
                not_members.append(address)
    invited = {
        e.lower() for e in db.session.scalars(sa.select(Invitation.email).where(Invitation.meeting_id == meeting.id))
    }
    registered = {
        e.lower()
        for e in db.session.scalars(
            sa.select(Registration.email).where(
                Registration.meeting_id == meeting.id,
                Registration.email.is_not(None),
                Registration.status.in_(
                    (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED)
                ),
            )
        )
    }
    preview = AudiencePreview([], invalid=invalid, not_members=not_members, unsubscribed=unsubscribed)
    for key, recipient in candidates.items():
        if key in registered:
            preview.already_registered += 1
        elif key in invited:
            preview.already_invited += 1
        else:
            preview.recipients.append(recipient)
    return preview


def send_invitations(actor, meeting: Meeting, spec: AudienceSpec, expected: int) -> int:
    """Create the invitations and queue their mails; `expected` is the count the coordinator confirmed.

    If the audience changed between the preview and the confirmation, nothing is sent and the
    coordinator sees the new preview.
    """
    require_role(actor, Role.COORDINATOR)
    if meeting.status != MeetingStatus.PUBLISHED:
        raise DomainError(_("Publiez la rencontre avant d’inviter."))
    if meeting.starts_at <= now_utc():
        raise DomainError(_("Cette rencontre est passée."))
    preview = resolve_audience(actor, meeting, spec)
    if len(preview.recipients) != expected:
        raise DomainError(
            _(
                "Le public a changé depuis l’aperçu (%(now)d destinataires au lieu de %(before)d) : "
                "vérifiez avant d’envoyer.",
                now=len(preview.recipients),
                before=expected,
            )
        )
    if not preview.recipients:
        raise DomainError(_("Aucun destinataire : élargissez le public."))
    audience = spec.describe()
    invitations = [
        Invitation(
            meeting=meeting,
            member_id=r.member_id,
            email=r.email,
            name=r.name,
            audience=audience,
            invited_by_id=actor.id,
        )
        for r in preview.recipients
    ]
    db.session.add_all(invitations)
    db.session.flush()
    notifications.queue_invitations(invitations, reply_to=actor.email)
    record(actor, "invitations.sent", meeting, count=len(invitations), audience=audience)
    return len(invitations)


def reminder_due(meeting: Meeting, now) -> tuple:
    """The rule of a reminder, as conditions on Invitation: no answer, not registered (addresses are stored in lower
    case on both sides), reminded less than MAX_REMINDERS times and not within REMINDER_GAP, invited before that."""
    registered = sa.exists().where(
        Registration.meeting_id == meeting.id,
        Registration.email == Invitation.email,
        Registration.status != RegistrationStatus.CANCELLED,
    )
    return (
        Invitation.meeting_id == meeting.id,
        Invitation.response == InvitationResponse.NONE,
        Invitation.reminders < MAX_REMINDERS,
        sa.or_(Invitation.reminded_at.is_(None), Invitation.reminded_at < now - REMINDER_GAP),
        Invitation.invited_at < now - REMINDER_GAP,
        ~registered,
    )


def reminder_recipients(meeting: Meeting, now=None) -> list[Invitation]:
    """The invitees a reminder goes to now (`reminder_due`), but those who asked for no more invitations (the
    coordinator's confirmation counts these, and the reminder is sent to exactly these)."""
    silent = db.session.scalars(
        sa.select(Invitation)
        .where(*reminder_due(meeting, now or now_utc()))
        .order_by(Invitation.name, Invitation.email)
    ).all()
    suppressed = suppressed_among([invitation.email for invitation in silent], Scope.INVITATIONS)
    return [i for i in silent if i.email.lower() not in suppressed]


def remind_non_responders(actor, meeting: Meeting) -> int:
    """Send the invitation again to those who did not answer (at most twice, a day apart)."""
    require_role(actor, Role.COORDINATOR)
    if meeting.status != MeetingStatus.PUBLISHED or meeting.starts_at <= now_utc():
        raise DomainError(_("On ne relance que pour une rencontre publiée à venir."))
    now = now_utc()
    reminded = reminder_recipients(meeting, now)
    for invitation in reminded:
        invitation.reminders += 1
        invitation.reminded_at = now
    notifications.queue_invitations(reminded, reply_to=actor.email, reminder=True)
    record(actor, "invitations.reminded", meeting, count=len(reminded))
    return len(reminded)


def answer(invitation: Invitation, accept: bool) -> Registration | None:
    """The invitee's answer from the mail's link (after confirming on the page)."""
    from clubess.meetings import guests, seats

    meeting = invitation.meeting
    if accept:
        registration = guests.register_invitee(invitation)
        invitation.response = InvitationResponse.ACCEPTED.value
        invitation.responded_at = now_utc()
        return registration
    existing = db.session.scalar(
        sa.select(Registration).where(
            Registration.meeting_id == meeting.id,
            sa.func.lower(Registration.email) == invitation.email.lower(),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    if existing is not None:
        seats.withdraw(existing, actor=None)
    invitation.response = InvitationResponse.DECLINED.value
    invitation.responded_at = now_utc()
    record(None, "invitation.declined", invitation, meeting=meeting.id)
    return None


def get_invitation(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("invitation")
    return invitation
