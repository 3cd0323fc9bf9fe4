"""Members' ESS policy profiles: who may read and write them, saving a year's profile, the history.

The référent of an active member collectivity (or a coordinator) fills its profile, one per year; the other
people of the collectivity read it; nobody else reaches it here (the territory pages show a summary to members
and coordinators: clubess.territories.policy_section). A past year's saved profile is history, read-only; a
past year with no profile may still be filled. A year with no profile starts from the latest earlier one.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.timezone import today
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.members.models import Collectivity, Member, MemberKind
from clubess.members.services import is_referent, require_own_collectivity, require_referent
from clubess.territories import policy_section
from clubess.territories.policy_models import MIN_YEAR, NAME_MAX, NOTE_MAX, PolicyProfile

MAX_TIERS_LIEUX = 10_000
#: the fields a profile copies from one year to the next, and that saving sets
FIELDS = (
    "elu_id",
    "elu_name",
    "has_budget_line",
    "budget_amount",
    "spaser_year",
    "social_clause_share",
    "has_reserved_contracts",
    "supports_ptce",
    "ptce_name",
    "has_ess_in_crte",
    "tiers_lieux_count",
    "strategy_year",
    "levers",
    "note",
)


@dataclass
class ProfileData:
    elu_id: int | None = None
    elu_name: str = ""
    has_budget_line: bool = False
    budget_amount: int | None = None
    spaser_year: int | None = None
    social_clause_share: int | None = None
    has_reserved_contracts: bool = False
    supports_ptce: bool = False
    ptce_name: str = ""
    has_ess_in_crte: bool = False
    tiers_lieux_count: int | None = None
    strategy_year: int | None = None
    levers: list[str] = field(default_factory=list)
    note: str = ""

    @classmethod
    def of(cls, profile: PolicyProfile) -> "ProfileData":
        return cls(**{name: getattr(profile, name) for name in FIELDS})


def register_sections() -> None:
    """The territory pages' « Politique ESS des membres » section (members and coordinators only)."""
    policy_section.register()


# --- who may do what ----------------------------------------------------------------------------------


def year_range() -> tuple[int, int]:
    """The years a profile may be filled for: 2000 to next year (a budget voted in December)."""
    return MIN_YEAR, today().year + 1


#: the référent of the collectivity, or a coordinator
can_edit = is_referent


#: the people of the collectivity read its profiles; coordinators read all; nobody else
require_reader = require_own_collectivity


def is_history(profile: PolicyProfile | None) -> bool:
    """A saved profile of a past year: kept as it was, read-only."""
    return profile is not None and profile.id is not None and profile.year < today().year


# --- reading ------------------------------------------------------------------------------------------


def get_profile(collectivity: Collectivity, year: int) -> PolicyProfile | None:
    return db.session.scalar(
        sa.select(PolicyProfile).where(PolicyProfile.collectivity_id == collectivity.id, PolicyProfile.year == year)
    )


def list_profiles(collectivity: Collectivity) -> list[PolicyProfile]:
    """Every year's profile of the collectivity, latest first (one query)."""
    return list(
        db.session.scalars(
            sa.select(PolicyProfile)
            .where(PolicyProfile.collectivity_id == collectivity.id)
            .order_by(PolicyProfile.year.desc())
        )
    )


def earlier_profile(profiles: list[PolicyProfile], year: int) -> PolicyProfile | None:
    """The latest profile before `year` among `profiles` (what a new year's form starts from)."""
    return next((p for p in sorted(profiles, key=lambda p: -p.year) if p.year < year), None)


def elus_in_office(collectivity: Collectivity) -> list[Member]:
    """The élus of the collectivity in office, by name (one query): who may be in charge of the ESS."""
    day = today()
    return list(
        db.session.scalars(
            sa.select(Member)
            .where(
                Member.collectivity_id == collectivity.id,
                Member.kind == MemberKind.ELU,
                Member.anonymised_at.is_(None),
                sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= day),
            )
            .order_by(Member.last_name, Member.first_name, Member.id)
        )
    )


# --- saving -------------------------------------------------------------------------------------------


def _check(collectivity: Collectivity, year: int, data: ProfileData, current: PolicyProfile | None) -> dict:
    """{field: message} for every value the profile cannot take."""
    errors: dict[str, str] = {}
    if data.elu_id is not None:
        person = db.session.get(Member, data.elu_id)
        kept = current is not None and current.elu_id == data.elu_id  # chosen before the mandate ended
        if person is None or (person not in elus_in_office(collectivity) and not kept):
            errors["elu_id"] = _("Choisissez un·e élu·e en fonction de %(name)s.", name=collectivity.name)
        elif data.elu_name:
            errors["elu_name"] = _("Choisissez l’élu·e dans la liste ou écrivez son nom, pas les deux.")
    if len(data.elu_name) > NAME_MAX:
        errors["elu_name"] = _("%(max)d caractères au plus.", max=NAME_MAX)
    if data.budget_amount is not None:
        if data.budget_amount < 0:
            errors["budget_amount"] = _("Le montant ne peut pas être négatif.")
        elif not data.has_budget_line:
            errors["budget_amount"] = _("Cochez « Une ligne budgétaire pour l’ESS » ou laissez le montant vide.")
    for name in ("spaser_year", "strategy_year"):
        value = getattr(data, name)
        if value is not None and not MIN_YEAR <= value <= year:
            errors[name] = _("Indiquez une année entre %(min)d et %(max)d (l’année du profil).", min=MIN_YEAR, max=year)
    if data.social_clause_share is not None and not 0 <= data.social_clause_share <= 100:
        errors["social_clause_share"] = _("Indiquez un pourcentage entre 0 et 100.")
    if data.tiers_lieux_count is not None and not 0 <= data.tiers_lieux_count <= MAX_TIERS_LIEUX:
        errors["tiers_lieux_count"] = _("Indiquez un nombre entre 0 et %(max)d.", max=MAX_TIERS_LIEUX)
    if data.ptce_name and not data.supports_ptce:
        errors["ptce_name"] = _("Cochez « Soutien à un PTCE » ou laissez le nom vide.")
    if len(data.ptce_name) > NAME_MAX:
        errors["ptce_name"] = _("%(max)d caractères au plus.", max=NAME_MAX)
    if any(lever not in LEVERS for lever in data.levers):
        errors["levers"] = _("Choisissez parmi les six leviers proposés.")
    if len(data.note) > NOTE_MAX:
        errors["note"] = _("%(max)d caractères au plus.", max=NOTE_MAX)
    return errors


def save_profile(actor, collectivity: Collectivity, year: int, data: ProfileData) -> PolicyProfile:
    """Create or update the collectivity's profile for `year` (référent or coordinator); audited.
    A past year's saved profile is history and stays as it was."""
    require_referent(actor, collectivity)
    first, last = year_range()
    if not first <= year <= last:
        raise DomainError(_("Choisissez une année entre %(min)d et %(max)d.", min=first, max=last), field="year")
    profile = get_profile(collectivity, year)
    if is_history(profile):
        raise DomainError(
            _("Le profil %(year)d est dans l’historique : il ne se modifie plus.", year=year), field="year"
        )
    data.elu_name, data.ptce_name, data.note = data.elu_name.strip(), data.ptce_name.strip(), data.note.strip()
    data.levers = [lever for lever in LEVERS if lever in set(data.levers)] + [
        lever for lever in data.levers if lever not in LEVERS
    ]
    errors = _check(collectivity, year, data, profile)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    if not data.supports_ptce:
        data.ptce_name = ""
    created = profile is None
    if created:
        profile = PolicyProfile(collectivity_id=collectivity.id, year=year)
        db.session.add(profile)
    changed = [name for name in FIELDS if getattr(profile, name, None) != getattr(data, name)]
    for name in FIELDS:
        setattr(profile, name, getattr(data, name))
    profile.updated_at = now_utc()
    profile.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        actor,
        "policy_profile.created" if created else "policy_profile.updated",
        profile,
        collectivity=collectivity.id,
        year=year,
        fields=changed,
    )
    return profile
