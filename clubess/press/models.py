"""Press contacts, communiqués with their attachments, and the delivery of each communiqué to each contact."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from clubess.core import versions
from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc


class ContactStatus(enum.StrEnum):
    ACTIVE = "active"
    #: subscribed through the public form, waiting for the confirmation link to be followed
    PENDING = "pending"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"


class OutletKind(enum.StrEnum):
    NATIONAL = "nationale"
    REGIONAL = "regionale"
    SPECIALISED = "specialisee"
    BROADCAST = "audiovisuel"
    ONLINE = "en_ligne"
    AGENCY = "agence"
    INSTITUTIONAL = "institutionnel"
    MEMBER = "membre"
    OTHER = "autre"


class LegalBasis(enum.StrEnum):
    #: the journalist's professional address, for press relations (GDPR art. 6.1.f)
    LEGITIMATE_INTEREST = "interet_legitime"
    #: the person asked for the communiqués (art. 6.1.a), proven by the confirmation link
    CONSENT = "consentement"


class PressContact(Base):
    __tablename__ = "press_contacts"
    __table_args__ = (
        enum_check("status", ContactStatus),
        enum_check("outlet_kind", OutletKind),
        enum_check("legal_basis", LegalBasis),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-cased: one contact per address, imports merge on it
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    outlet: Mapped[str] = mapped_column(sa.String(200), default="")
    outlet_kind: Mapped[str] = mapped_column(sa.String(20), default=OutletKind.OTHER.value)
    #: themes the journalist covers, comma separated, lower case ("économie, ess, emploi")
    beats: Mapped[str] = mapped_column(sa.String(500), default="")
    departement: Mapped[str] = mapped_column(sa.String(3), default="", index=True)
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    legal_basis: Mapped[str] = mapped_column(sa.String(20), default=LegalBasis.LEGITIMATE_INTEREST.value)
    #: where the contact comes from ("saisie", "import fichier.csv", "abonnement")
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=ContactStatus.ACTIVE.value, index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: the SMTP answer that marked the address bounced
    bounce_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    @property
    def beat_list(self) -> list[str]:
        return [b.strip() for b in self.beats.split(",") if b.strip()]

    def __repr__(self) -> str:
        return f"<PressContact {self.email} {self.status}>"


class CommuniqueStatus(enum.StrEnum):
    DRAFT = "draft"
    #: sent (or published) once: public from the end of its embargo
    PUBLISHED = "published"


class Communique(DemoFlag, Base):
    __tablename__ = "communiques"
    __table_args__ = (enum_check("status", CommuniqueStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    standfirst: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown, sanitized when rendered
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: who journalists call: Markdown, prefilled with the club's press contact
    contact_block: Mapped[str] = mapped_column(sa.Text, default="")
    #: nothing may be published before this instant; the mail says so
    embargo_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default=CommuniqueStatus.DRAFT.value, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: the meeting it was prepared from (*Préparer un communiqué* on the meeting's back-office page)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    attachments: Mapped[list["CommuniqueAttachment"]] = relationship(
        back_populates="communique",
        order_by="CommuniqueAttachment.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def public_at(self) -> datetime | None:
        """When the press room shows it: its publication, or the end of its embargo if later."""
        if self.status != CommuniqueStatus.PUBLISHED or self.published_at is None:
            return None
        return max(self.published_at, self.embargo_until) if self.embargo_until else self.published_at

    def __repr__(self) -> str:
        return f"<Communique {self.slug} {self.status}>"


class CommuniqueAttachment(Base):
    __tablename__ = "communique_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    communique_id: Mapped[int] = mapped_column(sa.ForeignKey("communiques.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    #: kept in the database: one backup holds everything, and every worker reads the same bytes
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    communique: Mapped[Communique] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"
    #: the address was unsubscribed or bounced by the time the worker reached it
    SKIPPED = "skipped"


class Delivery(Base):
    """One communiqué to one address: the same address never gets the same communiqué twice."""

    __tablename__ = "press_deliveries"
    __table_args__ = (
        enum_check("status", DeliveryStatus),
        sa.UniqueConstraint("communique_id", "email", name="uq_press_deliveries_communique_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    communique_id: Mapped[int] = mapped_column(sa.ForeignKey("communiques.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("press_contacts.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[str] = mapped_column(sa.String(20), default=DeliveryStatus.QUEUED.value, index=True)
    #: the segment it was sent with, as the coordinator saw it
    segment: Mapped[str] = mapped_column(sa.String(200), default="")
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str] = mapped_column(sa.String(500), default="")

    contact: Mapped[PressContact | None] = relationship()


#: delivery rows the worker updates as it sends: no cached page part depends on them
versions.ignore("press_deliveries")
