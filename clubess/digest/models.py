"""One row per person and period a digest was queued for: what makes the digest go exactly once."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clubess.core import versions
from clubess.core.db import Base, UtcDateTime, now_utc


class Digest(Base):
    """The digest of one period (a month, "2026-11") queued for one person; its mail is rendered at delivery."""

    __tablename__ = "digests"
    __table_args__ = (sa.UniqueConstraint("member_id", "period", name="uq_digests_member_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), index=True)
    #: "YYYY-MM": the month the digest is sent in
    period: Mapped[str] = mapped_column(sa.String(7), index=True)
    #: what is new is what was published in [since_at, until_at)
    since_at: Mapped[datetime] = mapped_column(UtcDateTime)
    until_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: the upcoming meetings it lists (the next digest only counts others as new)
    meeting_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<Digest {self.period} member {self.member_id}>"


#: the record of digests sent: no page part depends on it
versions.ignore("digests")
