"""The export of the member collectivities and their people: a row per person in office, the directory's filters."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core import audit
from clubess.core.fictitious import fictitious_label
from clubess.core.labels import label
from clubess.core.permissions import Role, require_role
from clubess.core.timezone import today
from clubess.core.vocabulary import LEVERS
from clubess.exports import labels  # noqa: F401 - the audit log's words for these exports
from clubess.extensions import db
from clubess.members.hierarchy import find_target, in_department, inside_target
from clubess.members.models import Collectivity, CollectivityStatus, Member, Territory


@dataclass(frozen=True)
class MemberFilters:
    """The directory's filters: a département code, a kind of territory, a territory with what it holds
    (`perimetre`), a lever someone declared an interest in."""

    department: str = ""
    kind: str = ""
    territory: str = ""
    interest: str = ""

    def describe(self) -> str:
        """The filters in words, for the audit log ("" for none)."""
        parts = []
        if self.department:
            parts.append(_("département %(code)s", code=self.department))
        if self.kind:
            parts.append(label(self.kind, "territory_kind"))
        if self.territory:
            target = find_target(self.territory)
            parts.append(target.name if target else self.territory)
        if self.interest:
            parts.append(str(LEVERS.get(self.interest, self.interest)))
        return " · ".join(parts)


def _in_office(member=Member):
    return sa.and_(
        member.anonymised_at.is_(None), sa.or_(member.mandate_end_on.is_(None), member.mandate_end_on >= today())
    )


def _has_interest(interest: str):
    # JSON list stored as text on both databases: match the quoted value (as the directory does)
    return sa.cast(Member.interests, sa.String).contains(f'"{interest}"', autoescape=True)


def member_rows(actor, filters: MemberFilters) -> list[tuple[Collectivity, Member | None]]:
    """(collectivity, person) of the active member collectivities, by département then name; a collectivity
    without anyone in office has one row without a person. With an interest, only the people who declared
    it (and their collectivities). One query, whatever the size."""
    require_role(actor, Role.COORDINATOR)
    person = sa.and_(Member.collectivity_id == Collectivity.id, _in_office())
    if filters.interest:
        person = sa.and_(person, _has_interest(filters.interest))
    stmt = sa.select(Collectivity, Member).join(Collectivity.territory)
    stmt = stmt.join(Member, person) if filters.interest else stmt.outerjoin(Member, person)
    stmt = stmt.where(Collectivity.status == CollectivityStatus.ACTIVE).order_by(
        Territory.department_code, Territory.name, Collectivity.id, Member.last_name, Member.first_name, Member.id
    )
    if filters.department:
        stmt = stmt.where(Territory.id.in_(in_department(filters.department)))
    if filters.kind:
        stmt = stmt.where(Territory.kind == filters.kind)
    if filters.territory:
        stmt = stmt.where(Territory.id.in_(inside_target(filters.territory)))
    return [(c, m) for c, m in db.session.execute(stmt).unique().all()]


def header() -> list[str]:
    return [
        _("collectivité"), _("type de collectivité"), _("code officiel"), _("département"), _("population"),
        _("membre depuis le"), _("élu·e ou agent"), _("prénom"), _("nom"), _("fonction"), _("délégation"),
        _("adresse électronique"), _("téléphone"), _("référent·e"), _("début du mandat"), _("fin du mandat"),
        _("compte sur la plateforme"), _("centres d’intérêt"), _("reçoit les invitations"),
        _("reçoit les nouvelles du club"), _("exemple fictif"),
    ]  # fmt: skip


def _yes_no(value: bool) -> str:
    return _("oui") if value else _("non")


def row(collectivity: Collectivity, member: Member | None) -> list:
    territory = collectivity.territory
    first = [
        collectivity.name,
        label(territory.kind, "territory_kind"),
        territory.code,
        territory.departments_label,
        territory.population,
        collectivity.joined_on,
    ]
    if member is None:
        return [*first, *[""] * 14, fictitious_label(collectivity)]
    return [
        *first,
        label(member.kind, "member_kind"),
        member.first_name,
        member.last_name,
        member.function,
        member.delegation,
        member.email,
        member.phone,
        _yes_no(collectivity.referent_id == member.id),
        member.mandate_start_on,
        member.mandate_end_on,
        _yes_no(member.user is not None and member.user.is_active),
        ", ".join(str(LEVERS[i]) for i in (member.interests or []) if i in LEVERS),
        _yes_no(member.wants_invitations),
        _yes_no(member.wants_news),
        fictitious_label(collectivity),
    ]


def export_members(actor, filters: MemberFilters, fmt: str) -> tuple[list[str], list[list]]:
    """The header and rows of the export, and its audit event (who downloaded what, filtered how)."""
    rows = member_rows(actor, filters)
    audit.record(
        actor,
        "export.members",
        None,
        filename=f"membres.{fmt}",
        count=sum(1 for _c, m in rows if m is not None),
        territory=filters.describe() or None,
    )
    return header(), [row(c, m) for c, m in rows]
