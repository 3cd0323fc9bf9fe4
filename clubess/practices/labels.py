"""What the practices and problems pages call each status, kind, verdict and lever."""

from flask_babel import lazy_gettext as _l

from clubess.core.labels import register_labels
from clubess.core.vocabulary import LEVERS
from clubess.practices.models import PracticeStatus, ProblemStatus, Provenance, Verdict

STATUS_LABELS = {
    PracticeStatus.DRAFT.value: _l("Brouillon"),
    PracticeStatus.SUBMITTED.value: _l("Soumise"),
    PracticeStatus.PUBLISHED.value: _l("Publiée"),
    PracticeStatus.ARCHIVED.value: _l("Archivée"),
}
PROVENANCE_LABELS = {
    Provenance.MEMBER.value: _l("Proposée par un membre"),
    Provenance.CLUB.value: _l("Repérée par le club"),
    Provenance.PARTNER_NETWORK.value: _l("Réseau partenaire"),
}
#: what happened in each revision of a practice (PracticeRevision.action)
REVISION_LABELS = {
    "created": _l("créée"),
    "edited": _l("modifiée"),
    "submitted": _l("soumise à la coordination"),
    "changes_requested": _l("modifications demandées"),
    "published": _l("publiée"),
    "archived": _l("archivée"),
}
PROBLEM_STATUS_LABELS = {
    ProblemStatus.OPEN.value: _l("Ouverte"),
    ProblemStatus.SOLVED.value: _l("Résolue"),
    ProblemStatus.CLOSED.value: _l("Close"),
}
VERDICT_LABELS = {
    Verdict.USEFUL.value: _l("Utile"),
    Verdict.NOT_RELEVANT.value: _l("Pas pertinent"),
    Verdict.ALREADY_DONE.value: _l("Déjà fait chez nous"),
}

register_labels(
    lever=LEVERS,
    practice_status=STATUS_LABELS,
    practice_provenance=PROVENANCE_LABELS,
    practice_revision=REVISION_LABELS,
    problem_status=PROBLEM_STATUS_LABELS,
    verdict=VERDICT_LABELS,
)
