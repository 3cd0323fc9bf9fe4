"""What the meetings' confirmation pages say before an action that tells people, cancels, closes or deletes.

Each function returns the `Confirmation` of one action, or None when the action is harmless and
reversible (one click). Counts come from the functions that select who is mailed, so they cannot drift
from what is sent.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core.confirm import Confirmation
from clubess.meetings import cancellation
from clubess.meetings.models import AgendaItem, Meeting, MeetingStatus


def join_words(parts: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s et %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def _people(count: int) -> str:
    return ngettext("%(num)d personne", "%(num)d personnes", count)


def _back(meeting: Meeting) -> str:
    return url_for("planning.edit", meeting_id=meeting.id)


def status_change(meeting: Meeting, status: str) -> Confirmation | None:
    """Publishing, unpublishing and cancelling are confirmed; held, reopen and back to draft are one click."""
    if status == MeetingStatus.CANCELLED:
        return cancel(meeting)
    if status == MeetingStatus.PUBLISHED and meeting.status == MeetingStatus.DRAFT:
        return publish(meeting)
    if status == MeetingStatus.DRAFT and meeting.status == MeetingStatus.PUBLISHED:
        return unpublish(meeting)
    return None


def cancel(meeting: Meeting) -> Confirmation:
    effects = []
    told = cancellation.people_told(meeting) if meeting.status == MeetingStatus.PUBLISHED else []
    if told:
        counts = cancellation.count_by_group(told)
        parts = [
            ngettext("%(num)d inscrit·e", "%(num)d inscrit·es", counts[cancellation.REGISTERED]),
            ngettext("%(num)d en liste d’attente", "%(num)d en liste d’attente", counts[cancellation.WAITLISTED]),
            ngettext("%(num)d invité·e sans refus", "%(num)d invité·es sans refus", counts[cancellation.INVITED]),
        ]
        parts = [p for p, n in zip(parts, counts.values(), strict=True) if n]
        effects.append(
            ngettext(
                "%(num)d personne recevra l’annulation par courriel : %(who)s.",
                "%(num)d personnes recevront l’annulation par courriel : %(who)s.",
                len(told),
                who=join_words(parts),
            )
        )
        in_calendar = sum(1 for t in told if t.partstat)
        effects.append(
            ngettext(
                "Pour %(num)d d’entre elles, le courriel retire la rencontre de leur agenda.",
                "Pour %(num)d d’entre elles, le courriel retire la rencontre de leur agenda.",
                in_calendar,
            )
        )
        effects.append(_("Un courriel parti ne se rattrape pas : rétablir la rencontre ne les réinscrit pas."))
    elif meeting.status == MeetingStatus.PUBLISHED:
        effects.append(_("Personne n’est inscrit ni invité : personne n’est prévenu."))
    else:
        effects.append(_("La rencontre n’est pas publiée : personne n’est prévenu."))
    effects.append(_("Elle reste dans l’agenda public, marquée annulée, et n’accepte plus d’inscription."))
    return Confirmation(
        title=_("Annuler « %(title)s » ?", title=meeting.title),
        effects=effects,
        button=ngettext(
            "Annuler la rencontre et prévenir %(num)d personne",
            "Annuler la rencontre et prévenir %(num)d personnes",
            len(told),
        )
        if told
        else _("Annuler la rencontre"),
        back=_back(meeting),
        people=[f"{t.name} <{t.email}>" if t.name else t.email for t in told],
        people_title=_("Les personnes prévenues"),
    )


def publish(meeting: Meeting) -> Confirmation:
    audience = _("tous les visiteurs") if meeting.audience == "public" else _("les membres du club")
    return Confirmation(
        title=_("Publier « %(title)s » ?", title=meeting.title),
        effects=[
            _("La rencontre apparaît dans l’agenda public et dans les agendas abonnés (flux .ics)."),
            _("Les inscriptions s’ouvrent à %(who)s.", who=audience),
            _("Personne n’est prévenu par courriel : pour cela, envoyez les invitations ensuite."),
        ],
        button=_("Publier la rencontre"),
        back=_back(meeting),
        danger=False,
    )


def unpublish(meeting: Meeting) -> Confirmation:
    told = cancellation.people_told(meeting)
    effects = [_("La rencontre disparaît de l’agenda public, des flux .ics et de la page des inscrits.")]
    if told:
        effects.append(
            ngettext(
                "%(num)d personne inscrite, en attente ou invitée n’est pas prévenue et la garde dans son agenda : "
                "pour la prévenir, annulez la rencontre plutôt.",
                "%(num)d personnes inscrites, en attente ou invitées ne sont pas prévenues et la gardent dans leur "
                "agenda : pour les prévenir, annulez la rencontre plutôt.",
                len(told),
            )
        )
    return Confirmation(
        title=_("Dépublier « %(title)s » ?", title=meeting.title),
        effects=effects,
        button=_("Dépublier la rencontre"),
        back=_back(meeting),
        people=[f"{t.name} <{t.email}>" if t.name else t.email for t in told],
        people_title=_("Les personnes qui ne seront pas prévenues"),
    )


def material_change(meeting: Meeting, changed: list[str], holders: list[tuple[str, str, str]]) -> Confirmation:
    """Saving a change of time, place or link of a published meeting mails everyone whose calendar holds it."""
    registered = sum(1 for _email, _name, partstat in holders if partstat == "ACCEPTED")
    parts = [
        ngettext("%(num)d inscrit·e", "%(num)d inscrit·es", registered),
        ngettext("%(num)d invité·e sans refus", "%(num)d invité·es sans refus", len(holders) - registered),
    ]
    parts = [p for p, n in zip(parts, (registered, len(holders) - registered), strict=True) if n]
    return Confirmation(
        title=_("Enregistrer le changement de « %(title)s » ?", title=meeting.title),
        effects=[
            _("Ce qui change : %(what)s.", what=join_words(changed)),
            ngettext(
                "%(num)d personne recevra la mise à jour dans son agenda : %(who)s.",
                "%(num)d personnes recevront la mise à jour dans leur agenda : %(who)s.",
                len(holders),
                who=join_words(parts),
            ),
            _(
                "Le courriel attend quelques minutes : une autre modification d’ici là part avec celle-ci, "
                "en un seul courriel."
            ),
        ],
        button=ngettext(
            "Enregistrer et prévenir %(num)d personne", "Enregistrer et prévenir %(num)d personnes", len(holders)
        ),
        back=_back(meeting),
        people=[f"{name} <{email}>" if name else email for email, name, _partstat in holders],
        people_title=_("Les personnes prévenues"),
        danger=False,
    )


def delete_item(item: AgendaItem) -> Confirmation:
    meeting = item.meeting
    effects = [_("Le point, sa description et ses intervenants sont retirés de l’ordre du jour : c’est définitif.")]
    if meeting.status != MeetingStatus.DRAFT:
        effects.append(_("La page de la rencontre ne le montre plus ; personne n’est prévenu par courriel."))
    return Confirmation(
        title=_("Retirer « %(title)s » de l’ordre du jour ?", title=item.title),
        effects=effects,
        button=_("Retirer le point"),
        back=_back(meeting) + "#ordre-du-jour",
        people=[s.name for s in item.speakers],
        people_title=_("Ses intervenants"),
    )


def remind(meeting: Meeting, invitations: list) -> Confirmation:
    return Confirmation(
        title=_("Relancer les invités de « %(title)s » ?", title=meeting.title),
        effects=[
            ngettext(
                "%(num)d personne sans réponse reçoit l’invitation une nouvelle fois.",
                "%(num)d personnes sans réponse reçoivent l’invitation une nouvelle fois.",
                len(invitations),
            ),
            _("Chacune est relancée au plus deux fois, à un jour d’intervalle au moins."),
        ],
        button=ngettext("Relancer %(num)d personne", "Relancer %(num)d personnes", len(invitations)),
        back=url_for("registrants.invitation_list", meeting_id=meeting.id),
        people=[f"{i.name} <{i.email}>" if i.name else i.email for i in invitations],
        people_title=_("Les personnes relancées"),
        danger=False,
    )


def calendar_token(revoke: bool) -> Confirmation:
    effects = [
        _(
            "L’adresse actuelle de votre agenda personnel cesse de fonctionner : les agendas qui y sont abonnés "
            "(Outlook, Google Agenda, téléphone) ne reçoivent plus les rencontres."
        )
    ]
    effects.append(
        _("Vous pourrez en créer une nouvelle plus tard.")
        if revoke
        else _("Une nouvelle adresse la remplace : ajoutez-la à vos agendas.")
    )
    return Confirmation(
        title=_("Désactiver votre lien d’agenda ?") if revoke else _("Remplacer votre lien d’agenda ?"),
        effects=effects,
        button=_("Désactiver le lien") if revoke else _("Remplacer le lien"),
        back=url_for("meetings.calendar_settings"),
        layout="base.html",
    )


def cancel_registration(registration, by_coordination: bool) -> Confirmation:
    """A member cancels a registration (theirs or a colleague's), or a coordinator removes one."""
    from clubess.meetings.figures import registrant_figures

    meeting = registration.meeting
    waiting = registrant_figures(meeting).by_status["waitlisted"]
    effects = [
        _("%(name)s reçoit un courriel qui retire la rencontre de son agenda.", name=registration.name)
        if by_coordination
        else _(
            "Un courriel confirme l’annulation à %(name)s et retire la rencontre de son agenda.", name=registration.name
        )
    ]
    if registration.holds_seat and waiting:
        effects.append(
            ngettext(
                "La place est proposée à la personne en liste d’attente.",
                "La place est proposée à la première des %(num)d personnes en liste d’attente.",
                waiting,
            )
        )
    elif registration.holds_seat:
        effects.append(_("La place se libère pour une nouvelle inscription."))
    effects.append(_("Se réinscrire ensuite est possible, mais la place n’est plus garantie."))
    back = (
        url_for("registrants.index", meeting_id=meeting.id)
        if by_coordination
        else url_for("meetings.detail", meeting_id=meeting.id)
    )
    return Confirmation(
        title=_("Retirer %(name)s de « %(title)s » ?", name=registration.name, title=meeting.title)
        if by_coordination
        else _("Annuler l’inscription de %(name)s à « %(title)s » ?", name=registration.name, title=meeting.title),
        effects=effects,
        button=_("Retirer l’inscription") if by_coordination else _("Annuler l’inscription"),
        back=back,
        layout="coordination/layout.html" if by_coordination else "base.html",
    )
