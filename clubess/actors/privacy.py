"""A person's data in the ESS directory: the structures whose contact is their address (RGPD export). Erasure
needs nothing of its own: the sweep of every text column (core/privacy.py) blanks their address and name there."""

import sqlalchemy as sa

from clubess.actors.models import Organisation
from clubess.extensions import db


def export(emails: list[str]) -> dict:
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(sa.func.lower(Organisation.contact_email).in_(emails or [""]))
        .order_by(Organisation.id)
    ).all()
    return {
        "ess_organisation_contacts": [
            {
                "organisation": o.name,
                "status": o.status,
                "contact_name": o.contact_name,
                "contact_email": o.contact_email,
                "contact_phone": o.contact_phone,
                "consent_text": o.consent_text,
                "consent_at": o.consent_at.isoformat() if o.consent_at else None,
            }
            for o in organisations
        ]
    }
