"""The « Politique ESS des membres » section of a territory page: for members and coordinators only.

For the territory and everything inside it, each active member collectivity with its latest profile (year
shown) as a readable summary, and how many of them reached each milestone (« 3 collectivités sur 5 ont adopté
un SPASER »). One query whatever the number of collectivities.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core.db import alias
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.members.hierarchy import inside
from clubess.members.models import Collectivity, CollectivityStatus, Member, Territory
from clubess.territories import sections
from clubess.territories.policy_models import STAGE_LABELS, PolicyProfile, latest_years

KEY = "politique"
ORDER = 60


@dataclass
class Row:
    collectivity: Collectivity
    territory: Territory
    profile: PolicyProfile | None
    #: who is in charge of the ESS, as members may read it ("" when nobody is named)
    elu: str = ""


def elu_label(profile: PolicyProfile, elu: Member | None) -> str:
    """The élu in charge as members may read it: a registered person only within their directory consent."""
    if elu is not None:
        if elu.anonymised_at is None and elu.show_in_directory:
            return elu.full_name
        return _("un·e élu·e (nom non publié dans l’annuaire)")
    return profile.elu_name


def rows_for(territory: Territory) -> list[Row]:
    """The active member collectivities in the territory (itself included), each with its latest profile."""
    latest = latest_years()
    elu = alias(Member, "elu")
    stmt = (
        sa.select(Collectivity, Territory, PolicyProfile, elu)
        .join(Territory, Territory.id == Collectivity.territory_id)
        .outerjoin(latest, latest.c.collectivity_id == Collectivity.id)
        .outerjoin(
            PolicyProfile,
            sa.and_(PolicyProfile.collectivity_id == Collectivity.id, PolicyProfile.year == latest.c.year),
        )
        .outerjoin(elu, elu.id == PolicyProfile.elu_id)
        .where(Collectivity.status == CollectivityStatus.ACTIVE, Collectivity.territory_id.in_(inside(territory.id)))
        .order_by(Territory.name, Collectivity.id)
    )
    rows = []
    for collectivity, place, profile, person in db.session.execute(stmt):
        rows.append(Row(collectivity, place, profile, elu_label(profile, person) if profile is not None else ""))
    return rows


def counts(rows: list[Row]) -> list[str]:
    """The sentences of the section's summary, one per milestone that counts."""
    total = len(rows)
    profiles = [r.profile for r in rows if r.profile is not None]
    reached = Counter(m for p in profiles for m in p.milestones)
    lines = [
        ngettext(
            "%(num)d collectivité sur %(total)d a renseigné son profil.",
            "%(num)d collectivités sur %(total)d ont renseigné leur profil.",
            len(profiles),
            total=total,
        ),
        ngettext(
            "%(num)d collectivité sur %(total)d a adopté un SPASER.",
            "%(num)d collectivités sur %(total)d ont adopté un SPASER.",
            reached["spaser"],
            total=total,
        ),
        ngettext(
            "%(num)d collectivité sur %(total)d a voté une stratégie ESS.",
            "%(num)d collectivités sur %(total)d ont voté une stratégie ESS.",
            reached["strategy"],
            total=total,
        ),
        ngettext(
            "%(num)d collectivité sur %(total)d a un·e élu·e chargé·e de l’ESS.",
            "%(num)d collectivités sur %(total)d ont un·e élu·e chargé·e de l’ESS.",
            reached["elu"],
            total=total,
        ),
        ngettext(
            "%(num)d collectivité sur %(total)d a une ligne budgétaire pour l’ESS.",
            "%(num)d collectivités sur %(total)d ont une ligne budgétaire pour l’ESS.",
            reached["budget"],
            total=total,
        ),
    ]
    return lines


def lever_counts(rows: list[Row]) -> list[tuple[str, int]]:
    """(lever label, how many collectivities act on it), in the levers' order, those with none left out."""
    acting = Counter(lever for r in rows if r.profile is not None for lever in set(r.profile.levers or []))
    return [(str(label), acting[key]) for key, label in LEVERS.items() if acting[key]]


def context(territory: Territory, viewer: sections.Viewer, args: Mapping[str, str]) -> dict | None:
    """None for visitors, and where no member collectivity lies."""
    if not (viewer.is_member or viewer.is_coordinator):
        return None
    rows = rows_for(territory)
    if not rows:
        return None
    return {
        "policy_rows": rows,
        "policy_counts": counts(rows),
        "policy_levers": lever_counts(rows),
        "policy_total": len(rows),
        "lever_labels": LEVERS,
        "stage_labels": STAGE_LABELS,
    }


def register() -> None:
    sections.register(sections.Section(KEY, "territories/_policy.html", context, order=ORDER))
