"""Meeting series, meetings, agenda items and speakers."""

import enum
import uuid
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc


class MeetingKind(enum.StrEnum):
    RENCONTRE = "rencontre"
    ATELIER_THEMATIQUE = "atelier_thematique"
    ATELIER_TERRITORIAL = "atelier_territorial"
    WEBINAIRE = "webinaire"
    EVENEMENT = "evenement"


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "presentiel"
    ONLINE = "en_ligne"
    HYBRID = "hybride"


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    HELD = "held"
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    MEMBERS = "members"
    PUBLIC = "public"


class ItemKind(enum.StrEnum):
    ACCUEIL = "accueil"
    INTERVENTION = "intervention"
    RETOUR_EXPERIENCE = "retour_experience"
    ECHANGE = "echange_bonnes_pratiques"
    TABLE_RONDE = "table_ronde"
    SIGNATURE = "signature"
    PAUSE = "pause"
    #: the review of the collectivities' commitments (clubess.commitments.followup writes its description)
    SUIVI_ENGAGEMENTS = "suivi_engagements"


class SpeakerKind(enum.StrEnum):
    ELU = "elu"
    EXPERT = "expert"
    STRUCTURE_ESS = "structure_ess"
    PARTENAIRE = "partenaire"


def new_uid() -> str:
    return f"{uuid.uuid4()}@clubess"


agenda_item_speakers = sa.Table(
    "agenda_item_speakers",
    Base.metadata,
    sa.Column("agenda_item_id", sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("speaker_id", sa.ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
)


class Speaker(DemoFlag, Base):
    """A reusable directory of speakers."""

    __tablename__ = "speakers"
    __table_args__ = (enum_check("kind", SpeakerKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default=SpeakerKind.EXPERT.value)
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))


class MeetingSeries(Base):
    """A rule (quarterly on the Nth weekday of month M of each quarter, or a list of dates) and defaults."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(30), default=MeetingKind.RENCONTRE.value)
    #: "quarterly" or "dates"
    rule: Mapped[str] = mapped_column(sa.String(20))
    year: Mapped[int | None]
    month_in_quarter: Mapped[int | None]
    weekday: Mapped[int | None]
    #: 1 to 4, or -1 for the last such weekday of the month
    nth: Mapped[int | None]
    dates: Mapped[list] = mapped_column(sa.JSON, default=list)
    start_time: Mapped[time] = mapped_column(sa.Time)
    end_time: Mapped[time] = mapped_column(sa.Time)
    format: Mapped[str] = mapped_column(sa.String(20), default=MeetingFormat.IN_PERSON.value)
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: [{"start": "HH:MM", "end": "HH:MM", "title", "kind", "description"}]
    template_agenda: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    meetings: Mapped[list["Meeting"]] = relationship(back_populates="series", order_by="Meeting.starts_at")


class Meeting(DemoFlag, Base):
    __tablename__ = "meetings"
    __table_args__ = (
        enum_check("kind", MeetingKind),
        enum_check("format", MeetingFormat),
        enum_check("status", MeetingStatus),
        enum_check("audience", Audience),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    format: Mapped[str] = mapped_column(sa.String(20), default=MeetingFormat.IN_PERSON.value)
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    department_code: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    #: the territory the meeting is held in or is about (« Territoire concerné »): its territory page lists it
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id", ondelete="SET NULL"), index=True)
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int | None]
    registration_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime)
    audience: Mapped[str] = mapped_column(sa.String(20), default=Audience.MEMBERS.value)
    status: Mapped[str] = mapped_column(sa.String(20), default=MeetingStatus.DRAFT.value, index=True)
    #: RFC 5545 UID: never changes, so calendar apps update the event instead of duplicating it
    uid: Mapped[str] = mapped_column(sa.String(100), unique=True, default=new_uid)
    #: RFC 5545 SEQUENCE: raised on every change of time, place or link
    sequence: Mapped[int] = mapped_column(default=0)
    #: edited on its own: the series template no longer rewrites it
    is_customised: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    series: Mapped[MeetingSeries | None] = relationship(back_populates="meetings")
    territory = relationship("Territory")
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (enum_check("kind", ItemKind), sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(30), default=ItemKind.INTERVENTION.value)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: the practice fiche a « retour d'expérience » presented (resources.presentations links and drafts it)
    practice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("practices.id", ondelete="SET NULL"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    speakers: Mapped[list[Speaker]] = relationship(secondary=agenda_item_speakers, order_by="Speaker.name")


class RegistrationStatus(enum.StrEnum):
    #: a seat is held
    REGISTERED = "registered"
    #: in the queue, in order of `queued_at`
    WAITLISTED = "waitlisted"
    #: a seat freed up: held for this person until `offer_expires_at`
    OFFERED = "offered"
    #: a guest who has not yet confirmed their email address
    PENDING = "pending"
    CANCELLED = "cancelled"


#: statuses that hold a seat against the capacity
SEATED = (RegistrationStatus.REGISTERED.value, RegistrationStatus.OFFERED.value)


class Attendance(enum.StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    ABSENT = "absent"


class AttendMode(enum.StrEnum):
    IN_PERSON = "presentiel"
    ONLINE = "en_ligne"


class Registration(Base):
    """One person's place at a meeting: a member (possibly registered by a colleague) or a guest."""

    __tablename__ = "registrations"
    __table_args__ = (
        enum_check("status", RegistrationStatus),
        enum_check("attendance", Attendance),
        enum_check("mode", AttendMode),
        sa.UniqueConstraint("meeting_id", "email", name="uq_registrations_person"),
        sa.Index("ix_registrations_queue", "meeting_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: the person attending, when a member; guests have none
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    collectivity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("collectivities.id", ondelete="SET NULL"))
    #: the élu this person stands in for (delegation): their collectivity is counted once
    on_behalf_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    #: who filled the form, when not the person themselves
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: where mail goes (the member's address, or the guest's); None only for a walk-in who gave none
    email: Mapped[str | None] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    is_guest: Mapped[bool] = mapped_column(default=False)
    #: came without registering, added by a coordinator with the attendance (clubess.meetings.attendance):
    #: status registered and present, holds no seat, is never mailed a registration's messages
    is_walk_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[str] = mapped_column(sa.String(20), default=RegistrationStatus.REGISTERED.value)
    mode: Mapped[str] = mapped_column(sa.String(20), default=AttendMode.IN_PERSON.value)
    attendance: Mapped[str] = mapped_column(sa.String(20), default=Attendance.UNKNOWN.value)
    #: the collectivity may be shown to the other registrants
    share_presence: Mapped[bool] = mapped_column(default=False)
    #: the place in the waiting list (first come, first offered)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    meeting: Mapped[Meeting] = relationship()
    member = relationship("Member", foreign_keys=[member_id])
    on_behalf_of = relationship("Member", foreign_keys=[on_behalf_of_id])
    collectivity = relationship("Collectivity", foreign_keys=[collectivity_id])

    @property
    def holds_seat(self) -> bool:
        return self.status in SEATED and not self.is_walk_in


class InvitationResponse(enum.StrEnum):
    NONE = "none"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Invitation(Base):
    """Who was invited to a meeting, when, and what they answered."""

    __tablename__ = "invitations"
    __table_args__ = (
        enum_check("response", InvitationResponse),
        sa.UniqueConstraint("meeting_id", "email", name="uq_invitations_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: the audience that selected this person, as shown to coordinators ("élus du 93")
    audience: Mapped[str] = mapped_column(sa.String(200), default="")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    response: Mapped[str] = mapped_column(sa.String(20), default=InvitationResponse.NONE.value)
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminders: Mapped[int] = mapped_column(default=0)

    meeting: Mapped[Meeting] = relationship()
    member = relationship("Member", foreign_keys=[member_id])
