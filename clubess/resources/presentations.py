"""From the meeting to the library: a « retour d'expérience » agenda item and the practice fiche it presented.

A coordinator links the item to an existing fiche, or drafts the fiche from the item (its title, the
speaker's collectivity, a lever) for that collectivity's référent, who finds it in their drafts and is
told by mail. The practice page lists the meetings where it was presented.
"""

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from clubess.auth.models import User
from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import tz
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.mailing.services import external_url, queue
from clubess.meetings.models import AgendaItem, Audience, ItemKind, Meeting
from clubess.meetings.services import VISIBLE
from clubess.members.models import Collectivity, CollectivityStatus, Member
from clubess.practices import services as practices
from clubess.practices.models import Practice, PracticeStatus
from clubess.resources.models import Document
from clubess.resources.services import _practices

#: what the coordinator picks when the fiche stays with the coordination team
KEEP = "coordination"


def _check_item(item: AgendaItem) -> None:
    if item.kind != ItemKind.RETOUR_EXPERIENCE:
        raise DomainError(_("Seul un point « retour d’expérience » est lié à une fiche pratique."))


def link_practice(actor, item: AgendaItem, reference: str) -> Practice:
    """Link a « retour d'expérience » to an existing fiche, named by its reference or the address of its page."""
    require_role(actor, Role.COORDINATOR)
    _check_item(item)
    found = _practices(reference)
    if len(found) != 1:
        raise DomainError(_("Indiquez une seule fiche : sa référence ou l’adresse de sa page."), "practice")
    item.practice_id = found[0].id
    record(actor, "agenda.practice_linked", item.meeting, item=item.title, practice=found[0].ref)
    return found[0]


def unlink_practice(actor, item: AgendaItem) -> None:
    require_role(actor, Role.COORDINATOR)
    if item.practice_id is not None:
        practice = db.session.get(Practice, item.practice_id)
        item.practice_id = None
        record(
            actor,
            "agenda.practice_unlinked",
            item.meeting,
            item=item.title,
            practice=practice.ref if practice else None,
        )


@dataclass
class DraftPlan:
    """What « Rédiger la fiche » proposes for an item, before anything is written."""

    item: AgendaItem
    meeting: Meeting
    title: str
    summary: str
    lever: str
    #: the speaker who is a member person, and their collectivity if it is a member of the club
    speaker: Member | None = None
    collectivity: Collectivity | None = None
    #: the user the draft goes to (the collectivity's référent, with an account)
    referent: User | None = None
    #: why it cannot go to the speaker's référent: the coordinator chooses
    problem: str = ""
    #: (collectivity id, « Ville — référent·e ») the coordinator may choose from
    choices: list[tuple[str, str]] = field(default_factory=list)


def _speaker_member(item: AgendaItem) -> Member | None:
    ids = [s.member_id for s in item.speakers if s.member_id]
    if not ids:
        return None
    members = {m.id: m for m in db.session.scalars(sa.select(Member).where(Member.id.in_(ids)))}
    candidates = [members[i] for i in ids if i in members]
    active = [m for m in candidates if m.collectivity.status == CollectivityStatus.ACTIVE]
    return (active or candidates or [None])[0]


def _referent_user(collectivity: Collectivity | None) -> User | None:
    if collectivity is None or collectivity.referent is None or collectivity.referent.user_id is None:
        return None
    user = db.session.get(User, collectivity.referent.user_id)
    return user if user is not None and user.is_enabled else None


def _suggested_lever(item: AgendaItem) -> str:
    """The lever of the item's documents, else the one most of the library's closest practices share."""
    levers = [d.lever for d in item.documents if d.lever]
    if levers:
        return Counter(levers).most_common(1)[0][0]
    from clubess.practices.search.engine import search

    found = search(f"{item.title} {item.description}", per_page=5).practices
    if found:
        return Counter(p.lever for p in found).most_common(1)[0][0]
    return next(iter(LEVERS))


def referent_choices() -> list[tuple[str, str]]:
    """Every member collectivity whose référent has an account: the coordinator may give the draft to it."""
    rows = db.session.execute(
        sa.select(Collectivity, Member)
        .join(Member, Member.id == Collectivity.referent_id)
        .where(Collectivity.status == CollectivityStatus.ACTIVE, Member.user_id.is_not(None))
    ).all()
    choices = sorted(((str(c.id), f"{c.name} — {m.full_name}") for c, m in rows), key=lambda c: c[1])
    return [(KEEP, _("Garder la fiche dans l’équipe de coordination")), *choices]


def plan_draft(actor, item: AgendaItem) -> DraftPlan:
    require_role(actor, Role.COORDINATOR)
    _check_item(item)
    if item.practice_id is not None:
        raise DomainError(_("Ce point a déjà sa fiche : retirez le lien pour en rédiger une autre."))
    meeting = item.meeting
    speaker = _speaker_member(item)
    collectivity = speaker.collectivity if speaker else None
    day = format_date(meeting.starts_at.astimezone(tz()), "d MMMM y")
    plan = DraftPlan(
        item=item,
        meeting=meeting,
        title=item.title,
        summary=item.description
        or _(
            "Retour d’expérience présenté lors de la rencontre « %(title)s » du %(day)s.", title=meeting.title, day=day
        ),
        lever=_suggested_lever(item),
        speaker=speaker,
        collectivity=collectivity,
    )
    if speaker is None:
        plan.problem = _("Aucun intervenant de ce point n’est une personne d’une collectivité membre.")
    elif collectivity.status != CollectivityStatus.ACTIVE:
        plan.problem = _("La collectivité de %(name)s n’est plus membre du club.", name=speaker.full_name)
    else:
        plan.referent = _referent_user(collectivity)
        if plan.referent is None:
            plan.problem = _(
                "%(collectivity)s n’a pas de référent·e avec un compte actif pour recevoir la fiche.",
                collectivity=collectivity.name,
            )
    if plan.problem:
        plan.choices = referent_choices()
    return plan


def draft_practice(actor, item: AgendaItem, title: str, lever: str, chosen: str = "", acknowledged: str = ""):
    """Create the draft fiche for the référent (of the speaker's collectivity, or the one chosen), link it to the
    item and tell them by mail; `chosen`: a collectivity id, or KEEP for the coordination team."""
    plan = plan_draft(actor, item)
    collectivity, author = plan.collectivity, plan.referent
    if plan.problem or chosen:
        if chosen == KEEP:
            author = actor
            if collectivity is not None and collectivity.status != CollectivityStatus.ACTIVE:
                collectivity = None
        elif chosen in {value for value, _label in plan.choices}:
            collectivity = db.session.get(Collectivity, int(chosen))
            author = _referent_user(collectivity)
        else:
            raise DomainError(_("Choisissez à qui confier la fiche."), "assignee")
    data = practices.PracticeData(
        title=title.strip() or plan.title,
        lever=lever,
        summary=plan.summary,
        year=plan.meeting.starts_at.astimezone(tz()).year,
    )
    practice = practices.create_practice(
        actor, data, collectivity=collectivity, acknowledged=acknowledged, author=author
    )
    if plan.speaker is not None and collectivity is not None and plan.speaker.collectivity_id == collectivity.id:
        practice.contact_member_id = plan.speaker.id
    item.practice_id = practice.id
    record(
        actor,
        "agenda.practice_drafted",
        plan.meeting,
        item=item.title,
        practice=practice.ref,
        collectivity=collectivity.id if collectivity else None,
    )
    if author is not None and author.id != actor.id:
        queue(
            author.email,
            "resources/draft_assigned",
            {
                "practice": practice,
                "meeting": plan.meeting,
                "item": item,
                "url": external_url("practices.edit", practice_id=practice.id),
                "drafts_url": external_url("practices.mine"),
            },
            category="resources.draft_assigned",
            locale=author.locale,
        )
    return practice, author


def presented_at(practice: Practice, members_only: bool = True) -> list[tuple[Meeting, AgendaItem]]:
    """The meetings (published, held) where the practice was presented, newest first (one query); with
    `members_only=False` (a visitor reads the practice's public portrait), only the public meetings."""
    query = (
        sa.select(Meeting, AgendaItem)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.practice_id == practice.id, Meeting.status.in_(VISIBLE))
        .order_by(Meeting.starts_at.desc())
    )
    if not members_only:
        query = query.where(Meeting.audience == Audience.PUBLIC)
    rows = db.session.execute(query).all()
    return [(meeting, item) for meeting, item in rows]


def items_for_coordination(meeting: Meeting) -> list[tuple[AgendaItem, Practice | None]]:
    """The meeting's « retour d'expérience » items with their fiche, for its back-office page (one query)."""
    items = [item for item in meeting.items if item.kind == ItemKind.RETOUR_EXPERIENCE]
    ids = [item.practice_id for item in items if item.practice_id]
    found = {p.id: p for p in db.session.scalars(sa.select(Practice).where(Practice.id.in_(ids)))} if ids else {}
    return [(item, found.get(item.practice_id)) for item in items]


def document_count(meeting: Meeting) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Document).where(Document.meeting_id == meeting.id))


def published(practice: Practice | None) -> bool:
    return practice is not None and practice.status == PracticeStatus.PUBLISHED
