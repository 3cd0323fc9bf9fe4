"""What the documents' pages call each kind and visibility."""

from flask_babel import lazy_gettext as _l

from clubess.core.labels import register_labels
from clubess.resources.models import DocumentKind, Visibility

KIND_LABELS = {
    DocumentKind.SLIDES.value: _l("Support de présentation"),
    DocumentKind.STUDY.value: _l("Étude"),
    DocumentKind.GUIDE.value: _l("Guide"),
    DocumentKind.MINUTES.value: _l("Compte rendu"),
    DocumentKind.REPLAY.value: _l("Replay"),
    DocumentKind.PHOTO.value: _l("Photo"),
    DocumentKind.OTHER.value: _l("Autre"),
}
VISIBILITY_LABELS = {
    Visibility.PUBLIC.value: _l("Public"),
    Visibility.MEMBERS.value: _l("Membres du club"),
    Visibility.REGISTRANTS.value: _l("Personnes inscrites à la rencontre"),
}
#: the same, as a hint in a form
VISIBILITY_HINTS = {
    Visibility.PUBLIC.value: _l("Tout le monde, sans compte ; aussi dans l’API publique."),
    Visibility.MEMBERS.value: _l("Les membres des collectivités adhérentes, connectés."),
    Visibility.REGISTRANTS.value: _l(
        "Les personnes inscrites à cette rencontre, connectées ; le document reste sur la page de la rencontre."
    ),
}

register_labels(document_kind=KIND_LABELS, document_visibility=VISIBILITY_LABELS)
