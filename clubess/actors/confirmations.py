"""What the directory's back-office actions do, said before they happen (clubess.core.confirm): archiving a
structure, accepting its request, publishing or archiving a solution (a published solution may mail the members
who follow a problem with an alert, as a practice does)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.actors.services import published_solutions
from clubess.core.confirm import Confirmation
from clubess.extensions import db
from clubess.practices.models import PracticeStatus, Problem, ProblemStatus
from clubess.practices.problems import alert_subscribers


def archive_organisation(organisation) -> Confirmation:
    published = len(published_solutions(organisation))
    effects = [
        _("« %(name)s » ne figurera plus dans l’annuaire public ni dans celui des membres.", name=organisation.name)
    ]
    if published:
        effects.append(
            ngettext(
                "Sa solution publiée ne sera plus proposée en réponse aux problématiques.",
                "Ses %(num)d solutions publiées ne seront plus proposées en réponse aux problématiques.",
                published,
            )
        )
    effects.append(_("Sa fiche reste consultable par la coordination."))
    return Confirmation(
        title=_("Archiver « %(name)s » ?", name=organisation.name),
        effects=effects,
        button=_("Archiver la structure"),
        back=url_for("actors_coordination.edit", organisation_id=organisation.id),
        carry=[],
    )


def approve_request(organisation) -> Confirmation:
    """Accepting a request lists the structure and publishes the solutions it proposed."""
    proposed = sum(1 for s in organisation.solutions if s.status == PracticeStatus.SUBMITTED)
    effects = [_("« %(name)s » entre dans l’annuaire public des acteurs de l’ESS.", name=organisation.name)]
    if proposed:
        effects += [
            ngettext(
                "Sa solution proposée est publiée : elle est proposée dès maintenant en réponse aux problématiques.",
                "Ses %(num)d solutions proposées sont publiées : elles sont proposées dès maintenant en réponse aux "
                "problématiques.",
                proposed,
            ),
            _followers_effect(),
        ]
    return Confirmation(
        title=_("Accepter la demande de « %(name)s » ?", name=organisation.name),
        effects=effects,
        button=_("Accepter la structure"),
        back=url_for("actors_coordination.edit", organisation_id=organisation.id),
        carry=[],
        danger=False,
    )


def moderate_solution(solution, action: str) -> Confirmation:
    """`action` « publier » or « archiver » (also asked right after « Enregistrer et publier » saved the solution,
    so « Ne rien changer » loses nothing typed)."""
    back = url_for("actors_coordination.solution", solution_id=solution.id)
    if action == "archiver":
        answered = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Problem)
            .where(Problem.best_solution_id == solution.id, Problem.status != ProblemStatus.CLOSED)
        )
        effects = [_("La solution sort de l’annuaire des acteurs, de l’API et des réponses aux problématiques.")]
        if answered:
            effects.append(
                ngettext(
                    "%(num)d problématique dont elle est la meilleure réponse est de nouveau rapprochée des "
                    "pratiques et solutions publiées.",
                    "%(num)d problématiques dont elle est la meilleure réponse sont de nouveau rapprochées des "
                    "pratiques et solutions publiées.",
                    answered,
                )
            )
        effects.append(_("Personne n’est prévenu. Vous pourrez la publier de nouveau."))
        return Confirmation(
            title=_("Archiver « %(title)s » ?", title=solution.title),
            effects=effects,
            button=_("Archiver la solution"),
            back=back,
            carry=[],
        )
    return Confirmation(
        title=_("Publier « %(title)s » ?", title=solution.title),
        effects=[
            _(
                "La solution est visible tout de suite dans l’annuaire des acteurs et proposée en réponse aux "
                "problématiques."
            ),
            _followers_effect(),
        ],
        button=_("Publier la solution"),
        back=back,
        carry=[],
        danger=False,
    )


def _followers_effect() -> str:
    """Who a newly published solution may mail: the members following a problem with an alert (at most)."""
    followers = alert_subscribers()
    if not followers:
        return _("Personne ne suit de problématique avec alerte : aucun courriel ne part.")
    return ngettext(
        "Au plus %(num)d personne est prévenue par courriel : elle suit avec alerte une problématique, et ne l’est "
        "que si la solution y répond bien.",
        "Au plus %(num)d personnes sont prévenues par courriel : elles suivent avec alerte une problématique, et "
        "ne le sont que si la solution y répond bien.",
        followers,
    )
