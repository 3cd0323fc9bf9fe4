"""Good practices, their revisions, the search index rows and the thesaurus."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, UtcDateTime, enum_check, now_utc


class PracticeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Provenance(enum.StrEnum):
    MEMBER = "member"
    CLUB = "club"
    PARTNER_NETWORK = "partner_network"


class Practice(Base):
    __tablename__ = "practices"
    __table_args__ = (enum_check("status", PracticeStatus), enum_check("provenance", Provenance))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable public reference (import/export upsert key, API id), e.g. "D001"
    ref: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown, sanitized at display
    description: Mapped[str] = mapped_column(sa.Text, default="")
    lever: Mapped[str] = mapped_column(sa.String(40), index=True)
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    year: Mapped[int | None] = mapped_column(index=True)
    partners: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: [{"label", "url"}]
    links: Mapped[list] = mapped_column(sa.JSON, default=list)
    territory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    territory_kind: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    department_code: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id"))
    collectivity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("collectivities.id"), index=True)
    contact_role: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    provenance: Mapped[str] = mapped_column(sa.String(20), default=Provenance.CLUB.value)
    review_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), default=PracticeStatus.DRAFT.value, index=True)
    #: the coordinators' last request for changes, shown to the author
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    #: number of indexed terms per field (BM25 length normalisation)
    len_title: Mapped[int] = mapped_column(default=0)
    len_themes: Mapped[int] = mapped_column(default=0)
    len_summary: Mapped[int] = mapped_column(default=0)
    len_description: Mapped[int] = mapped_column(default=0)

    contact = relationship("Member", foreign_keys=[contact_member_id])
    collectivity = relationship("Collectivity", foreign_keys=[collectivity_id])


class PracticeTheme(Base):
    """One row per theme of a practice, for facet counts in SQL."""

    __tablename__ = "practice_themes"

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(sa.String(100), primary_key=True, index=True)


class PracticeTerm(Base):
    """The inverted index, in the database: every worker reads the same, updated in the publishing transaction."""

    __tablename__ = "search_postings"
    __table_args__ = (sa.Index("ix_search_postings_term", "term", "practice_id", "weight"),)

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    #: BM25F term frequency: each field's count times its weight, normalised by the field's length
    weight: Mapped[float] = mapped_column(sa.Float)


class PracticeRevision(Base):
    """Every change of a practice, with who and when (the snapshot is the practice after the change)."""

    __tablename__ = "practice_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class ThesaurusEntry(Base):
    """A group of equivalent expressions, e.g. « ressourcerie, recyclerie, réemploi »; coordinators edit it."""

    __tablename__ = "thesaurus_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: comma-separated expressions, as typed
    expressions: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    @property
    def expression_list(self) -> list[str]:
        return [e.strip() for e in self.expressions.split(",") if e.strip()]


class SearchState(Base):
    """One row whose version rises with every index change: workers check it to reuse their vocabulary cache."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
