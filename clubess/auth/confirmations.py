"""What the accounts' confirmation pages say: changing a role, disabling an account."""

from flask import url_for
from flask_babel import gettext as _

from clubess.auth.forms import ROLE_LABELS
from clubess.auth.models import User
from clubess.core.confirm import Confirmation
from clubess.core.permissions import ROLE_RANK, Role

POWERS = {
    Role.MEMBER.value: _("l’espace membre de sa collectivité"),
    Role.COORDINATOR.value: _(
        "l’espace de coordination : adhésions, rencontres, invitations, pratiques, presse, courriels et journal"
    ),
    Role.ADMIN.value: _("l’espace de coordination, les comptes et les rôles"),
}


def role_change(user: User, role: str) -> Confirmation:
    who = user.display_name or user.email
    gains = ROLE_RANK[Role(role)] > ROLE_RANK[Role(user.role)]
    return Confirmation(
        title=_("Donner le rôle « %(role)s » à %(who)s ?", role=ROLE_LABELS[role], who=who),
        effects=[
            _(
                "%(who)s passe de « %(before)s » à « %(after)s ».",
                who=who,
                before=ROLE_LABELS[user.role],
                after=ROLE_LABELS[role],
            ),
            _("Cette personne accède désormais à %(powers)s.", powers=POWERS[role])
            if gains
            else _("Cette personne n’accède plus qu’à %(powers)s.", powers=POWERS[role]),
            _("Ses sessions ouvertes sont fermées : elle se reconnecte. Vous pourrez changer ce rôle de nouveau."),
        ],
        button=_("Changer le rôle"),
        back=url_for("auth.user_detail", user_id=user.id),
        danger=gains,
    )


def disable(user: User) -> Confirmation:
    return Confirmation(
        title=_("Désactiver le compte de %(who)s ?", who=user.display_name or user.email),
        effects=[
            _("Ses sessions ouvertes sont fermées et la personne ne peut plus se connecter."),
            _("Ses données sont conservées ; vous pourrez réactiver le compte."),
        ],
        button=_("Désactiver le compte"),
        back=url_for("auth.user_detail", user_id=user.id),
    )
