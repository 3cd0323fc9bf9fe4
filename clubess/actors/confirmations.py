"""What archiving a structure does, said before it happens (clubess.core.confirm)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.actors.services import published_solutions
from clubess.core.confirm import Confirmation


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
