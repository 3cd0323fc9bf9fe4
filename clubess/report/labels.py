"""What the audit log calls the bilan's actions and its rows (registered beside the log's own lists)."""

from flask_babel import lazy_gettext as _l

from clubess.core.labels import register_labels

ACTION_LABELS = {
    "report.text_saved": _l("Bilan annuel : textes enregistrés"),
    "report.published": _l("Bilan annuel publié"),
    "report.republished": _l("Bilan annuel : version publique mise à jour"),
    "report.unpublished": _l("Bilan annuel retiré du site public"),
    "report.attached": _l("Bilan annuel joint à un communiqué"),
}
TARGET_LABELS = {"AnnualReport": _l("Bilan annuel")}

register_labels(audit_action=ACTION_LABELS, audit_target=TARGET_LABELS)
