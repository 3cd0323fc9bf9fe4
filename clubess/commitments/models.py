"""A collectivity's commitments and the history of each one (who changed what, when, and why)."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.commitments import quarters
from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc
from clubess.core.vocabulary import LEVERS


class CommitmentStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"


#: a commitment still to carry out: followed at meetings until it is done or abandoned
OPEN = (CommitmentStatus.PLANNED.value, CommitmentStatus.IN_PROGRESS.value)


class Commitment(DemoFlag, Base):
    """What a collectivity said it would do, by when, with whom in charge."""

    __tablename__ = "commitments"
    __table_args__ = (
        enum_check("status", CommitmentStatus),
        sa.CheckConstraint("lever IN ({})".format(", ".join(f"'{k}'" for k in LEVERS)), name="lever_valid"),
        sa.CheckConstraint("target_quarter BETWEEN 1 AND 4", name="target_quarter_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivity_id: Mapped[int] = mapped_column(sa.ForeignKey("collectivities.id", ondelete="CASCADE"), index=True)
    #: the meeting where it was made (none: recorded by the référent outside a meeting)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    lever: Mapped[str] = mapped_column(sa.String(40))
    #: what success looks like, as the collectivity puts it
    success: Mapped[str] = mapped_column(sa.Text, default="")
    #: the person in charge: a person of the collectivity, in office when chosen
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    #: who was in charge once that person is erased (« personne effacée #12 »)
    responsible_label: Mapped[str] = mapped_column(sa.String(100), default="")
    target_year: Mapped[int]
    target_quarter: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default=CommitmentStatus.PLANNED.value, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: the last change of status, or of the commitment itself
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    collectivity = relationship("Collectivity")
    meeting = relationship("Meeting")
    responsible = relationship("Member")
    changes: Mapped[list["CommitmentChange"]] = relationship(
        back_populates="commitment", order_by="CommitmentChange.id", cascade="all, delete-orphan"
    )

    @property
    def target_index(self) -> int:
        return quarters.index(self.target_year, self.target_quarter)

    @property
    def target_code(self) -> str:
        return quarters.code(self.target_year, self.target_quarter)

    @property
    def target_label(self) -> str:
        return quarters.label(self.target_year, self.target_quarter)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def is_due(self, day: date) -> bool:
        """Its target quarter has started on `day` and it is neither done nor abandoned."""
        return self.is_open and quarters.first_day(self.target_year, self.target_quarter) <= day

    def is_overdue(self, day: date) -> bool:
        """Due, and its target quarter ended before `day`."""
        return self.is_open and quarters.last_day(self.target_year, self.target_quarter) < day

    @property
    def responsible_name(self) -> str:
        if self.responsible is not None:
            return self.responsible.full_name
        return self.responsible_label


class CommitmentChange(Base):
    """One line of a commitment's history: its recording, a change of status, a note, an edit."""

    __tablename__ = "commitment_changes"
    __table_args__ = (
        enum_check("to_status", CommitmentStatus),
        enum_check("from_status", CommitmentStatus, name="from_status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(sa.ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: the author's name when they wrote it (stays readable when the account goes; erasure relabels it)
    author_label: Mapped[str] = mapped_column(sa.String(200), default="")
    #: none for the recording of the commitment
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    commitment: Mapped[Commitment] = relationship(back_populates="changes")

    @property
    def changes_status(self) -> bool:
        return self.from_status is not None and self.from_status != self.to_status
