"""What the directory pages call each kind and status of organisation, and each kind of document matched."""

from flask_babel import lazy_gettext as _l

from clubess.actors.models import OrganisationKind, OrganisationStatus
from clubess.core.labels import register_labels

KIND_LABELS = {
    OrganisationKind.ASSOCIATION.value: _l("Association"),
    OrganisationKind.SCOP.value: _l("SCOP (société coopérative et participative)"),
    OrganisationKind.SCIC.value: _l("SCIC (société coopérative d’intérêt collectif)"),
    OrganisationKind.SIAE.value: _l("SIAE (structure d’insertion par l’activité économique)"),
    OrganisationKind.ENTREPRISE_ADAPTEE.value: _l("Entreprise adaptée"),
    OrganisationKind.FONDATION.value: _l("Fondation"),
    OrganisationKind.MUTUELLE.value: _l("Mutuelle"),
    OrganisationKind.RESEAU.value: _l("Réseau"),
    OrganisationKind.OTHER.value: _l("Autre structure de l’ESS"),
}
STATUS_LABELS = {
    OrganisationStatus.PENDING.value: _l("Demande à examiner"),
    OrganisationStatus.ACTIVE.value: _l("Dans l’annuaire"),
    OrganisationStatus.REJECTED.value: _l("Demande refusée"),
    OrganisationStatus.ARCHIVED.value: _l("Archivée"),
}
#: what a problem's answer is (clubess.practices.search.kinds)
DOCUMENT_KIND_LABELS = {
    "practice": _l("Pratique d’une collectivité"),
    "solution": _l("Solution d’un acteur de l’ESS"),
}

#: the audit log's words for what this package records
ACTION_LABELS = {
    "organisation.created": _l("Structure de l’ESS ajoutée à l’annuaire"),
    "organisation.updated": _l("Structure de l’ESS modifiée"),
    "organisation.requested": _l("Demande d’inscription d’une structure de l’ESS"),
    "organisation.approved": _l("Demande d’inscription acceptée"),
    "organisation.rejected": _l("Demande d’inscription refusée"),
    "organisation.archived": _l("Structure de l’ESS archivée"),
    "organisation.links_updated": _l("Liens d’une structure de l’ESS avec les rencontres et les pratiques"),
    "solution.created": _l("Solution d’un acteur de l’ESS ajoutée"),
    "solution.updated": _l("Solution d’un acteur de l’ESS modifiée"),
    "solution.published": _l("Solution d’un acteur de l’ESS publiée"),
    "solution.archived": _l("Solution d’un acteur de l’ESS archivée"),
    "export.actors": _l("Export des acteurs de l’ESS et de leurs solutions"),
    "import.actors": _l("Import d’acteurs de l’ESS et de leurs solutions"),
}

register_labels(
    organisation_kind=KIND_LABELS,
    organisation_status=STATUS_LABELS,
    match_kind=DOCUMENT_KIND_LABELS,
    audit_action=ACTION_LABELS,
)
