"""Handing the référent role over: only to a person in office whose account is active."""

from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.errors import DomainError
from clubess.members.models import Collectivity, Member
from clubess.members.services import require_referent


def has_active_account(member: Member) -> bool:
    """The person chose a password and proved their address: they can log in and act as référent."""
    user = member.user
    return (
        user is not None and user.is_enabled and user.password_hash is not None and user.email_verified_at is not None
    )


def _in_office(member: Member, collectivity: Collectivity) -> bool:
    return member.collectivity_id == collectivity.id and member.is_current and member.anonymised_at is None


def candidates(collectivity: Collectivity) -> tuple[list[Member], list[Member]]:
    """(who may become référent, who may not yet because their account is not active): people in office
    other than the référent, by name."""
    people = sorted(
        (m for m in collectivity.members if _in_office(m, collectivity) and m.id != collectivity.referent_id),
        key=lambda m: (m.last_name, m.first_name),
    )
    return [m for m in people if has_active_account(m)], [m for m in people if not has_active_account(m)]


def hand_over_referent(actor, collectivity: Collectivity, new_referent: Member | None) -> None:
    """The référent (or a coordinator) gives the role to someone else; audited."""
    require_referent(actor, collectivity)
    if new_referent is None or not _in_office(new_referent, collectivity):
        raise DomainError(_("Choisissez une personne en fonction dans la collectivité."), field="member_id")
    if new_referent.id == collectivity.referent_id:
        raise DomainError(_("Cette personne est déjà référente."), field="member_id")
    if not has_active_account(new_referent):
        raise DomainError(
            _(
                "%(name)s n’a pas encore activé son compte : le rôle ne peut aller qu’à une personne dont le compte "
                "est activé (mot de passe choisi).",
                name=new_referent.full_name,
            ),
            field="member_id",
        )
    before = collectivity.referent_id
    collectivity.referent = new_referent
    record(actor, "collectivity.referent_changed", collectivity, before=before, after=new_referent.id)
