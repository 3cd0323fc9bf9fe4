"""Organisations of the ESS (associations, coopératives, SIAE…), the solutions they offer, and their index rows."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc
from clubess.practices.models import PracticeStatus


class OrganisationKind(enum.StrEnum):
    ASSOCIATION = "association"
    SCOP = "scop"
    SCIC = "scic"
    SIAE = "siae"
    ENTREPRISE_ADAPTEE = "entreprise_adaptee"
    FONDATION = "fondation"
    MUTUELLE = "mutuelle"
    RESEAU = "reseau"
    OTHER = "other"


class OrganisationStatus(enum.StrEnum):
    #: asked to be listed through the public form, not yet reviewed
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    ARCHIVED = "archived"


organisation_territories = sa.Table(
    "organisation_territories",
    Base.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("territory_id", sa.ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True, index=True),
)

solution_territories = sa.Table(
    "solution_territories",
    Base.metadata,
    sa.Column("solution_id", sa.ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("territory_id", sa.ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True, index=True),
)

#: links from other domains to the directory (managed from the organisation's back-office page):
#: a speaker's organisation, a meeting's co-organisers, a practice's partners
speaker_organisations = sa.Table(
    "speaker_organisations",
    Base.metadata,
    sa.Column("speaker_id", sa.ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False, index=True),
)
meeting_co_organisers = sa.Table(
    "meeting_co_organisers",
    Base.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)
practice_partner_organisations = sa.Table(
    "practice_partner_organisations",
    Base.metadata,
    sa.Column("practice_id", sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organisation(DemoFlag, Base):
    """A structure of the ESS in the directory; a public request to be listed starts it as pending."""

    __tablename__ = "organisations"
    __table_args__ = (enum_check("kind", OrganisationKind), enum_check("status", OrganisationStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: the name in lower case, without accents or punctuation (clubess.core.duplicates.normalise): what search matches
    search_name: Mapped[str] = mapped_column(sa.String(200), default="", index=True)
    kind: Mapped[str] = mapped_column(sa.String(30), index=True)
    #: 14 digits, checked with Luhn (clubess.actors.siret); optional
    siret: Mapped[str | None] = mapped_column(sa.String(14))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=OrganisationStatus.ACTIVE.value, index=True)
    #: why a request was refused (mailed to its contact)
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: the consent sentence the structure ticked on the public form, word for word, and when
    consent_text: Mapped[str] = mapped_column(sa.Text, default="")
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    territories = relationship("Territory", secondary=organisation_territories, order_by="Territory.name")
    solutions: Mapped[list["Solution"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Solution.title"
    )


class Solution(DemoFlag, Base):
    """What an organisation offers collectivities; moderated like a practice (same statuses)."""

    __tablename__ = "solutions"
    __table_args__ = (enum_check("status", PracticeStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable public reference (import/export upsert key, API id), e.g. "SOL00001"
    ref: Mapped[str] = mapped_column(sa.String(40), unique=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown, sanitized at display
    description: Mapped[str] = mapped_column(sa.Text, default="")
    lever: Mapped[str] = mapped_column(sa.String(40), index=True)
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(20), default=PracticeStatus.SUBMITTED.value, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="solutions")
    territories = relationship("Territory", secondary=solution_territories, order_by="Territory.name")


class SolutionTerm(Base):
    """A published solution's rows of the search index (the practices' twin: clubess.practices.search)."""

    __tablename__ = "solution_postings"
    __table_args__ = (sa.Index("ix_solution_postings_term", "term", "solution_id", "weight"),)

    solution_id: Mapped[int] = mapped_column(sa.ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    #: BM25F term frequency, as PracticeTerm.weight
    weight: Mapped[float] = mapped_column(sa.Float)


class SolutionVector(Base):
    """A published solution's sentence embedding, as PracticeVector."""

    __tablename__ = "solution_vectors"

    solution_id: Mapped[int] = mapped_column(sa.ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(40))
    #: little-endian float32, unit length
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
