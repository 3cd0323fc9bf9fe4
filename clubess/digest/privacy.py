"""A person's digests, for the RGPD export: which months' digests were queued for them, and what window each covered."""

import sqlalchemy as sa

from clubess.digest.models import Digest
from clubess.extensions import db


def export(member_ids: list[int]) -> dict:
    """The digests queued for the person's memberships (one query)."""
    digests = db.session.scalars(
        sa.select(Digest).where(Digest.member_id.in_(member_ids or [-1])).order_by(Digest.period, Digest.id)
    )
    return {
        "digests": [
            {"month": d.period, "news_since": d.since_at.isoformat(), "news_until": d.until_at.isoformat()}
            for d in digests
        ]
    }
