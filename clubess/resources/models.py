"""Documents: those of a meeting (slides, studies, photos, the replay) and those of the resource centre."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, deferred, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc


class DocumentKind(enum.StrEnum):
    SLIDES = "support"
    STUDY = "etude"
    GUIDE = "guide"
    MINUTES = "compte_rendu"
    REPLAY = "replay"
    PHOTO = "photo"
    OTHER = "autre"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    #: the people registered to the document's meeting (and coordinators): never in the resource centre
    REGISTRANTS = "registrants"


document_practices = sa.Table(
    "resource_document_practices",
    Base.metadata,
    sa.Column("document_id", sa.ForeignKey("resource_documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("practice_id", sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Document(DemoFlag, Base):
    """A file (or, for a replay, a link) of a meeting or of the resource centre (no meeting)."""

    __tablename__ = "resource_documents"
    __table_args__ = (
        enum_check("kind", DocumentKind),
        enum_check("visibility", Visibility),
        sa.CheckConstraint("visibility != 'registrants' OR meeting_id IS NOT NULL", name="registrants_of_a_meeting"),
        sa.CheckConstraint("stored_name IS NOT NULL OR url != ''", name="file_or_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: none: a document of the resource centre itself (a partner network's study, a guide)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(20))
    lever: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    visibility: Mapped[str] = mapped_column(sa.String(20), default=Visibility.MEMBERS.value)
    #: the year of a centre document (its publication); a meeting's documents take the meeting's year
    year: Mapped[int | None]
    #: a replay's address (http or https)
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: the file's generated name under UPLOAD_FOLDER (core.uploads.store); never a name people gave
    stored_name: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    #: the name the file had when uploaded: shown, and sent back in Content-Disposition
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    content_type: Mapped[str] = mapped_column(sa.String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    #: the text of a PDF, extracted at upload for the search (never shown)
    text: Mapped[str] = deferred(mapped_column(sa.Text, default="", nullable=False))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    meeting = relationship("Meeting")
    #: deleting an agenda item leaves its documents on the meeting (SQLite enforces no foreign key: the ORM does it)
    agenda_item = relationship("AgendaItem", backref=backref("documents", passive_deletes=False))
    practices = relationship("Practice", secondary=document_practices, order_by="Practice.title")

    @property
    def is_link(self) -> bool:
        return self.stored_name is None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def opens_inline(self) -> bool:
        """PDFs and pictures open in the browser; office documents are downloaded."""
        return self.is_image or self.content_type == "application/pdf"

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.kind} {self.title!r}>"


class DocumentTerm(Base):
    """The documents' inverted index (as the practices' one): written in the transaction that saves the document."""

    __tablename__ = "resource_postings"
    __table_args__ = (sa.Index("ix_resource_postings_term", "term", "document_id", "weight"),)

    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource_documents.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    weight: Mapped[float] = mapped_column(sa.Float)
