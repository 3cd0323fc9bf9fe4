"""Practice rules: submission, moderation, revisions, import and export, the thesaurus."""

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.duplicates import confirm, normalise
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, has_role, is_author, require_role
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.practices.models import Practice, PracticeRevision, PracticeStatus, Provenance, ThesaurusEntry
from clubess.practices.search import kinds
from clubess.practices.search.index import index_practice

TERRITORY_KINDS = ("region", "departement", "metropole", "ept", "epci", "commune")
#: the longest text each field takes: the columns' sizes, and the form's for the texts (PracticeForm)
LENGTHS = {
    "title": 300,
    "summary": 2000,
    "description": 20000,
    "territory_name": 200,
    "department_code": 3,
    "contact_role": 200,
}
EDITABLE = (
    "title",
    "summary",
    "description",
    "lever",
    "themes",
    "year",
    "partners",
    "links",
    "territory_name",
    "territory_kind",
    "department_code",
    "contact_role",
    "provenance",
    "review_on",
)


@dataclass
class PracticeData:
    title: str
    lever: str
    summary: str = ""
    description: str = ""
    themes: list = field(default_factory=list)
    year: int | None = None
    partners: list = field(default_factory=list)
    links: list = field(default_factory=list)
    territory_name: str = ""
    territory_kind: str | None = None
    department_code: str | None = None
    contact_role: str = ""
    provenance: str = Provenance.MEMBER.value
    review_on: date | None = None


def validate(data: PracticeData) -> dict[str, str]:
    """Field errors of a practice, empty when it is valid (shared by the forms and the importer)."""
    errors = {}
    if not data.title.strip():
        errors["title"] = _("Le titre est obligatoire.")
    for name, limit in LENGTHS.items():
        if len(getattr(data, name) or "") > limit:
            errors[name] = _("Ce champ dépasse %(n)s caractères.", n=limit)
    if data.lever not in LEVERS:
        errors["lever"] = _("Levier inconnu : %(lever)s.", lever=data.lever or "—")
    if data.territory_kind and data.territory_kind not in TERRITORY_KINDS:
        errors["territory_kind"] = _("Type de territoire inconnu : %(kind)s.", kind=data.territory_kind)
    if data.year is not None and not 1980 <= data.year <= date.today().year + 1:
        errors["year"] = _("Année invalide.")
    if data.provenance not in set(Provenance):
        errors["provenance"] = _("Provenance inconnue.")
    if len(data.themes) > 20 or any(not isinstance(t, str) or len(t) > 100 for t in data.themes):
        errors["themes"] = _("Jusqu'à 20 thèmes de 100 caractères au plus.")
    if len(data.partners) > 30 or any(not isinstance(p, str) or len(p) > 200 for p in data.partners):
        errors["partners"] = _("Jusqu'à 30 partenaires de 200 caractères au plus.")
    if len(data.links) > 20:
        errors["links"] = _("Jusqu'à 20 liens.")
    for link in data.links:
        if not re.match(r"^https?://[^\s<>\"]+$", str(link.get("url", ""))):
            errors["links"] = _("Lien invalide : %(url)s.", url=str(link.get("url", ""))[:80])
    return errors


def _apply(practice: Practice, data: PracticeData) -> None:
    for key in EDITABLE:
        value = getattr(data, key)
        if isinstance(value, str):
            value = value.strip()
        if key == "themes":
            value = list(dict.fromkeys(t.strip().lower() for t in value if t.strip()))
        setattr(practice, key, value)


def snapshot(practice: Practice) -> dict:
    values = {key: getattr(practice, key) for key in EDITABLE}
    values["review_on"] = practice.review_on.isoformat() if practice.review_on else None
    values["status"] = practice.status
    return values


def _revise(actor, practice: Practice, action: str, comment: str = "") -> None:
    db.session.add(
        PracticeRevision(
            practice_id=practice.id,
            author_id=getattr(actor, "id", None),
            author_label=getattr(actor, "email", "") or "système",
            action=action,
            comment=comment,
            snapshot=snapshot(practice),
        )
    )


def next_ref() -> str:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) or 0
    while True:
        count += 1
        ref = f"BP{count:05d}"
        if db.session.scalar(sa.select(Practice.id).where(Practice.ref == ref)) is None:
            return ref


def _can_edit(actor, practice: Practice) -> bool:
    if has_role(actor, Role.COORDINATOR):
        return True
    return is_author(actor, practice.author_id) and practice.status in (
        PracticeStatus.DRAFT,
        PracticeStatus.SUBMITTED,
    )


def same_title(title: str, collectivity_id: int | None) -> list[Practice]:
    """The collectivity's practices (or the club's own, without one) with this title once normalised:
    drafts, submitted and published ones; archived ones do not count (one query, compared here)."""
    wanted = normalise(title)
    owner = Practice.collectivity_id == collectivity_id if collectivity_id else Practice.collectivity_id.is_(None)
    candidates = db.session.scalars(
        sa.select(Practice).where(owner, Practice.status != PracticeStatus.ARCHIVED).order_by(Practice.id)
    )
    return [p for p in candidates if normalise(p.title) == wanted]


def create_practice(
    actor, data: PracticeData, submit: bool = False, collectivity=None, acknowledged: str = "", author=None
) -> Practice:
    """A member drafts (or submits) a practice for their collectivity; coordinators may create any, and may
    draft one for someone else (`author`: the user who finds it in their drafts, e.g. a référent).

    A title the collectivity already has needs confirmation (`acknowledged`, see clubess.core.duplicates).
    """
    require_role(actor, Role.MEMBER)
    if author is not None and author.id != actor.id:
        require_role(actor, Role.COORDINATOR)
    errors = validate(data)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    confirm("practice", same_title(data.title, collectivity.id if collectivity else None), acknowledged)
    practice = Practice(ref=next_ref(), author_id=(author or actor).id, status=PracticeStatus.DRAFT.value)
    _apply(practice, data)
    if collectivity is not None:
        practice.collectivity_id = collectivity.id
        practice.territory_id = collectivity.territory_id
        practice.territory_name = practice.territory_name or collectivity.territory.name
        practice.territory_kind = practice.territory_kind or collectivity.territory.kind
        practice.department_code = practice.department_code or collectivity.territory.department_code
    db.session.add(practice)
    db.session.flush()
    if submit:
        practice.status = PracticeStatus.SUBMITTED.value
    index_practice(practice)
    _revise(actor, practice, "submitted" if submit else "created")
    record(actor, "practice.created", practice, ref=practice.ref, status=practice.status)
    return practice


def update_practice(actor, practice: Practice, data: PracticeData, submit: bool = False) -> None:
    if not _can_edit(actor, practice):
        raise Forbidden("cannot edit")
    errors = validate(data)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    _apply(practice, data)
    if submit and practice.status == PracticeStatus.DRAFT:
        practice.status = PracticeStatus.SUBMITTED.value
    index_practice(practice)
    _revise(actor, practice, "submitted" if submit else "edited")
    record(actor, "practice.updated", practice, ref=practice.ref)


def request_changes(actor, practice: Practice, comment: str) -> None:
    """Coordinators send a submitted practice back to its author with a comment."""
    require_role(actor, Role.COORDINATOR)
    if practice.status != PracticeStatus.SUBMITTED:
        raise DomainError(_("Seule une pratique soumise peut être renvoyée à son auteur."))
    if not comment.strip():
        raise DomainError(_("Expliquez ce qu'il faut changer."), field="comment")
    practice.status = PracticeStatus.DRAFT.value
    practice.review_comment = comment.strip()
    _revise(actor, practice, "changes_requested", comment.strip())
    record(actor, "practice.changes_requested", practice, ref=practice.ref)
    from clubess.practices import notifications

    notifications.queue_changes_requested(practice)


def publish(actor, practice: Practice) -> None:
    require_role(actor, Role.COORDINATOR)
    if practice.status == PracticeStatus.PUBLISHED:
        return
    practice.status = PracticeStatus.PUBLISHED.value
    practice.published_at = practice.published_at or now_utc()
    practice.review_comment = ""
    index_practice(practice)  # findable at once, by every worker: the index is in this transaction
    _revise(actor, practice, "published")
    record(actor, "practice.published", practice, ref=practice.ref)
    from clubess.practices.problems import notify_followers

    notify_followers(practice)


def archive(actor, practice: Practice) -> None:
    require_role(actor, Role.COORDINATOR)
    practice.status = PracticeStatus.ARCHIVED.value
    index_practice(practice)
    from clubess.practices.problems import answer_withdrawn

    answer_withdrawn(kinds.PRACTICE, practice.id)
    _revise(actor, practice, "archived")
    record(actor, "practice.archived", practice, ref=practice.ref)


def get_practice(practice_id: int, actor=None) -> Practice:
    practice = db.session.get(Practice, practice_id)
    if practice is None:
        raise NotFound("practice")
    if practice.status != PracticeStatus.PUBLISHED and not (
        has_role(actor, Role.COORDINATOR) or is_author(actor, practice.author_id)
    ):
        raise NotFound("practice")
    return practice


def get_published_by_ref(ref: str) -> Practice:
    practice = db.session.scalar(
        sa.select(Practice).where(Practice.ref == ref, Practice.status == PracticeStatus.PUBLISHED)
    )
    if practice is None:
        raise NotFound("practice")
    return practice


def revisions(practice: Practice) -> list[PracticeRevision]:
    return list(
        db.session.scalars(
            sa.select(PracticeRevision)
            .where(PracticeRevision.practice_id == practice.id)
            .order_by(PracticeRevision.id.desc())
        )
    )


def related(practice: Practice, limit: int = 4) -> list[Practice]:
    """Published practices sharing the lever or themes, most shared first (one query, scored here)."""
    candidates = db.session.scalars(
        sa.select(Practice)
        .where(Practice.status == PracticeStatus.PUBLISHED, Practice.id != practice.id)
        .where(Practice.lever == practice.lever)
        .order_by(Practice.published_at.desc())
        .limit(200)
    ).all()
    themes = set(practice.themes or [])
    ranked = sorted(candidates, key=lambda p: (-len(themes & set(p.themes or [])), p.ref))
    return ranked[:limit]


#: practices a page of the coordinators' list shows
MODERATION_PER_PAGE = 50


def list_for_moderation(actor, status: str = "submitted", page: int = 1):
    """One page of the practices in one status, the last changed first (the library holds thousands)."""
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Practice).order_by(Practice.updated_at.desc(), Practice.id.desc())
    if status in set(PracticeStatus):
        stmt = stmt.where(Practice.status == status)
    return db.paginate(
        stmt, page=max(1, page), per_page=MODERATION_PER_PAGE, max_per_page=MODERATION_PER_PAGE, error_out=False
    )


def list_own(actor) -> list[Practice]:
    return list(
        db.session.scalars(
            sa.select(Practice).where(Practice.author_id == actor.id).order_by(Practice.updated_at.desc())
        )
    )


# --- thesaurus ----------------------------------------------------------------------------------


def list_thesaurus() -> list[ThesaurusEntry]:
    return list(db.session.scalars(sa.select(ThesaurusEntry).order_by(ThesaurusEntry.id)))


def save_thesaurus_entry(actor, entry: ThesaurusEntry | None, expressions: str) -> ThesaurusEntry:
    require_role(actor, Role.COORDINATOR)
    items = [e.strip() for e in expressions.split(",") if e.strip()]
    if len(items) < 2:
        raise DomainError(
            _("Indiquez au moins deux expressions équivalentes, séparées par des virgules."), field="expressions"
        )
    if entry is None:
        entry = ThesaurusEntry(expressions="")
        db.session.add(entry)
    entry.expressions = ", ".join(items)
    db.session.flush()
    record(actor, "thesaurus.saved", entry, expressions=entry.expressions)
    return entry


def delete_thesaurus_entry(actor, entry: ThesaurusEntry) -> None:
    require_role(actor, Role.COORDINATOR)
    record(actor, "thesaurus.deleted", entry, expressions=entry.expressions)
    db.session.delete(entry)


DEFAULT_THESAURUS = [
    "ressourcerie, recyclerie, réemploi, économie circulaire",
    "SPASER, achats responsables, commande publique responsable, achat public responsable",
    "SIAE, insertion par l'activité économique, structure d'insertion, chantier d'insertion",
    "tiers-lieu, tiers lieux, tiers-lieux",
    "SCIC, société coopérative d'intérêt collectif",
    "CAE, coopérative d'activité et d'emploi",
    "ESS, économie sociale et solidaire",
    "PTCE, pôle territorial de coopération économique",
    "clause sociale, clauses sociales, clause d'insertion",
    "jeunes, jeunesse, 16-25 ans",
    "emploi, travail, embauche",
]


def ess_vocabulary() -> list[str]:
    """The general ESS vocabulary shipped with the app (clubess/practices/thesaurus_ess.txt), one group a line."""
    from pathlib import Path

    text = (Path(__file__).parent / "thesaurus_ess.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def load_default_thesaurus() -> int:
    """The default entries on an empty thesaurus; the shipped ESS vocabulary's groups an installation lacks
    (an edited group stays as edited: a group is added only when no entry has its exact expressions)."""
    if not db.session.scalar(sa.select(sa.func.count()).select_from(ThesaurusEntry)):
        wanted = DEFAULT_THESAURUS + ess_vocabulary()
    else:
        wanted = ess_vocabulary()
    present = set(db.session.scalars(sa.select(ThesaurusEntry.expressions)))
    added = [e for e in dict.fromkeys(wanted) if e not in present]
    db.session.add_all(ThesaurusEntry(expressions=e) for e in added)
    db.session.flush()
    return len(added)
