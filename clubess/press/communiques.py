"""Communiqués: writing, attachments, the embargo, sending to segments through the outbox, the press room."""

import bisect
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from unidecode import unidecode
from werkzeug.utils import secure_filename

from clubess.core import db as core_db
from clubess.core import uploads
from clubess.core.audit import record
from clubess.core.errors import DomainError, NotFound
from clubess.core.fragments import FragmentCache
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.mailing.models import MessageStatus, OutboxMessage
from clubess.mailing.services import queue_from_source
from clubess.press import contacts
from clubess.press.models import (
    Communique,
    CommuniqueAttachment,
    CommuniqueStatus,
    Delivery,
    DeliveryStatus,
)

SOURCE = "press.delivery"
CATEGORY = "press.communique"

#: what may be attached (recognised by core.uploads from the first bytes): what newsrooms open anywhere
ATTACHMENT_TYPES = frozenset({uploads.PDF, uploads.PNG, uploads.JPEG, uploads.WEBP})
MAX_ATTACHMENTS = 10


def now_utc() -> datetime:
    # Looked up here at each call, so a test can move this module's clock alone.
    return core_db.now_utc()


@dataclass
class CommuniqueData:
    title: str
    standfirst: str = ""
    body: str = ""
    contact_block: str = ""
    embargo_until: datetime | None = None


def club_press_contact() -> dict[str, str]:
    """Who journalists reach at the club: shown in the press room, prefilled in communiqués, their Reply-To."""
    config = current_app.config
    return {
        "name": config["PRESS_CONTACT_NAME"],
        "email": config["PRESS_CONTACT_EMAIL"] or config["CLUB_CONTACT_EMAIL"],
        "phone": config["PRESS_CONTACT_PHONE"],
    }


def default_contact_block() -> str:
    """The club's press contact as the Markdown block of a new communiqué (one line each)."""
    return "  \n".join(line for line in club_press_contact().values() if line)


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(title).lower()).strip("-")
    return slug[:80].rstrip("-") or "communique"


def _unique_slug(title: str, communique_id: int | None = None) -> str:
    base = slugify(title)
    taken = set(
        db.session.scalars(
            sa.select(Communique.slug).where(Communique.slug.like(f"{base}%"), Communique.id != (communique_id or 0))
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate(data: CommuniqueData, communique: Communique | None) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = _("Donnez un titre au communiqué.")
    elif len(data.title) > 200:
        errors["title"] = _("Le titre est trop long : 200 caractères au plus.")
    if not data.body.strip():
        errors["body"] = _("Écrivez le texte du communiqué.")
    changed = communique is None or data.embargo_until != communique.embargo_until
    if data.embargo_until and changed and data.embargo_until <= now_utc():
        errors["embargo_date"] = _("L’embargo doit finir dans le futur.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)


def save_communique(actor, communique: Communique | None, data: CommuniqueData) -> Communique:
    require_role(actor, Role.COORDINATOR)
    _validate(data, communique)
    creating = communique is None
    if creating or communique.status == CommuniqueStatus.DRAFT:
        # A sent communiqué keeps its address: journalists have the link.
        slug = _unique_slug(data.title, None if creating else communique.id)
    else:
        slug = communique.slug
    if creating:
        communique = Communique(created_by_id=actor.id, status=CommuniqueStatus.DRAFT.value)
        db.session.add(communique)
    communique.slug = slug
    communique.title = " ".join(data.title.split())
    communique.standfirst = data.standfirst.strip()
    communique.body = data.body.strip()
    communique.contact_block = data.contact_block.strip()
    communique.embargo_until = data.embargo_until
    db.session.flush()
    record(actor, "press.communique_created" if creating else "press.communique_updated", communique)
    return communique


def get_communique(actor, communique_id: int) -> Communique:
    require_role(actor, Role.COORDINATOR)
    communique = db.session.get(Communique, communique_id, options=[selectinload(Communique.attachments)])
    if communique is None:
        raise NotFound(_("Communiqué introuvable."))
    return communique


def delete_communique(actor, communique: Communique) -> None:
    require_role(actor, Role.COORDINATOR)
    if communique.status != CommuniqueStatus.DRAFT:
        raise DomainError(_("Un communiqué envoyé ne peut plus être supprimé : les journalistes l’ont reçu."))
    record(actor, "press.communique_deleted", None, communique_id=communique.id, title=communique.title)
    db.session.delete(communique)
    db.session.flush()


#: communiqués a page of the coordinators' list shows
PER_PAGE = 50


def list_communiques(actor, page: int = 1):
    """One page of the communiqués, newest first; each item is (communiqué, its deliveries counted by status),
    counted for that page only (three queries whatever the number of communiqués and deliveries)."""
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Communique).order_by(Communique.created_at.desc(), Communique.id.desc())
    pagination = db.paginate(stmt, page=max(1, page), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    counts: dict[int, dict[str, int]] = {c.id: {} for c in pagination.items}
    if counts:
        for cid, status, n in db.session.execute(
            sa.select(Delivery.communique_id, Delivery.status, sa.func.count())
            .where(Delivery.communique_id.in_(counts))
            .group_by(Delivery.communique_id, Delivery.status)
        ):
            counts[cid][status] = n
    pagination.items = [(c, counts[c.id]) for c in pagination.items]
    return pagination


# --- attachments ------------------------------------------------------------------------------------


def add_attachment(actor, communique: Communique, filename: str, data: bytes) -> CommuniqueAttachment:
    require_role(actor, Role.COORDINATOR)
    max_bytes = current_app.config["PRESS_ATTACHMENT_MAX_MB"] * 1024 * 1024
    total_bytes = current_app.config["PRESS_ATTACHMENTS_TOTAL_MB"] * 1024 * 1024
    filename = uploads.check_name(filename)
    if not data:
        raise DomainError(_("Le fichier est vide."), "file")
    if len(data) > max_bytes:
        raise DomainError(_("Le fichier dépasse %(n)d Mo.", n=current_app.config["PRESS_ATTACHMENT_MAX_MB"]), "file")
    content_type = uploads.detect_type(data, filename, ATTACHMENT_TYPES)
    if content_type is None:
        raise DomainError(_("Seuls les fichiers PDF, PNG, JPEG et WebP sont acceptés."), "file")
    if len(communique.attachments) >= MAX_ATTACHMENTS:
        raise DomainError(_("%(n)d pièces jointes au plus.", n=MAX_ATTACHMENTS), "file")
    if sum(a.size for a in communique.attachments) + len(data) > total_bytes:
        raise DomainError(
            _(
                "Les pièces jointes dépasseraient %(n)d Mo au total : les messageries des rédactions les refuseraient.",
                n=current_app.config["PRESS_ATTACHMENTS_TOTAL_MB"],
            ),
            "file",
        )
    name = secure_filename(unidecode(filename)) or f"piece-jointe.{content_type.rsplit('/', 1)[-1]}"
    attachment = CommuniqueAttachment(filename=name[:200], content_type=content_type, size=len(data), data=data)
    communique.attachments.append(attachment)
    communique.updated_at = now_utc()
    db.session.flush()
    record(actor, "press.attachment_added", communique, filename=attachment.filename, size=attachment.size)
    return attachment


def remove_attachment(actor, communique: Communique, attachment_id: int) -> None:
    require_role(actor, Role.COORDINATOR)
    attachment = next((a for a in communique.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(_("Pièce jointe introuvable."))
    communique.attachments.remove(attachment)
    communique.updated_at = now_utc()
    record(actor, "press.attachment_removed", communique, filename=attachment.filename)
    db.session.flush()


def get_attachment(communique: Communique, attachment_id: int) -> CommuniqueAttachment:
    attachment = db.session.scalar(
        sa.select(CommuniqueAttachment)
        .where(CommuniqueAttachment.id == attachment_id, CommuniqueAttachment.communique_id == communique.id)
        .options(sa.orm.undefer(CommuniqueAttachment.data))
    )
    if attachment is None:
        raise NotFound(_("Pièce jointe introuvable."))
    return attachment


# --- sending --------------------------------------------------------------------------------------------


@dataclass
class SendPreview:
    #: (contact id, email) of the contacts who will get it
    recipients: list[tuple[int, str]]
    #: contacts of the segment who already received this communiqué
    already: int
    segment: contacts.Segment


def preview_send(actor, communique: Communique, segment: contacts.Segment) -> SendPreview:
    require_role(actor, Role.COORDINATOR)
    fresh = contacts.recipients(segment, not_sent=communique.id)
    return SendPreview(recipients=fresh, already=contacts.count_recipients(segment) - len(fresh), segment=segment)


def send(actor, communique: Communique, segment: contacts.Segment, expected: int) -> int:
    """Queue the communiqué for every new recipient of the segment, in two bulk INSERTs; returns the count.

    The mail itself is rendered by the worker (mailing.sources): the address is checked again there.
    """
    preview = preview_send(actor, communique, segment)
    count = len(preview.recipients)
    if count == 0:
        raise DomainError(_("Aucun nouveau destinataire : tous les contacts de ce public l’ont déjà reçu."))
    if count != expected:
        raise DomainError(
            _(
                "Le nombre de destinataires a changé (%(now)d au lieu de %(then)d) : refaites l’aperçu.",
                now=count,
                then=expected,
            )
        )
    now = now_utc()
    if communique.status == CommuniqueStatus.DRAFT:
        communique.status = CommuniqueStatus.PUBLISHED.value
        communique.published_at = now
    description = segment.describe()
    delivery_ids = db.session.scalars(
        sa.insert(Delivery).returning(Delivery.id, sort_by_parameter_order=True),
        [
            {
                "communique_id": communique.id,
                "contact_id": cid,
                "email": email,
                "status": DeliveryStatus.QUEUED.value,
                "segment": description,
                "queued_at": now,
                "error": "",
            }
            for cid, email in preview.recipients
        ],
    ).all()
    queue_from_source(
        SOURCE,
        [
            (delivery_id, email, f"{SOURCE}:{delivery_id}")
            for delivery_id, (_cid, email) in zip(delivery_ids, preview.recipients, strict=True)
        ],
        category=CATEGORY,
        subject=communique.title,
    )
    record(actor, "press.communique_sent", communique, recipients=count, segment=description)
    return count


def cancel_queued_for(contact_id: int) -> None:
    """Withdraw what is still waiting in the outbox for this contact (it is being erased)."""
    ids = sa.select(Delivery.id).where(Delivery.contact_id == contact_id)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.source == SOURCE,
            OutboxMessage.source_id.in_(ids),
            OutboxMessage.status == MessageStatus.QUEUED,
        )
        .values(status=MessageStatus.CANCELLED.value, last_error="contact erased")
        .execution_options(synchronize_session=False)
    )


def delivery_counts(actor, communique: Communique) -> dict[str, int]:
    require_role(actor, Role.COORDINATOR)
    rows = db.session.execute(
        sa.select(Delivery.status, sa.func.count())
        .where(Delivery.communique_id == communique.id)
        .group_by(Delivery.status)
    )
    return dict(rows.all())


def list_deliveries(actor, communique: Communique, status: str = "", page: int = 1):
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Delivery)
        .where(Delivery.communique_id == communique.id)
        .options(selectinload(Delivery.contact))
        .order_by(Delivery.id)
    )
    if status in set(DeliveryStatus):
        stmt = stmt.where(Delivery.status == status)
    return db.paginate(stmt, page=max(1, page), per_page=100, max_per_page=100, error_out=False)


# --- the press room ---------------------------------------------------------------------------------

#: per data version: when the communiqués under embargo become public
_coming = FragmentCache(size=4, ttl=3600.0)


def _public():
    now = now_utc()
    return sa.and_(
        Communique.status == CommuniqueStatus.PUBLISHED,
        Communique.published_at <= now,
        sa.or_(Communique.embargo_until.is_(None), Communique.embargo_until <= now),
    )


def public_communiques(page: int = 1, per_page: int = 20):
    stmt = (
        sa.select(Communique)
        .where(_public())
        .options(selectinload(Communique.attachments))
        .order_by(Communique.published_at.desc(), Communique.id.desc())
    )
    return db.paginate(stmt, page=max(1, page), per_page=per_page, max_per_page=50, error_out=False)


def _coming_moments() -> tuple[datetime, ...]:
    """When each communiqué sent and not yet public becomes public (its embargo's end, or its publication time),
    in order."""
    now = now_utc()
    rows = db.session.execute(
        sa.select(Communique.published_at, Communique.embargo_until).where(
            Communique.status == CommuniqueStatus.PUBLISHED,
            Communique.published_at.is_not(None),
            sa.or_(Communique.published_at > now, Communique.embargo_until > now),
        )
    )
    return tuple(sorted(max(published, embargo or published) for published, embargo in rows))


def public_state() -> int:
    """What changes the press room without a write to the database: how many of the embargoes still running
    when the data last changed have ended since (one query per data version, none on the other requests)."""
    return bisect.bisect_right(_coming.get("moments", _coming_moments), now_utc())


def get_public(slug: str) -> Communique:
    """A communiqué the public may read: sent, and past its embargo."""
    communique = db.session.scalar(
        sa.select(Communique).where(Communique.slug == slug, _public()).options(selectinload(Communique.attachments))
    )
    if communique is None:
        raise NotFound(_("Communiqué introuvable."))
    return communique


def is_public(communique: Communique) -> bool:
    public_at = communique.public_at()
    return public_at is not None and public_at <= now_utc()
