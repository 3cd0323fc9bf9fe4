"""What the confirmation pages say before the minutes are mailed, or a contribution removed or merged."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core.confirm import Confirmation
from clubess.meetings.followup_models import Contribution
from clubess.meetings.minutes import Attendee
from clubess.meetings.models import Audience, Meeting


def _who(people: list[Attendee]) -> list[str]:
    return [f"{p.name} <{p.email}>" if p.name else p.email for p in people]


def _mail_effects(people: list[Attendee], attendees: int) -> list[str]:
    effects = [
        ngettext(
            "%(num)d personne recevra le compte rendu par courriel, avec son lien personnel vers le questionnaire "
            "de satisfaction.",
            "%(num)d personnes recevront le compte rendu par courriel, chacune avec son lien personnel vers le "
            "questionnaire de satisfaction.",
            len(people),
        )
        if people
        else _(
            "Personne ne recevra de courriel : aucune personne présente n’est enregistrée (ou toutes se sont "
            "désabonnées du suivi des rencontres)."
        )
    ]
    left_out = attendees - len(people)
    if left_out:
        effects.append(
            ngettext(
                "%(num)d personne présente s’est désabonnée du suivi des rencontres : elle ne le reçoit pas.",
                "%(num)d personnes présentes se sont désabonnées du suivi des rencontres : elles ne le reçoivent pas.",
                left_out,
            )
        )
    return effects


def publish_minutes(meeting: Meeting, people: list[Attendee], attendees: int) -> Confirmation:
    effects = _mail_effects(people, attendees)
    effects.append(
        _("Le compte rendu devient visible sur la page de la rencontre, par tout le monde (rencontre publique).")
        if meeting.audience == Audience.PUBLIC
        else _("Le compte rendu devient visible sur la page de la rencontre, par les membres du club.")
    )
    effects.append(
        _(
            "Les corrections faites ensuite sont gardées dans l’historique des versions ; elles ne sont envoyées "
            "à nouveau que si vous le demandez."
        )
    )
    return Confirmation(
        title=_("Publier le compte rendu de « %(title)s » ?", title=meeting.title),
        effects=effects,
        button=ngettext("Publier et envoyer à %(num)d personne", "Publier et envoyer à %(num)d personnes", len(people))
        if people
        else _("Publier le compte rendu"),
        back=url_for("minutes.edit", meeting_id=meeting.id),
        people=_who(people),
        people_title=_("Les destinataires"),
        danger=False,
    )


def mail_correction(meeting: Meeting, people: list[Attendee], attendees: int) -> Confirmation:
    effects = _mail_effects(people, attendees)
    effects.append(
        _("Le courriel dit qu’il s’agit d’une version corrigée. Les autres corrections ne sont pas envoyées.")
    )
    return Confirmation(
        title=_("Envoyer à nouveau le compte rendu corrigé de « %(title)s » ?", title=meeting.title),
        effects=effects,
        button=ngettext(
            "Enregistrer et envoyer à %(num)d personne", "Enregistrer et envoyer à %(num)d personnes", len(people)
        ),
        back=url_for("minutes.edit", meeting_id=meeting.id),
        people=_who(people),
        people_title=_("Les destinataires"),
        danger=False,
    )


def remove_contribution(contribution: Contribution, back: str) -> Confirmation:
    return Confirmation(
        title=_("Retirer la contribution « %(title)s » ?", title=contribution.title),
        effects=[_("La contribution est supprimée de l’atelier ; elle ne pourra pas être retrouvée.")],
        button=_("Retirer la contribution"),
        back=back,
    )


def merge_contributions(meeting: Meeting, chosen: list[Contribution]) -> Confirmation:
    kept, others = chosen[0], chosen[1:]
    return Confirmation(
        title=ngettext(
            "Fusionner %(num)d contribution dans « %(title)s » ?",
            "Fusionner %(num)d contributions dans « %(title)s » ?",
            len(others),
            title=kept.title,
        ),
        effects=[
            _(
                "« %(title)s » garde son titre ; les textes des autres s’y ajoutent, chacun précédé de son titre.",
                title=kept.title,
            ),
            ngettext(
                "%(num)d contribution est ensuite supprimée.",
                "%(num)d contributions sont ensuite supprimées.",
                len(others),
            ),
        ],
        button=_("Fusionner"),
        back=url_for("contributions.moderate", meeting_id=meeting.id),
        people=[c.title for c in chosen],
        people_title=_("Les contributions fusionnées"),
    )
