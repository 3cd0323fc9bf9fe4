"""One row per year a coordinator wrote about or published: the editorial parts and the published snapshot."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clubess.core.db import Base, UtcDateTime, now_utc

#: characters of an introduction or of the highlights at most
MAX_TEXT = 20_000


class AnnualReport(Base):
    """The bilan of one year: what coordinators wrote, and what the public sees once it is published."""

    __tablename__ = "annual_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    #: Markdown, written by a coordinator (rendered sanitised)
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    highlights: Mapped[str] = mapped_column(sa.Text, default="")
    is_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: when it was last published (kept after unpublishing: the log says the rest)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: what the public page shows, frozen at publish time: the texts and the figures (report.figures.public)
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    #: who changed it is in the audit log (no person's key here: nothing for the RGPD export to hold)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<AnnualReport {self.year}{' published' if self.is_published else ''}>"
