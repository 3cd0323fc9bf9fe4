"""A person's part in commitments: what the RGPD export shows, what erasure does.

A commitment belongs to its collectivity: it stays when the person in charge is erased, without their name
(« personne effacée #id » where it was); the history keeps who changed what under the same label, and the
sweep of members.privacy takes their name and address out of the texts (notes, what success looks like).
"""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.commitments.models import Commitment, CommitmentChange
from clubess.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def _commitment(c: Commitment) -> dict:
    return {
        "collectivity": c.collectivity.name,
        "title": c.title,
        "lever": c.lever,
        "success": c.success,
        "target_quarter": c.target_label,
        "status": c.status,
        "meeting": c.meeting.title if c.meeting else None,
        "created_at": _iso(c.created_at),
    }


def export(member_ids: list[int], user_id: int) -> dict:
    """The commitments the person is in charge of, those they recorded, and the changes they wrote (3 queries)."""
    commitments = db.session.scalars(
        sa.select(Commitment)
        .where(sa.or_(Commitment.responsible_id.in_(member_ids or [-1]), Commitment.created_by_id == user_id))
        .options(selectinload(Commitment.collectivity), selectinload(Commitment.meeting))
        .order_by(Commitment.id)
    ).all()
    changes = db.session.execute(
        sa.select(CommitmentChange, Commitment.title)
        .join(Commitment, Commitment.id == CommitmentChange.commitment_id)
        .where(CommitmentChange.author_id == user_id)
        .order_by(CommitmentChange.id)
    ).all()
    return {
        "commitments_in_charge": [_commitment(c) for c in commitments if c.responsible_id in member_ids],
        "commitments_recorded": [_commitment(c) for c in commitments if c.created_by_id == user_id],
        "commitment_changes": [
            {
                "commitment": title,
                "from_status": change.from_status,
                "to_status": change.to_status,
                "note": change.note,
                "at": _iso(change.created_at),
            }
            for change, title in changes
        ],
    }


def forget(member_ids: list[int], user_id: int | None, label: str) -> dict[str, int]:
    """Erasure: the person leaves the commitments they were in charge of (the label takes their place), and the
    history lines they wrote carry the label instead of their name."""
    in_charge = db.session.execute(
        sa.update(Commitment)
        .where(Commitment.responsible_id.in_(member_ids or [-1]))
        .values(responsible_id=None, responsible_label=label)
        .execution_options(synchronize_session=False)
    )
    if user_id is not None:
        db.session.execute(
            sa.update(CommitmentChange)
            .where(CommitmentChange.author_id == user_id)
            .values(author_label=label)
            .execution_options(synchronize_session=False)
        )
    return {"commitments": in_charge.rowcount or 0}
