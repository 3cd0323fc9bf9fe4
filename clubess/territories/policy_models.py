"""A member collectivity's ESS policy profile, one per year, kept by its référent; and its *stage*.

The stage is a small ordinal the matcher compares (clubess.practices.matching): practices from a collectivity
at the same stage as the one asking get a small boost and a reason.

    0  no ESS policy yet: none of the milestones below
    1  first steps: an élu in charge of the ESS, or a budget line for the ESS
    2  an ESS strategy voted
    3  a SPASER adopted (the procurement scheme: the furthest step, whatever else is done)

The profile that counts for a collectivity is its latest year's (`latest_profiles`): the référent's last word.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, now_utc
from clubess.extensions import db

NOTE_MAX = 2000
NAME_MAX = 200
MIN_YEAR = 2000

#: the milestones a stage is made of, in the order they are named in a reason
MILESTONES = {
    "spaser": _l("SPASER adopté"),
    "strategy": _l("stratégie ESS votée"),
    "elu": _l("élu·e chargé·e de l’ESS"),
    "budget": _l("ligne budgétaire pour l’ESS"),
}
STAGE_LABELS = {
    0: _l("pas encore de politique ESS formalisée"),
    1: _l("premiers pas (élu·e chargé·e de l’ESS ou ligne budgétaire)"),
    2: _l("stratégie ESS votée"),
    3: _l("SPASER adopté"),
}


class PolicyProfile(DemoFlag, Base):
    """What a member collectivity does for the ESS in a year, as its référent states it."""

    __tablename__ = "policy_profiles"
    __table_args__ = (
        sa.UniqueConstraint("collectivity_id", "year", name="uq_policy_profiles_collectivity_year"),
        sa.CheckConstraint(
            "social_clause_share IS NULL OR social_clause_share BETWEEN 0 AND 100", name="share_percent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivity_id: Mapped[int] = mapped_column(sa.ForeignKey("collectivities.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    #: the élu in charge of the ESS, a person of the collectivity in office when chosen
    elu_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    #: the élu's name when they are not registered on the platform
    elu_name: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    has_budget_line: Mapped[bool] = mapped_column(default=False)
    #: euros per year, when the référent gives it
    budget_amount: Mapped[int | None]
    #: the year the SPASER (schéma de promotion des achats socialement et écologiquement responsables) was adopted
    spaser_year: Mapped[int | None]
    #: percent (0–100) of public contracts with social clauses
    social_clause_share: Mapped[int | None]
    has_reserved_contracts: Mapped[bool] = mapped_column(default=False)
    supports_ptce: Mapped[bool] = mapped_column(default=False)
    #: the pôle territorial de coopération économique supported
    ptce_name: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    #: the ESS is part of the contrat de relance et de transition écologique
    has_ess_in_crte: Mapped[bool] = mapped_column(default=False)
    tiers_lieux_count: Mapped[int | None]
    #: the year an ESS strategy was voted
    strategy_year: Mapped[int | None]
    #: the keys of clubess.core.vocabulary.LEVERS the collectivity acts on
    levers: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    collectivity = relationship("Collectivity")
    elu = relationship("Member")
    updated_by = relationship("User")

    @property
    def milestones(self) -> list[str]:
        return milestones_of(self)

    @property
    def stage(self) -> int:
        return stage_of(self.milestones)

    def __repr__(self) -> str:
        return f"<PolicyProfile {self.collectivity_id} {self.year}>"


def milestones_of(profile) -> list[str]:
    """The milestones reached (keys of MILESTONES, in their order); `profile` is a PolicyProfile or a row."""
    reached = {
        "spaser": profile.spaser_year is not None,
        "strategy": profile.strategy_year is not None,
        "elu": profile.elu_id is not None or bool(profile.elu_name),
        "budget": bool(profile.has_budget_line),
    }
    return [key for key in MILESTONES if reached[key]]


def stage_of(milestones) -> int:
    milestones = set(milestones)
    if "spaser" in milestones:
        return 3
    if "strategy" in milestones:
        return 2
    return 1 if milestones & {"elu", "budget"} else 0


@dataclass(frozen=True)
class Stage:
    """A collectivity's stage, with the milestones behind it (what a reason names)."""

    level: int
    milestones: tuple[str, ...]

    def shared_with(self, other: "Stage") -> list[str]:
        return [m for m in self.milestones if m in other.milestones]


def latest_years() -> sa.Subquery:
    """SQL (collectivity_id, year): each collectivity's latest profile year."""
    return (
        sa.select(PolicyProfile.collectivity_id, sa.func.max(PolicyProfile.year).label("year"))
        .group_by(PolicyProfile.collectivity_id)
        .subquery("latest_policy_years")
    )


def latest_profiles() -> sa.Select:
    """SQL: each collectivity's latest profile (select PolicyProfile; add your own filters)."""
    latest = latest_years()
    return sa.select(PolicyProfile).join(
        latest,
        sa.and_(PolicyProfile.collectivity_id == latest.c.collectivity_id, PolicyProfile.year == latest.c.year),
    )


def stages(collectivity_ids) -> dict[int, Stage]:
    """collectivity id -> the stage of its latest profile, for those that have one (one query)."""
    ids = [i for i in set(collectivity_ids) if i is not None]
    if not ids:
        return {}
    profiles = db.session.scalars(latest_profiles().where(PolicyProfile.collectivity_id.in_(ids)))
    found = {}
    for profile in profiles:
        reached = tuple(milestones_of(profile))
        found[profile.collectivity_id] = Stage(stage_of(reached), reached)
    return found
