"""What the membership confirmation pages say: handing the référent role over, leaving, approving, rejecting."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core.confirm import Confirmation
from clubess.members import services
from clubess.members.models import Collectivity, Member


def hand_over(collectivity: Collectivity, current: Member | None, person: Member) -> Confirmation:
    effects = [
        _(
            "%(name)s devient référent·e de %(collectivity)s : cette personne gère ses élus et agents (ajouts, "
            "modifications, fins de mandat), transmet le rôle à son tour et peut retirer la collectivité du club.",
            name=person.full_name,
            collectivity=collectivity.name,
        )
    ]
    if current is not None and current.id == collectivity.referent_id:
        effects.append(
            _(
                "Vous (%(me)s) restez membre de la collectivité avec votre compte, mais vous ne gérez plus ses "
                "personnes : seul·e %(name)s pourra vous rendre ce rôle.",
                me=current.full_name,
                name=person.full_name,
            )
        )
    elif collectivity.referent is not None:
        effects.append(
            _("%(before)s n’est plus référent·e et garde son compte.", before=collectivity.referent.full_name)
        )
    return Confirmation(
        title=_("Transmettre le rôle de référent à %(name)s ?", name=person.full_name),
        effects=effects,
        button=_("Transmettre le rôle à %(name)s", name=person.full_name),
        back=url_for("member_area.collectivity"),
        layout="base.html",
    )


def leave(collectivity: Collectivity) -> Confirmation:
    closed = services.accounts_closed_on_leaving(collectivity)
    return Confirmation(
        title=_("Retirer %(name)s du club ?", name=collectivity.name),
        effects=[
            ngettext(
                "%(num)d compte sera fermé : cette personne ne pourra plus se connecter.",
                "%(num)d comptes seront fermés : ces personnes ne pourront plus se connecter.",
                len(closed),
            )
            if closed
            else _("Aucun compte ouvert n’est à fermer."),
            _("La collectivité disparaît de l’annuaire ; ses inscriptions passées et ses pratiques restent."),
            _("Elle pourra adhérer de nouveau plus tard, par une nouvelle demande."),
        ],
        button=_("Confirmer : quitter le club"),
        back=url_for("member_area.collectivity"),
        people=[f"{u.display_name or u.email} <{u.email}>" for u in closed],
        people_title=_("Les comptes fermés"),
        layout="base.html",
    )


def approve(collectivity: Collectivity) -> Confirmation:
    people = services.people_welcomed(collectivity)
    return Confirmation(
        title=_("Approuver l’adhésion de %(name)s ?", name=collectivity.name),
        effects=[
            _("%(name)s devient membre du club et apparaît dans l’annuaire.", name=collectivity.name),
            ngettext(
                "%(num)d personne reçoit un compte et un courriel pour choisir son mot de passe.",
                "%(num)d personnes reçoivent un compte et un courriel pour choisir leur mot de passe.",
                len(people),
            ),
        ],
        button=ngettext(
            "Approuver et écrire à %(num)d personne", "Approuver et écrire à %(num)d personnes", len(people)
        ),
        back=url_for("members.review_detail", collectivity_id=collectivity.id),
        people=[f"{m.full_name} <{m.email}>" for m in people],
        people_title=_("Les personnes qui reçoivent un compte"),
        danger=False,
    )


def reject(collectivity: Collectivity, reason: str) -> Confirmation:
    referent = collectivity.referent
    effects = [_("La demande de %(name)s est refusée.", name=collectivity.name)]
    if referent is not None:
        effects.append(
            _(
                "%(person)s (%(email)s) reçoit un courriel avec votre raison : « %(reason)s »",
                person=referent.full_name,
                email=referent.email,
                reason=reason.strip(),
            )
        )
    effects.append(_("La collectivité pourra déposer une nouvelle demande."))
    return Confirmation(
        title=_("Refuser la demande de %(name)s ?", name=collectivity.name),
        effects=effects,
        button=_("Refuser la demande"),
        back=url_for("members.review_detail", collectivity_id=collectivity.id),
    )


def end_mandate(person: Member) -> Confirmation:
    """Shown with the date field: the mandate ends on that day, the account closes then."""
    effects = [_("%(name)s reste dans l’historique de la collectivité.", name=person.full_name)]
    if person.user is not None and person.user.is_enabled:
        effects.append(
            _(
                "Son compte (%(email)s) est fermé à cette date : la personne ne peut plus se connecter.",
                email=person.email,
            )
        )
    effects.append(_("Elle ne reçoit plus d’invitation aux rencontres du club."))
    return Confirmation(
        title=_("Fin de mandat de %(name)s", name=person.full_name),
        effects=effects,
        button=_("Confirmer la fin du mandat"),
        back=url_for("member_area.collectivity"),
        layout="base.html",
    )
