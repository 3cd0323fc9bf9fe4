"""Territories, member collectivities and their people."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc
from clubess.core.timezone import today


class TerritoryKind(enum.StrEnum):
    REGION = "region"
    DEPARTEMENT = "departement"
    METROPOLE = "metropole"
    EPT = "ept"
    EPCI = "epci"
    COMMUNE = "commune"


class CollectivityStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    LEFT = "left"


class MemberKind(enum.StrEnum):
    ELU = "elu"
    AGENT = "agent"


class Territory(Base):
    """Reference data built from the official dataset; read-only for the app."""

    __tablename__ = "territories"
    __table_args__ = (
        sa.UniqueConstraint("kind", "code", name="uq_territories_kind_code"),
        enum_check("kind", TerritoryKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: INSEE code for communes, départements and the région; SIREN for groupings
    code: Mapped[str] = mapped_column(sa.String(12), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    #: lower case, no accents, words separated by one space, "saint" spelled out: what search matches
    search_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    department_code: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    #: every département the territory is found under, space-separated ("92 95" for Boucle Nord de Seine, ""
    #: for the région and the Métropole): written from territory_links by hierarchy.refresh_links, for display
    department_codes: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    #: the code of the direct grouping (EPT or EPCI for a commune, the métropole for an EPT)
    parent_code: Mapped[str | None] = mapped_column(sa.String(12))
    population: Mapped[int] = mapped_column(default=0)
    postal_codes: Mapped[str] = mapped_column(sa.String(200), default="")

    @property
    def departments_label(self) -> str:
        """« 92, 95 »: the départements it is found under, for a card or a CSV cell."""
        return ", ".join(self.department_codes.split())

    def __repr__(self) -> str:
        return f"<Territory {self.kind} {self.code} {self.name}>"


class TerritoryLink(Base):
    """One row per (territory, territory it lies in for filters), itself included: the hierarchy's closure,
    computed by clubess.members.hierarchy when the territories are loaded. Read-only for the app."""

    __tablename__ = "territory_links"

    ancestor_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True)
    descendant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Collectivity(DemoFlag, Base):
    """A territory's membership of the club (one live membership per territory)."""

    __tablename__ = "collectivities"
    __table_args__ = (enum_check("status", CollectivityStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=CollectivityStatus.PENDING.value, index=True)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: when the référent clicked the link of the confirmation mail
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    joined_on: Mapped[date | None] = mapped_column(sa.Date)
    left_on: Mapped[date | None] = mapped_column(sa.Date)
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: what the applicant wrote about their ESS policy and expectations
    application_message: Mapped[str] = mapped_column(sa.Text, default="")
    referent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", use_alter=True, ondelete="SET NULL"))

    territory: Mapped[Territory] = relationship(lazy="joined")
    referent: Mapped["Member | None"] = relationship(foreign_keys=[referent_id], post_update=True)
    members: Mapped[list["Member"]] = relationship(
        back_populates="collectivity", foreign_keys="Member.collectivity_id", order_by="Member.last_name"
    )

    @property
    def name(self) -> str:
        return self.territory.name


class Member(Base):
    """A person of a collectivity: an élu or an agent. A mandate ends; the person is not deleted."""

    __tablename__ = "members"
    __table_args__ = (enum_check("kind", MemberKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivity_id: Mapped[int] = mapped_column(sa.ForeignKey("collectivities.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    #: e.g. "maire adjointe", "chargé de mission ESS"
    function: Mapped[str] = mapped_column(sa.String(200), default="")
    #: e.g. "adjointe déléguée à l'ESS"
    delegation: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    mandate_start_on: Mapped[date | None] = mapped_column(sa.Date)
    mandate_end_on: Mapped[date | None] = mapped_column(sa.Date)
    #: the person agreed to the privacy notice at this instant
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    show_in_directory: Mapped[bool] = mapped_column(default=True)
    show_email: Mapped[bool] = mapped_column(default=False)
    show_phone: Mapped[bool] = mapped_column(default=False)
    interests: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: mail preferences (invitations are still sent for meetings the person registered to)
    wants_invitations: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    wants_news: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: set when the person asked for erasure: the row stays for statistics, emptied of personal data
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True)

    collectivity: Mapped[Collectivity] = relationship(back_populates="members", foreign_keys=[collectivity_id])
    user = relationship("User", lazy="joined")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_current(self) -> bool:
        """In office: the mandate has not ended, or ends today (Paris date); from the next day it has ended."""
        return self.mandate_end_on is None or self.mandate_end_on >= today()
