"""RGPD: the export of everything kept about a person, and their erasure.

`EXPORTED` names, for every column keyed to a person (a foreign key to users or members, or an address),
the export section that holds it; a test reads the models' metadata and fails when a new one is missing.
Erasure asks each domain to forget the person (their rows), then sweeps every text column of every table
for a copy of their address or name that would remain.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from clubess.actors import privacy as actors_privacy
from clubess.auth import services as auth_services
from clubess.auth.models import LoginSession, User
from clubess.commitments import privacy as commitments_privacy
from clubess.core.audit import AuditEvent, record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.privacy import erased_label, needles_of, relabel_actor, scrub_everywhere
from clubess.digest import privacy as digest_privacy
from clubess.extensions import db
from clubess.mailing import suppression
from clubess.mailing.models import OutboxMessage
from clubess.mailing.services import forget_recipient
from clubess.meetings import privacy as meetings_privacy
from clubess.members.models import CollectivityStatus, Member
from clubess.practices import privacy as practices_privacy
from clubess.press import privacy as press_privacy
from clubess.territories import policy_privacy
from clubess.territories import privacy as territories_privacy

#: (table, column) keyed to a person → the section of the export that holds it
EXPORTED = {
    ("users", "email"): "account",
    ("login_sessions", "user_id"): "sessions",
    ("members", "email"): "memberships",
    ("members", "user_id"): "memberships",
    ("collectivities", "referent_id"): "memberships",
    ("registrations", "email"): "registrations",
    ("registrations", "member_id"): "registrations",
    ("registrations", "on_behalf_of_id"): "registrations_on_your_behalf",
    ("registrations", "registered_by_id"): "registrations_you_made",
    ("invitations", "email"): "invitations",
    ("invitations", "member_id"): "invitations",
    ("invitations", "invited_by_id"): "invitations_you_sent",
    ("speakers", "member_id"): "speaker_profiles",
    ("workshop_contributions", "author_id"): "workshop_contributions",
    ("minutes_revisions", "author_id"): "minutes_versions_you_wrote",
    ("practices", "author_id"): "practices",
    ("practices", "contact_member_id"): "practices",
    ("practice_revisions", "author_id"): "practice_revisions",
    ("practice_revisions", "author_label"): "practice_revisions",
    ("problems", "author_id"): "problems",
    ("match_feedback", "author_id"): "match_feedback",
    ("solution_feedback", "author_id"): "solution_feedback",
    ("press_contacts", "email"): "press_contact",
    ("organisations", "contact_email"): "ess_organisation_contacts",
    ("press_deliveries", "email"): "press_contact",
    ("communiques", "created_by_id"): "communiques_created",
    ("commitments", "responsible_id"): "commitments_in_charge",
    ("commitments", "created_by_id"): "commitments_recorded",
    ("commitment_changes", "author_id"): "commitment_changes",
    ("policy_profiles", "elu_id"): "policy_profiles_in_charge",
    ("policy_profiles", "updated_by_id"): "policy_profiles_saved",
    ("outbox_messages", "recipient"): "mails",
    ("outbox_messages", "reply_to"): "mails",
    ("mail_suppressions", "email"): "mail_suppressions",
    ("audit_events", "actor_id"): "audit.your_actions",
    ("indicator_values", "imported_by_id"): "indicator_imports",
    ("digests", "member_id"): "digests",
}


@dataclass
class Person:
    """Everything that identifies one person: their account (if any), their memberships, addresses, names."""

    user: User | None
    members: list[Member] = field(default_factory=list)
    _emails: list[str] | None = field(default=None, repr=False)

    @property
    def member_ids(self) -> list[int]:
        return [m.id for m in self.members]

    @property
    def emails(self) -> list[str]:
        """Their addresses, less any a living person outside this one still uses (a membership that ends
        while the same person holds another one keeps its address there)."""
        if self._emails is None:
            found = {m.email.lower() for m in self.members}
            if self.user is not None:
                found.add(self.user.email.lower())
            found = {e for e in found if not e.endswith("@invalid")}
            self._emails = sorted(found - _emails_of_others(found, self))
        return self._emails

    @property
    def label(self) -> str:
        return erased_label(self.user.id if self.user is not None else f"m{self.members[0].id}")

    def needles(self) -> list[str]:
        """Addresses, full names and phones; a name another living person bears too is left out of the sweep
        (their rows are not ours to scrub: the person's own rows are scrubbed by key anyway)."""
        names = {n for m in self.members for n in (m.full_name, f"{m.last_name} {m.first_name}")}
        if self.user is not None and self.user.display_name:
            names.add(self.user.display_name)
        shared = _names_of_others(names, self)
        return needles_of(self.emails, names - shared, [m.phone for m in self.members])


def _emails_of_others(emails: set[str], person: "Person") -> set[str]:
    if not emails:
        return set()
    others = set(
        db.session.scalars(
            sa.select(sa.func.lower(Member.email)).where(
                sa.func.lower(Member.email).in_(emails),
                Member.anonymised_at.is_(None),
                Member.id.not_in(person.member_ids or [-1]),
            )
        )
    )
    others |= set(
        db.session.scalars(
            sa.select(User.email).where(User.email.in_(emails), User.id != (person.user.id if person.user else -1))
        )
    )
    return others


def _names_of_others(names: set[str], person: Person) -> set[str]:
    lowered = [" ".join(n.split()).lower() for n in names]
    full = sa.func.lower(Member.first_name + " " + Member.last_name)
    others = set(
        db.session.scalars(
            sa.select(full).where(
                full.in_(lowered), Member.anonymised_at.is_(None), Member.id.not_in(person.member_ids or [-1])
            )
        )
    )
    others |= set(
        db.session.scalars(
            sa.select(sa.func.lower(User.display_name)).where(
                sa.func.lower(User.display_name).in_(lowered), User.id != (person.user.id if person.user else -1)
            )
        )
    )
    return {n for n in names if " ".join(n.split()).lower() in others}


def person_of(user: User) -> Person:
    """The account and every membership linked to it or listed under its address."""
    condition = sa.or_(Member.user_id == user.id, sa.func.lower(Member.email) == user.email.lower())
    return Person(user, list(db.session.scalars(sa.select(Member).where(condition).order_by(Member.id))))


# --- export -------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def export_personal_data(user: User) -> dict:
    """Everything the platform keeps about a person, as JSON-ready data (RGPD access and portability).

    Secrets that would let someone act as the person (password hash, session key) are left out; the
    calendar feed's address is theirs, so it is given.
    """
    person = person_of(user)
    emails = person.emails
    mails = db.session.scalars(
        sa.select(OutboxMessage)
        .where(
            sa.or_(
                sa.func.lower(OutboxMessage.recipient).in_(emails or [""]),
                sa.func.lower(OutboxMessage.reply_to).in_(emails or [""]),
            )
        )
        .order_by(OutboxMessage.id)
    ).all()
    return {
        "generated_at": _iso(now_utc()),
        "account": {
            "email": user.email,
            "name": user.display_name,
            "role": user.role,
            "locale": user.locale,
            "is_enabled": user.is_enabled,
            "created_at": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
            "last_login_at": _iso(user.last_login_at),
            "password_changed_at": _iso(user.password_changed_at),
            "calendar_feed": {
                "active": user.calendar_token is not None,
                "url": _feed_url(user.calendar_token) if user.calendar_token else None,
            },
        },
        "sessions": [
            {
                "browser": s.user_agent,
                "remembered": s.is_remembered,
                "opened_at": _iso(s.created_at),
                "last_used_at": _iso(s.last_used_at),
            }
            for s in db.session.scalars(
                sa.select(LoginSession).where(LoginSession.user_id == user.id).order_by(LoginSession.id)
            )
        ],
        "memberships": [_membership(m) for m in person.members],
        **meetings_privacy.export(person.member_ids, emails, user.id),
        **practices_privacy.export(person.member_ids, user.id),
        **press_privacy.export(emails, user.id),
        **actors_privacy.export(emails),
        **commitments_privacy.export(person.member_ids, user.id),
        **territories_privacy.export(user.id),
        **policy_privacy.export(person.member_ids, user.id),
        **digest_privacy.export(person.member_ids),
        "mails": [
            {
                "to_you": m.recipient.lower() in emails,
                "category": m.category,
                "subject": m.subject,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
            }
            for m in mails
        ],
        "mail_suppressions": suppression.export(emails),
        "audit": _audit(person),
    }


def _feed_url(token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for("meetings.personal_feed", token=token)


def _membership(m: Member) -> dict:
    return {
        "collectivity": m.collectivity.name,
        "kind": m.kind,
        "first_name": m.first_name,
        "last_name": m.last_name,
        "function": m.function,
        "delegation": m.delegation,
        "email": m.email,
        "phone": m.phone,
        "is_referent": m.collectivity.referent_id == m.id,
        "mandate_start_on": _iso(m.mandate_start_on),
        "mandate_end_on": _iso(m.mandate_end_on),
        "consent_at": _iso(m.consent_at),
        "created_at": _iso(m.created_at),
        "interests": m.interests,
        "show_in_directory": m.show_in_directory,
        "show_email": m.show_email,
        "show_phone": m.show_phone,
        "wants_invitations": m.wants_invitations,
        "wants_news": m.wants_news,
    }


def _audit(person: Person) -> dict:
    """What the person did, and what was done about them (their account, a membership, their address)."""
    user_id = person.user.id if person.user else -1
    about = [
        sa.and_(AuditEvent.target_type == "User", AuditEvent.target_id == str(user_id)),
        sa.and_(AuditEvent.target_type == "Member", AuditEvent.target_id.in_([str(i) for i in person.member_ids])),
        *(sa.cast(AuditEvent.details, sa.Text).ilike(f"%{e}%") for e in person.emails),
    ]
    events = db.session.scalars(
        sa.select(AuditEvent).where(sa.or_(AuditEvent.actor_id == user_id, *about)).order_by(AuditEvent.id)
    ).all()

    def row(a: AuditEvent) -> dict:
        return {"action": a.action, "at": _iso(a.created_at), "target": a.target_type, "target_id": a.target_id}

    return {
        "your_actions": [row(a) for a in events if a.actor_id == user_id],
        "about_you": [row(a) for a in events if a.actor_id != user_id],
    }


# --- erasure ------------------------------------------------------------------------------------


def erase_person(actor, user: User) -> dict[str, int]:
    """Erase a person on their request (or an admin's): what identifies them goes from every table; the rows
    that make the club's history and figures stay, under "personne effacée #id"."""
    if actor is None or actor.id != user.id:
        require_role(actor, Role.ADMIN)
    person = person_of(user)
    for member in person.members:
        collectivity = member.collectivity
        if collectivity.referent_id == member.id and collectivity.status == CollectivityStatus.ACTIVE:
            raise DomainError(_("Vous êtes référent : transmettez d'abord ce rôle à une autre personne."))
    counts = forget(person, actor, objection=True)
    record(actor, "user.erased", user, memberships=len(person.members))
    db.session.flush()
    relabel_actor(db.session, user.id, person.label)
    return counts


def forget(person: Person, actor=None, *, objection: bool = False) -> dict[str, int]:
    """The erasure itself, for an account and its memberships, or for memberships without an account
    (retention): each domain forgets its rows, then every copy left anywhere is replaced by the label."""
    emails, needles, label = person.emails, person.needles(), person.label
    counts = meetings_privacy.forget(
        person.member_ids, emails, label, actor, user_id=person.user.id if person.user else None
    )
    counts.update(practices_privacy.forget(person.member_ids, person.user.id if person.user else None, needles, label))
    counts.update(commitments_privacy.forget(person.member_ids, person.user.id if person.user else None, label))
    counts["press_contacts"] = press_privacy.erase_addresses(emails)
    counts["mails"] = forget_recipient(emails, f"anonyme-{person.label.rsplit('#', 1)[1]}@invalid")
    # An opt-out outlives the erasure as the address's fingerprint; a person who erased their own data
    # objects to every list (`objection`), so pasting their address later reaches nobody.
    counts["suppressions"] = suppression.forget_addresses(emails, keep_objection=objection)
    now = now_utc()
    for member in person.members:
        member.first_name, member.last_name = "—", _("Personne anonymisée")
        member.email = f"anonyme-{member.id}@invalid"
        member.phone = member.function = member.delegation = ""
        member.interests = []
        member.show_in_directory = member.show_email = member.show_phone = False
        member.wants_invitations = member.wants_news = False
        member.anonymised_at = member.anonymised_at or now
        member.mandate_end_on = member.mandate_end_on or now.date()
    user = person.user
    if user is not None:
        user.email = f"anonyme-{user.id}@invalid"
        user.display_name = ""
        user.password_hash = None
        user.is_enabled = False
        user.calendar_token = None
        auth_services.end_sessions(user)  # every device, remembered ones included
        relabel_actor(db.session, user.id, label)
    db.session.flush()
    swept = scrub_everywhere(db.session, needles, label)
    counts["copies_scrubbed"] = sum(swept.values())
    db.session.expire_all()
    return counts


def erasure_preview(user: User) -> dict[str, int]:
    """What the erasure will change for this person, counted, for the confirmation page (7 queries)."""
    from clubess.meetings.models import Invitation, Meeting, Registration
    from clubess.practices.models import Practice
    from clubess.press.models import PressContact

    person = person_of(user)
    emails, member_ids = person.emails or [""], person.member_ids or [-1]
    theirs = sa.or_(Registration.member_id.in_(member_ids), sa.func.lower(Registration.email).in_(emails))
    count = db.session.scalar
    return {
        "registrations": count(
            sa.select(sa.func.count())
            .select_from(Registration)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(theirs, Registration.status.in_(meetings_privacy.LIVE), Meeting.starts_at > now_utc())
        ),
        "invitations": count(
            sa.select(sa.func.count()).where(
                sa.or_(Invitation.member_id.in_(member_ids), sa.func.lower(Invitation.email).in_(emails)),
                Invitation.response == "none",
            )
        ),
        "mails": count(
            sa.select(sa.func.count()).where(
                sa.func.lower(OutboxMessage.recipient).in_(emails), OutboxMessage.status.in_(("queued", "failed"))
            )
        ),
        "press_contact": count(sa.select(sa.func.count()).where(PressContact.email.in_(emails))),
        "practices": count(
            sa.select(sa.func.count()).where(
                sa.or_(Practice.author_id == user.id, Practice.contact_member_id.in_(member_ids))
            )
        ),
    }
