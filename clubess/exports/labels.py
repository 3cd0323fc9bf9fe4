"""What the audit log calls an export (registered beside the log's own list of actions)."""

from flask_babel import lazy_gettext as _l

from clubess.core.labels import register_labels

ACTION_LABELS = {
    "export.members": _l("Export des collectivités membres et de leurs personnes"),
    "export.registrants": _l("Export des inscrits aux rencontres"),
    "export.practices": _l("Export des bonnes pratiques"),
    "export.press_contacts": _l("Export des contacts presse"),
}

register_labels(audit_action=ACTION_LABELS)
