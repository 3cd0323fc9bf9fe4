"""A person's part in the ESS policy profiles, for the RGPD export: the profiles naming them as the élu in charge,
and those they saved. A profile belongs to its collectivity: erasing the élu leaves it, the élu's name gone
with their member row (the pages then say « un·e élu·e »)."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from clubess.extensions import db
from clubess.territories.policy_models import PolicyProfile


def _profile(p: PolicyProfile) -> dict:
    return {"collectivity": p.collectivity.name, "year": p.year, "updated_at": p.updated_at.isoformat()}


def export(member_ids: list[int], user_id: int | None) -> dict:
    """The profiles naming the person as élu in charge, and those they saved last (one query)."""
    profiles = db.session.scalars(
        sa.select(PolicyProfile)
        .where(sa.or_(PolicyProfile.elu_id.in_(member_ids or [-1]), PolicyProfile.updated_by_id == user_id))
        .options(selectinload(PolicyProfile.collectivity))
        .order_by(PolicyProfile.id)
    ).all()
    return {
        "policy_profiles_in_charge": [_profile(p) for p in profiles if p.elu_id in member_ids],
        "policy_profiles_saved": [_profile(p) for p in profiles if user_id is not None and p.updated_by_id == user_id],
    }
