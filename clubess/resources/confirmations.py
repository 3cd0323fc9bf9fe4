"""What the documents' confirmation page says: deleting a document (its file leaves the server)."""

from flask import url_for
from flask_babel import gettext as _

from clubess.core.confirm import Confirmation
from clubess.resources.models import Document


def delete(document: Document, back: str) -> Confirmation:
    effects = []
    if document.is_link:
        effects.append(_("Le lien vers la vidéo disparaît de la page de la rencontre et du centre de ressources."))
    else:
        effects.append(_("Le fichier « %(name)s » est effacé du serveur : c’est définitif.", name=document.filename))
        where = (
            _("Il disparaît de la page de la rencontre, du centre de ressources et des fiches pratiques liées.")
            if document.meeting_id
            else _("Il disparaît du centre de ressources et des fiches pratiques liées.")
        )
        effects.append(where)
    effects.append(_("Les liens déjà partagés vers ce document ne mèneront plus à rien."))
    return Confirmation(
        title=_("Supprimer « %(title)s » ?", title=document.title),
        effects=effects,
        button=_("Supprimer le document"),
        back=back,
        action=url_for("resources_manage.delete", document_id=document.id),
    )
