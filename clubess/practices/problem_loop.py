"""The coordinators' loop over the problems: one page of them, the unanswered ones grouped by lever and theme,
and a group turned into an agenda item.

Paged, so that the page answers alike with 20 problems or 2,000: the page's rows, their feedback counts and best
practices are read for that page only, and the groups (what every unanswered problem shares) are kept per data
version (clubess.core.fragments) and read from three light columns when the data changed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from clubess.actors.models import Solution
from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.core.fragments import FragmentCache
from clubess.core.permissions import Role, require_role
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.practices.models import MatchFeedback, Practice, Problem, ProblemStatus, SolutionFeedback

PER_PAGE = 50
_groups_cache = FragmentCache(size=4, ttl=300.0)


@dataclass
class Group:
    """Unanswered problems sharing a lever and a theme (a problem with two themes is in two groups)."""

    lever: str
    theme: str
    problem_ids: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.lever}|{self.theme}"

    @property
    def count(self) -> int:
        return len(self.problem_ids)


@dataclass
class Loop:
    pagination: Pagination
    #: {problem id: {verdict: count}} for the problems of the page
    counts: dict[int, dict[str, int]]
    #: {practice id: practice}: the best answer of the page's problems best answered by a practice
    best: dict[int, Practice]
    #: {solution id: solution}: the best answer of the page's problems best answered by an ESS actor's solution
    best_solutions: dict[int, Solution]
    groups: list[Group]

    @property
    def unanswered_total(self) -> int:
        """How many problems are « sans réponse » in all: every one is in a group (one per theme)."""
        return len({problem_id for group in self.groups for problem_id in group.problem_ids})


def unanswered_condition() -> sa.ColumnElement:
    """SQL condition on Problem: « sans réponse » (see `is_unanswered`)."""
    return sa.and_(
        Problem.status != ProblemStatus.CLOSED.value,
        Problem.agenda_item_id.is_(None),
        Problem.is_answered.is_(False),
    )


def is_unanswered(problem: Problem) -> bool:
    """The loop's « sans réponse »: the stored decision (`decide`), for a problem still open to answers."""
    return not problem.is_answered and problem.status != ProblemStatus.CLOSED and problem.agenda_item_id is None


def _read_groups() -> list[Group]:
    groups: dict[str, Group] = {}
    rows = db.session.execute(
        sa.select(Problem.id, Problem.lever, Problem.themes)
        .where(unanswered_condition())
        .order_by(Problem.created_at.desc(), Problem.id.desc())
    )
    for problem_id, lever, themes in rows:
        for theme in themes or [""]:
            group = Group(lever or "", theme.strip().lower())
            groups.setdefault(group.key, group).problem_ids.append(problem_id)
    return sorted(groups.values(), key=lambda g: (-g.count, g.lever, g.theme))


def unanswered_groups() -> list[Group]:
    """The unanswered problems grouped by lever and theme, the largest groups first."""
    return _groups_cache.get("groups", _read_groups)


def loop(actor, lever: str = "", unanswered_only: bool = False, page: int = 1) -> Loop:
    """One page of the open problems (newest first), with their best answer and feedback counts, and the
    unanswered ones grouped (a bounded number of queries whatever the number of problems)."""
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Problem)
        .options(sa.orm.joinedload(Problem.collectivity), sa.orm.defer(Problem.vector))
        .where(Problem.status != ProblemStatus.CLOSED)
        .order_by(Problem.created_at.desc(), Problem.id.desc())
    )
    if lever in LEVERS:
        stmt = stmt.where(Problem.lever == lever)
    if unanswered_only:
        stmt = stmt.where(unanswered_condition())
    pagination = db.paginate(stmt, page=max(1, page), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    ids = [p.id for p in pagination.items]
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if ids:
        verdicts = sa.union_all(  # on the practices and on the ESS actors' solutions proposed
            sa.select(MatchFeedback.problem_id, MatchFeedback.verdict).where(MatchFeedback.problem_id.in_(ids)),
            sa.select(SolutionFeedback.problem_id, SolutionFeedback.verdict).where(
                SolutionFeedback.problem_id.in_(ids)
            ),
        ).subquery()
        for problem_id, verdict, n in db.session.execute(
            sa.select(verdicts.c.problem_id, verdicts.c.verdict, sa.func.count()).group_by(
                verdicts.c.problem_id, verdicts.c.verdict
            )
        ):
            counts[problem_id][verdict] = n
    best = _by_id(Practice, {p.best_practice_id for p in pagination.items if p.best_practice_id})
    best_solutions = _by_id(Solution, {p.best_solution_id for p in pagination.items if p.best_solution_id})
    return Loop(pagination, counts, best, best_solutions, unanswered_groups())


def _by_id(model, ids: set[int]) -> dict:
    """{id: row} of `model` for `ids` (one query, none without ids)."""
    return {row.id: row for row in db.session.scalars(sa.select(model).where(model.id.in_(ids)))} if ids else {}


def propose_agenda_item(actor, meeting, lever: str, theme: str):
    """Turn a group of unanswered problems into a proposed agenda item of a draft meeting."""
    require_role(actor, Role.COORDINATOR)
    from clubess.meetings.models import ItemKind, MeetingStatus
    from clubess.meetings.programme import save_item

    if meeting.status != MeetingStatus.DRAFT:
        raise DomainError(_("Seule une rencontre en brouillon peut recevoir une proposition."), field="meeting")
    group = next((g for g in _read_groups() if g.lever == lever and g.theme == theme), None)
    if group is None:
        raise DomainError(_("Ce groupe n’a plus de problématique sans réponse."))
    duration = timedelta(minutes=30)
    starts = max([i.ends_at for i in meeting.items] or [meeting.starts_at])
    if starts + duration > meeting.ends_at:
        raise DomainError(
            _("L’ordre du jour de cette rencontre est plein : libérez 30 minutes ou choisissez une autre rencontre."),
            field="meeting",
        )
    problems = list(
        db.session.scalars(
            sa.select(Problem)
            .options(sa.orm.joinedload(Problem.collectivity), sa.orm.defer(Problem.vector))
            .where(Problem.id.in_(group.problem_ids))
            .order_by(Problem.created_at.desc(), Problem.id.desc())
        ).unique()
    )
    label = theme or (str(LEVERS[lever]) if lever in LEVERS else _("sans thème"))
    title = _("Problématique à traiter : %(label)s (%(count)s)", label=label, count=len(problems))[:200]
    lines = [_("Problématiques exprimées par les membres, sans bonne pratique qui y réponde :")]
    for problem in problems[:20]:
        who = problem.collectivity.name if problem.collectivity else _("membre")
        lines.append(f"- {who} : « {problem.text[:300]} »")
    item = save_item(
        actor,
        meeting,
        None,
        title,
        ItemKind.ECHANGE.value,
        starts,
        starts + duration,
        "\n".join(lines),
    )
    for problem in problems:
        problem.agenda_item_id = item.id
    record(actor, "problem.proposed", meeting, lever=lever, theme=theme, problems=len(problems))
    return item


def draft_meetings():
    from clubess.core.db import now_utc
    from clubess.meetings.models import Meeting, MeetingStatus

    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.status == MeetingStatus.DRAFT, Meeting.starts_at > now_utc())
            .order_by(Meeting.starts_at)
            .limit(20)
        )
    )
