"""The coordinators' view of every commitment: filters, counts per status, the page and the CSV export.

Each function runs a fixed number of queries, whatever the number of commitments.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.commitments import quarters
from clubess.commitments.models import OPEN, Commitment, CommitmentChange, CommitmentStatus
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings.models import Meeting
from clubess.members.hierarchy import departments_of, in_department
from clubess.members.models import Collectivity, Territory

PER_PAGE = 50


@dataclass
class Filters:
    status: str = ""
    lever: str = ""
    department: str = ""
    meeting_id: int | None = None
    target: tuple[int, int] | None = None
    #: "due" (target quarter started, still open; overdue ones included) or "overdue" (target quarter over)
    deadline: str = ""


def deadline_of(commitment: Commitment, day: date) -> str:
    """ "overdue", "due" or "" for a commitment on `day`."""
    if commitment.is_overdue(day):
        return "overdue"
    return "due" if commitment.is_due(day) else ""


def _conditions(filters: Filters, day: date, with_status: bool = True) -> list:
    target = Commitment.target_year * 4 + Commitment.target_quarter - 1
    now = quarters.index(*quarters.of_day(day))
    conditions = []
    if with_status and filters.status:
        conditions.append(Commitment.status == filters.status)
    if filters.lever:
        conditions.append(Commitment.lever == filters.lever)
    if filters.department:
        conditions.append(Territory.id.in_(in_department(filters.department)))
    if filters.meeting_id:
        conditions.append(Commitment.meeting_id == filters.meeting_id)
    if filters.target:
        conditions += [Commitment.target_year == filters.target[0], Commitment.target_quarter == filters.target[1]]
    if filters.deadline == "due":
        conditions += [Commitment.status.in_(OPEN), target <= now]
    elif filters.deadline == "overdue":
        conditions += [Commitment.status.in_(OPEN), target < now]
    return conditions


def _select(*columns):
    return (
        sa.select(*columns)
        .select_from(Commitment)
        .join(Collectivity, Collectivity.id == Commitment.collectivity_id)
        .join(Territory, Territory.id == Collectivity.territory_id)
    )


def _ordered(query):
    return query.order_by(
        Commitment.target_year, Commitment.target_quarter, Territory.name, Commitment.title, Commitment.id
    )


def _loaded(query):
    return query.options(
        selectinload(Commitment.collectivity), selectinload(Commitment.responsible), selectinload(Commitment.meeting)
    )


def list_commitments(actor, filters: Filters, page: int = 1, day: date | None = None):
    """One page of the commitments that match the filters (a Flask-SQLAlchemy pagination; 5 queries)."""
    require_role(actor, Role.COORDINATOR)
    query = _loaded(_ordered(_select(Commitment).where(*_conditions(filters, day or quarters.today()))))
    return db.paginate(query, page=max(1, page), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)


def all_commitments(actor, filters: Filters, day: date | None = None) -> list[Commitment]:
    """Every commitment that matches the filters, for the export (4 queries)."""
    require_role(actor, Role.COORDINATOR)
    query = _loaded(_ordered(_select(Commitment).where(*_conditions(filters, day or quarters.today()))))
    return list(db.session.scalars(query))


def count_by_status(actor, filters: Filters, day: date | None = None) -> dict[str, int]:
    """How many commitments in each status match the other filters (the status filter aside), and the total."""
    require_role(actor, Role.COORDINATOR)
    rows = db.session.execute(
        _select(Commitment.status, sa.func.count())
        .where(*_conditions(filters, day or quarters.today(), with_status=False))
        .group_by(Commitment.status)
    ).all()
    counts = {status.value: 0 for status in CommitmentStatus}
    counts.update(dict(rows))
    return counts


def filter_choices(actor) -> tuple[list[str], list[Meeting], list[tuple[int, int]]]:
    """The départements, meetings and target quarters that have commitments (3 queries)."""
    require_role(actor, Role.COORDINATOR)
    department = departments_of()
    departments = db.session.scalars(
        _select(department.c.code)
        .join(department, department.c.territory_id == Territory.id)
        .distinct()
        .order_by(department.c.code)
    ).all()
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(sa.exists().where(Commitment.meeting_id == Meeting.id))
        .order_by(Meeting.starts_at.desc())
    ).all()
    targets = db.session.execute(
        sa.select(Commitment.target_year, Commitment.target_quarter)
        .distinct()
        .order_by(Commitment.target_year, Commitment.target_quarter)
    ).all()
    return list(departments), list(meetings), [tuple(t) for t in targets]


def last_changes(commitment_ids: list[int]) -> dict[int, CommitmentChange]:
    """The latest history line of each commitment (one query)."""
    if not commitment_ids:
        return {}
    latest = (
        sa.select(sa.func.max(CommitmentChange.id))
        .where(CommitmentChange.commitment_id.in_(commitment_ids))
        .group_by(CommitmentChange.commitment_id)
    )
    changes = db.session.scalars(sa.select(CommitmentChange).where(CommitmentChange.id.in_(latest))).all()
    return {c.commitment_id: c for c in changes}
