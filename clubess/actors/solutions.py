"""Solutions of ESS actors: validation, moderation (the practices' statuses) and their rows in the search index."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.actors.models import Organisation, OrganisationStatus, Solution, SolutionTerm, SolutionVector
from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, NotFound
from clubess.core.inputs import has_control
from clubess.core.permissions import Role, has_role, require_role
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.practices.models import PracticeStatus
from clubess.practices.problems import answer_withdrawn, refresh_for_solution
from clubess.practices.search import kinds, semantic
from clubess.practices.search.index import FIELD_WEIGHTS, REFERENCE_LENGTHS, bump_version, term_weights

LENGTHS = {"title": 300, "summary": 2000, "description": 20000}


@dataclass
class SolutionData:
    title: str
    lever: str
    summary: str = ""
    description: str = ""
    themes: list = field(default_factory=list)
    territory_ids: list[int] = field(default_factory=list)


def validate_solution(data: SolutionData) -> dict[str, str]:
    """Field errors of a solution, empty when it is valid (the forms and the importer share it)."""
    errors = {}
    if not (data.title or "").strip():
        errors["title"] = _("Le titre est obligatoire.")
    for name, limit in LENGTHS.items():
        if len(getattr(data, name) or "") > limit:
            errors[name] = _("Ce champ dépasse %(n)s caractères.", n=limit)
    if has_control(data.title or "", multiline=False):
        errors["title"] = _("Ce champ contient des caractères non acceptés.")
    if data.lever not in LEVERS:
        errors["lever"] = _("Levier inconnu : %(lever)s.", lever=str(data.lever or "—")[:40])
    if len(data.themes) > 20 or any(not isinstance(t, str) or len(t) > 100 for t in data.themes):
        errors["themes"] = _("Jusqu'à 20 thèmes de 100 caractères au plus.")
    if len(data.territory_ids) > 50:
        errors["territory_ids"] = _("%(n)d territoires au plus.", n=50)
    return errors


def _apply(solution: Solution, data: SolutionData) -> None:
    from clubess.actors.services import territories_of

    solution.title = " ".join(data.title.split())
    solution.summary = (data.summary or "").strip()
    solution.description = (data.description or "").strip()
    solution.lever = data.lever
    solution.themes = list(dict.fromkeys(t.strip().lower() for t in data.themes if t.strip()))
    with db.session.no_autoflush:  # a new solution is not in the session yet
        solution.territories = territories_of([i for i in data.territory_ids if isinstance(i, int)])


def next_ref() -> str:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Solution)) or 0
    while True:
        count += 1
        ref = f"SOL{count:05d}"
        if db.session.scalar(sa.select(Solution.id).where(Solution.ref == ref)) is None:
            return ref


def add_solution(actor, organisation: Organisation, data: SolutionData, status: str | None = None) -> Solution:
    """A solution of `organisation`: coordinators add them (published at once unless `status` says otherwise);
    the public request form adds one as submitted (`actor` None)."""
    if actor is not None:
        require_role(actor, Role.COORDINATOR)
    errors = validate_solution(data)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    solution = Solution(ref=next_ref(), organisation=organisation, status=PracticeStatus.SUBMITTED.value)
    _apply(solution, data)
    db.session.add(solution)
    db.session.flush()
    record(actor, "solution.created", solution, ref=solution.ref)
    wanted = status or PracticeStatus.PUBLISHED.value
    if wanted == PracticeStatus.PUBLISHED:
        publish_solution(actor, solution)
    else:
        solution.status = wanted
        index_solution(solution)
    return solution


def update_solution(actor, solution: Solution, data: SolutionData) -> None:
    require_role(actor, Role.COORDINATOR)
    errors = validate_solution(data)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    _apply(solution, data)
    index_solution(solution)
    record(actor, "solution.updated", solution, ref=solution.ref)


def publish_solution(actor, solution: Solution) -> None:
    """Public and matched at once (the index rows are in this transaction); only for a listed organisation:
    a pending one's solutions are published when its request is accepted (services.approve_request)."""
    if actor is not None:
        require_role(actor, Role.COORDINATOR)
    if solution.organisation.status != OrganisationStatus.ACTIVE:
        raise DomainError(
            _("La structure n’est pas (encore) dans l’annuaire : acceptez sa demande pour publier sa solution.")
        )
    solution.status = PracticeStatus.PUBLISHED.value
    solution.published_at = solution.published_at or now_utc()
    index_solution(solution)
    refresh_for_solution(solution.id)  # the open problems it answers are answered now
    record(actor, "solution.published", solution, ref=solution.ref)


def archive_solution(actor, solution: Solution) -> None:
    require_role(actor, Role.COORDINATOR)
    _withdraw(solution)
    record(actor, "solution.archived", solution, ref=solution.ref)


def withdraw_all(organisation: Organisation) -> None:
    """An organisation leaves the directory (archived, or its request refused): its solutions leave the index."""
    for solution in organisation.solutions:
        if solution.status != PracticeStatus.ARCHIVED:
            _withdraw(solution)


def _withdraw(solution: Solution) -> None:
    """Archived: out of the index, and no longer any problem's best answer."""
    solution.status = PracticeStatus.ARCHIVED.value
    index_solution(solution)
    answer_withdrawn(kinds.SOLUTION, solution.id)


def get_solution(solution_id: int, actor=None) -> Solution:
    """A solution as `actor` may see it: coordinators any; everyone else a published one of a listed structure."""
    solution = db.session.get(Solution, solution_id)
    if solution is None:
        raise NotFound("solution")
    if not has_role(actor, Role.COORDINATOR) and not is_public(solution):
        raise NotFound("solution")
    return solution


def is_public(solution: Solution) -> bool:
    return solution.status == PracticeStatus.PUBLISHED and solution.organisation.status == OrganisationStatus.ACTIVE


#: solutions a page of the coordinators' list shows
MODERATION_PER_PAGE = 50


def list_for_moderation(actor, status: str = "submitted", page: int = 1):
    """One page of the solutions in one status with their structure (read in the same query), the last
    changed first."""
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Solution)
        .join(Solution.organisation)
        .options(sa.orm.contains_eager(Solution.organisation))
        .order_by(Solution.updated_at.desc(), Solution.id.desc())
    )
    if status in set(PracticeStatus):
        stmt = stmt.where(Solution.status == status)
    return db.paginate(
        stmt, page=max(1, page), per_page=MODERATION_PER_PAGE, max_per_page=MODERATION_PER_PAGE, error_out=False
    )


# --- the search index -------------------------------------------------------------------------------------


def solution_term_rows(solution: Solution) -> list[dict]:
    """A solution's index rows, fields weighted as a practice's (clubess.practices.search.rebuild shares them)."""
    weights = term_weights(
        [
            (solution.title, FIELD_WEIGHTS["t"], REFERENCE_LENGTHS["t"]),
            (" . ".join(solution.themes or []), FIELD_WEIGHTS["h"], REFERENCE_LENGTHS["h"]),
            (solution.summary, FIELD_WEIGHTS["s"], REFERENCE_LENGTHS["s"]),
            (solution.description, FIELD_WEIGHTS["d"], REFERENCE_LENGTHS["d"]),
        ]
    )
    return [{"solution_id": solution.id, "term": t, "weight": w} for t, w in weights.items()]


def index_solution(solution: Solution) -> None:
    """(Re)write a solution's index rows and vector: only a published solution is found and matched."""
    db.session.flush()
    db.session.execute(sa.delete(SolutionTerm).where(SolutionTerm.solution_id == solution.id))
    db.session.execute(sa.delete(SolutionVector).where(SolutionVector.solution_id == solution.id))
    if solution.status == PracticeStatus.PUBLISHED:
        rows = solution_term_rows(solution)
        if rows:
            db.session.execute(sa.insert(SolutionTerm), rows)
        if semantic.enabled():
            write_solution_vectors([solution])
    bump_version()


def write_solution_vectors(solutions: list[Solution]) -> None:
    """The published solutions' whole-text embeddings, one call of the model for the lot (one solution when it is
    published, a batch in `flask actors reindex`); their old rows are gone."""
    matrix = semantic.embed([semantic.document_text(s.title, s.summary, s.themes) for s in solutions])
    db.session.execute(
        sa.insert(SolutionVector),
        [
            {"solution_id": s.id, "model": semantic.model_name(), "vector": semantic.to_bytes(v)}
            for s, v in zip(solutions, matrix, strict=True)
        ],
    )
