"""What a held meeting leaves behind: its minutes and decisions, the workshop's contributions, the survey's answers."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc
from clubess.meetings.models import AgendaItem, Meeting


class MinutesStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ContributionKind(enum.StrEnum):
    #: what the participants observe on their territory
    CONSTAT = "constat"
    #: an initiative someone knows of and that deserves to be known
    INITIATIVE = "initiative"
    #: what the workshop recommends
    PRECONISATION = "preconisation"


class Minutes(DemoFlag, Base):
    """The compte rendu of one meeting: Markdown, edited by coordinators, published once, corrected after."""

    __tablename__ = "meeting_minutes"
    __table_args__ = (enum_check("status", MinutesStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=MinutesStatus.DRAFT.value)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: how many times the minutes were mailed to the attendees (1 at publication, + each correction mailed again)
    mailings: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    meeting: Mapped[Meeting] = relationship()
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="minutes", order_by="Decision.position", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.status == MinutesStatus.PUBLISHED


class Decision(Base):
    """One decision of the meeting, in the order the minutes list them."""

    __tablename__ = "minutes_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(500))
    #: one of the six levers (core.vocabulary.LEVERS), or none
    lever: Mapped[str | None] = mapped_column(sa.String(40))

    minutes: Mapped[Minutes] = relationship(back_populates="decisions")


class MinutesRevision(Base):
    """The minutes as published, then after each correction: who changed them, when, and whether it was mailed."""

    __tablename__ = "minutes_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_minutes.id", ondelete="CASCADE"), index=True)
    #: 1 for the publication, then 2, 3… for each correction
    number: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: the author's name when they acted (the account may be erased later)
    author_name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: what the correction changed, in the coordinator's words
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: this version was mailed to the attendees
    is_mailed: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: [{"text", "lever"}] in order
    decisions: Mapped[list] = mapped_column(sa.JSON, default=list)


class Contribution(DemoFlag, Base):
    """What a workshop produced: a finding, an initiative spotted or a recommendation."""

    __tablename__ = "workshop_contributions"
    __table_args__ = (enum_check("kind", ContributionKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    lever: Mapped[str | None] = mapped_column(sa.String(40))
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id", ondelete="SET NULL"), index=True)
    #: who entered it: a participant, or the coordinator
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    meeting: Mapped[Meeting] = relationship()
    territory = relationship("Territory")
    author = relationship("User")


class SurveyAnswer(DemoFlag, Base):
    """One attendee's answer to a held meeting's satisfaction questionnaire (at most one per registration)."""

    __tablename__ = "survey_answers"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: who answered (the link was theirs): once per person; coordinators see the answers without names
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), unique=True
    )
    rating: Mapped[int] = mapped_column()
    useful_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="SET NULL"))
    wished_theme: Mapped[str] = mapped_column(sa.String(200), default="")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    useful_item: Mapped[AgendaItem | None] = relationship()
