"""What the press confirmation pages say: the check page of a contacts import."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from clubess.core.confirm import Confirmation


def import_check(report, filename: str) -> Confirmation:
    """What the import's button will write (the import run and rolled back); lines with nothing to say are left out."""
    effects = [
        (
            report.created,
            ngettext("%(num)d contact sera créé.", "%(num)d contacts seront créés.", report.created),
        ),
        (
            report.updated,
            ngettext(
                "%(num)d contact sera mis à jour (les thématiques s’ajoutent).",
                "%(num)d contacts seront mis à jour (les thématiques s’ajoutent).",
                report.updated,
            ),
        ),
        (
            report.merged,
            ngettext(
                "%(num)d doublon sera fusionné (même adresse).",
                "%(num)d doublons seront fusionnés (même adresse).",
                report.merged,
            ),
        ),
        (
            len(report.rejected),
            ngettext(
                "%(num)d ligne refusée, qui ne sera pas importée.",
                "%(num)d lignes refusées, qui ne seront pas importées.",
                len(report.rejected),
            ),
        ),
        (
            len(report.kept_inactive),
            ngettext(
                "%(num)d adresse désabonnée ou en erreur restera telle quelle.",
                "%(num)d adresses désabonnées ou en erreur resteront telles quelles.",
                len(report.kept_inactive),
            ),
        ),
    ]
    return Confirmation(
        title=_("Importer « %(file)s » ?", file=filename),
        effects=[text for count, text in effects if count] or [_("Le fichier ne crée ni ne met à jour aucun contact.")],
        button=_("Importer les contacts"),
        back=url_for("press_import.import_contacts"),
        people=list(report.kept_inactive),
        people_title=_("Les adresses désabonnées ou en erreur, laissées telles quelles"),
        action=url_for("press_import.import_contacts"),
        danger=False,
    )
