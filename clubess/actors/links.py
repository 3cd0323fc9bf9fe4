"""Links to the directory from other domains: a speaker's organisation, a meeting's co-organisers, a practice's
partners. Coordinators set them from the organisation's page; meeting and practice pages read them."""

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.actors.models import (
    Organisation,
    OrganisationStatus,
    meeting_co_organisers,
    practice_partner_organisations,
    speaker_organisations,
)
from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.meetings.models import Meeting, Speaker
from clubess.meetings.services import VISIBLE
from clubess.practices.models import Practice, PracticeStatus

MAX_LINKS = 200


def choices() -> dict[str, list]:
    """What a coordinator may link: every speaker and every meeting not in draft (two queries)."""
    return {
        "speakers": list(
            db.session.execute(sa.select(Speaker.id, Speaker.name, Speaker.organisation).order_by(Speaker.name))
        ),
        "meetings": list(
            db.session.execute(
                sa.select(Meeting.id, Meeting.title, Meeting.starts_at).order_by(Meeting.starts_at.desc())
            )
        ),
    }


def current(organisation: Organisation) -> dict[str, list]:
    """The ids and refs linked to `organisation` (three queries)."""
    return {
        "speakers": list(
            db.session.scalars(
                sa.select(speaker_organisations.c.speaker_id).where(
                    speaker_organisations.c.organisation_id == organisation.id
                )
            )
        ),
        "meetings": list(
            db.session.scalars(
                sa.select(meeting_co_organisers.c.meeting_id).where(
                    meeting_co_organisers.c.organisation_id == organisation.id
                )
            )
        ),
        "practices": list(
            db.session.scalars(
                sa.select(Practice.ref)
                .join(practice_partner_organisations, practice_partner_organisations.c.practice_id == Practice.id)
                .where(practice_partner_organisations.c.organisation_id == organisation.id)
                .order_by(Practice.ref)
            )
        ),
    }


def set_links(actor, organisation: Organisation, speaker_ids, meeting_ids, practice_refs) -> None:
    """Replace the organisation's links; unknown ids or refs are refused by name."""
    require_role(actor, Role.COORDINATOR)
    speaker_ids = list(dict.fromkeys(i for i in speaker_ids if isinstance(i, int)))[:MAX_LINKS]
    meeting_ids = list(dict.fromkeys(i for i in meeting_ids if isinstance(i, int)))[:MAX_LINKS]
    refs = list(dict.fromkeys(r.strip()[:40] for r in practice_refs if r.strip()))
    if len(refs) > MAX_LINKS:
        raise DomainError(_("%(n)d pratiques au plus.", n=MAX_LINKS), field="practices")
    found_speakers = (
        set(db.session.scalars(sa.select(Speaker.id).where(Speaker.id.in_(speaker_ids)))) if speaker_ids else set()
    )
    found_meetings = (
        set(db.session.scalars(sa.select(Meeting.id).where(Meeting.id.in_(meeting_ids)))) if meeting_ids else set()
    )
    practices = (
        dict(db.session.execute(sa.select(Practice.ref, Practice.id).where(Practice.ref.in_(refs))).all())
        if refs
        else {}
    )
    unknown = [r for r in refs if r not in practices]
    if unknown:
        raise DomainError(_("Pratique inconnue : %(refs)s.", refs=", ".join(unknown[:5])), field="practices")
    db.session.execute(
        sa.delete(speaker_organisations).where(speaker_organisations.c.organisation_id == organisation.id)
    )
    db.session.execute(sa.delete(speaker_organisations).where(speaker_organisations.c.speaker_id.in_(found_speakers)))
    db.session.execute(
        sa.delete(meeting_co_organisers).where(meeting_co_organisers.c.organisation_id == organisation.id)
    )
    db.session.execute(
        sa.delete(practice_partner_organisations).where(
            practice_partner_organisations.c.organisation_id == organisation.id
        )
    )
    rows = [
        (
            speaker_organisations,
            [{"speaker_id": i, "organisation_id": organisation.id} for i in sorted(found_speakers)],
        ),
        (
            meeting_co_organisers,
            [{"meeting_id": i, "organisation_id": organisation.id} for i in sorted(found_meetings)],
        ),
        (
            practice_partner_organisations,
            [{"practice_id": practices[r], "organisation_id": organisation.id} for r in refs],
        ),
    ]
    for table, values in rows:
        if values:
            db.session.execute(sa.insert(table), values)
    record(
        actor,
        "organisation.links_updated",
        organisation,
        speakers=len(found_speakers),
        meetings=len(found_meetings),
        practices=len(refs),
    )


def organisations_of(kind: str, target_id: int) -> list[Organisation]:
    """The listed organisations linked to a speaker, a meeting (co-organisers) or a practice (partners)."""
    table, column = {
        "speaker": (speaker_organisations, "speaker_id"),
        "meeting": (meeting_co_organisers, "meeting_id"),
        "practice": (practice_partner_organisations, "practice_id"),
    }[kind]
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(table, table.c.organisation_id == Organisation.id)
            .where(table.c[column] == target_id, Organisation.status == OrganisationStatus.ACTIVE)
            .order_by(Organisation.search_name)
        )
    )


def public_links(organisation: Organisation) -> dict[str, list]:
    """What the portrait shows: the meetings it co-organises (visible ones) and the published practices it
    is a partner of (titles are public portraits), speakers of the club from it (three queries)."""
    return {
        "meetings": list(
            db.session.scalars(
                sa.select(Meeting)
                .join(meeting_co_organisers, meeting_co_organisers.c.meeting_id == Meeting.id)
                .where(meeting_co_organisers.c.organisation_id == organisation.id, Meeting.status.in_(VISIBLE))
                .order_by(Meeting.starts_at.desc())
            )
        ),
        "practices": list(
            db.session.scalars(
                sa.select(Practice)
                .join(practice_partner_organisations, practice_partner_organisations.c.practice_id == Practice.id)
                .where(
                    practice_partner_organisations.c.organisation_id == organisation.id,
                    Practice.status == PracticeStatus.PUBLISHED,
                )
                .order_by(Practice.title)
            )
        ),
        "speakers": list(
            db.session.scalars(
                sa.select(Speaker)
                .join(speaker_organisations, speaker_organisations.c.speaker_id == Speaker.id)
                .where(speaker_organisations.c.organisation_id == organisation.id)
                .order_by(Speaker.name)
            )
        ),
    }
