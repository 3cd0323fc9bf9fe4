"""What the practices' confirmation pages say: publishing (public, may mail people), archiving, deleting synonyms."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core import confirm
from clubess.core.confirm import Confirmation
from clubess.practices.models import Practice, ThesaurusEntry


def review(practice: Practice, action: str) -> Confirmation:
    """Publishing makes a practice public and may mail people; archiving takes it out of every search."""
    back = url_for("practices.review", practice_id=practice.id)
    if action == "archive":
        return Confirmation(
            title=_("Archiver « %(title)s » ?", title=practice.title),
            effects=[
                _("La pratique sort de la bibliothèque, de la recherche, de l’API et des réponses aux problématiques."),
                _("Personne n’est prévenu. Vous pourrez la publier de nouveau."),
            ],
            button=_("Archiver la pratique"),
            back=back,
        )
    from clubess.practices.problems import alert_subscribers

    followers = alert_subscribers()
    return Confirmation(
        title=_("Publier « %(title)s » ?", title=practice.title),
        effects=[
            _(
                "La pratique est visible tout de suite dans la bibliothèque des membres, la recherche et "
                "l’API publique."
            ),
            ngettext(
                "Au plus %(num)d personne est prévenue par courriel : elle suit avec alerte une problématique, et ne "
                "l’est que si la pratique y répond bien.",
                "Au plus %(num)d personnes sont prévenues par courriel : elles suivent avec alerte une "
                "problématique, et ne le sont que si la pratique y répond bien.",
                followers,
            )
            if followers
            else _("Personne ne suit de problématique avec alerte : aucun courriel ne part."),
        ],
        button=_("Publier la pratique"),
        back=back,
        danger=False,
    )


def delete_thesaurus(entry: ThesaurusEntry) -> Confirmation:
    return Confirmation(
        title=_("Supprimer le groupe « %(e)s » ?", e=entry.expressions),
        effects=[_("Dès la prochaine recherche, chercher l’une de ces expressions ne trouve plus les autres.")],
        button=_("Supprimer le groupe"),
        back=url_for("practices.thesaurus"),
    )


def import_check(report, filename: str, back: str) -> Confirmation:
    """The check page of an import: what its button will write (the import run and rolled back)."""
    return confirm.import_check(
        report,
        filename,
        back,
        created=ngettext("%(num)d pratique sera créée.", "%(num)d pratiques seront créées.", report.created),
        updated=ngettext(
            "%(num)d pratique sera mise à jour.", "%(num)d pratiques seront mises à jour.", report.updated
        ),
        nothing=_("Le fichier ne crée ni ne met à jour aucune pratique."),
        button=_("Importer les pratiques"),
    )
