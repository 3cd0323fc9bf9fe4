"""What commitment statuses and deadlines are called, on pages, in mail and in the CSV export."""

from flask_babel import lazy_gettext as _l

from clubess.commitments.models import CommitmentStatus
from clubess.core.labels import register_labels

STATUS_LABELS = {
    CommitmentStatus.PLANNED.value: _l("Prévu"),
    CommitmentStatus.IN_PROGRESS.value: _l("En cours"),
    CommitmentStatus.DONE.value: _l("Réalisé"),
    CommitmentStatus.ABANDONED.value: _l("Abandonné"),
}

#: where an open commitment stands against its target quarter (computed, never stored)
DEADLINE_LABELS = {
    "due": _l("À suivre"),
    "overdue": _l("En retard"),
}

register_labels(commitment_status=STATUS_LABELS, commitment_deadline=DEADLINE_LABELS)

#: every label a commitments template needs, passed as `**LABELS`
LABELS = {"commitment_status_labels": STATUS_LABELS, "deadline_labels": DEADLINE_LABELS}
