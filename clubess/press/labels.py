"""What the press pages call each status and kind."""

from flask_babel import lazy_gettext as _l

from clubess.core.labels import register_labels
from clubess.press.models import CommuniqueStatus, ContactStatus, DeliveryStatus, LegalBasis, OutletKind

OUTLET_KIND_LABELS = {
    OutletKind.NATIONAL.value: _l("Presse nationale"),
    OutletKind.REGIONAL.value: _l("Presse régionale et locale"),
    OutletKind.SPECIALISED.value: _l("Presse spécialisée"),
    OutletKind.BROADCAST.value: _l("Radio et télévision"),
    OutletKind.ONLINE.value: _l("Média en ligne"),
    OutletKind.AGENCY.value: _l("Agence de presse"),
    OutletKind.INSTITUTIONAL.value: _l("Institutionnel"),
    OutletKind.MEMBER.value: _l("Membre du club"),
    OutletKind.OTHER.value: _l("Autre"),
}

CONTACT_STATUS_LABELS = {
    ContactStatus.ACTIVE.value: _l("Actif"),
    ContactStatus.PENDING.value: _l("À confirmer"),
    ContactStatus.UNSUBSCRIBED.value: _l("Désabonné"),
    ContactStatus.BOUNCED.value: _l("Adresse en erreur"),
}

LEGAL_BASIS_LABELS = {
    LegalBasis.LEGITIMATE_INTEREST.value: _l("Intérêt légitime (relations presse)"),
    LegalBasis.CONSENT.value: _l("Consentement (abonnement confirmé)"),
}

COMMUNIQUE_STATUS_LABELS = {
    CommuniqueStatus.DRAFT.value: _l("Brouillon"),
    CommuniqueStatus.PUBLISHED.value: _l("Envoyé"),
}

DELIVERY_STATUS_LABELS = {
    DeliveryStatus.QUEUED.value: _l("En attente"),
    DeliveryStatus.SENT.value: _l("Envoyé"),
    DeliveryStatus.FAILED.value: _l("En échec"),
    DeliveryStatus.BOUNCED.value: _l("Adresse refusée"),
    DeliveryStatus.SKIPPED.value: _l("Non envoyé (désabonné ou en erreur)"),
}

LABELS = {
    "outlet_kind_labels": OUTLET_KIND_LABELS,
    "contact_status_labels": CONTACT_STATUS_LABELS,
    "legal_basis_labels": LEGAL_BASIS_LABELS,
    "communique_status_labels": COMMUNIQUE_STATUS_LABELS,
    "delivery_status_labels": DELIVERY_STATUS_LABELS,
}
register_labels(
    outlet_kind=OUTLET_KIND_LABELS,
    contact_status=CONTACT_STATUS_LABELS,
    legal_basis=LEGAL_BASIS_LABELS,
    communique_status=COMMUNIQUE_STATUS_LABELS,
    delivery_status=DELIVERY_STATUS_LABELS,
)
