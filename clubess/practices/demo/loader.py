"""The loader of the library's demo data: 40 practices across the six levers and all kinds of territory, published.

They name real collectivities with invented figures: each is flagged `demo`, shown as a fictitious example.
"""

from datetime import UTC, datetime

import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.demo import action, means
from clubess.practices.models import Practice, PracticeStatus, Provenance
from clubess.practices.search.index import index_practice
from clubess.practices.services import load_default_thesaurus

#: every demo practice, lever by lever in the order of the levers (their refs are DEMO001 to DEMO040)
PRACTICES = means.PRACTICES + action.PRACTICES


def load_practices() -> int:
    """Create the demo practices (published, with the default thesaurus); idempotent."""
    load_default_thesaurus()
    if db.session.scalar(sa.select(sa.func.count()).select_from(Practice)):
        return 0
    for number, (lever, kind, territory, department, year, title, summary, themes) in enumerate(PRACTICES, 1):
        practice = Practice(
            ref=f"DEMO{number:03d}",
            title=title,
            summary=summary,
            lever=lever,
            themes=themes,
            year=year,
            territory_name=territory,
            territory_kind=kind,
            department_code=department,
            description=f"{summary}\n\n**Contexte.** {territory} a engagé cette action en {year} avec les acteurs "
            "de l'ESS du territoire.\n\n**Résultats.** Les partenaires suivent chaque année des "
            "indicateurs d'activité et d'emploi.",
            status=PracticeStatus.PUBLISHED.value,
            provenance=Provenance.CLUB.value,
            contact_role="Chargée de mission économie sociale et solidaire",
            published_at=datetime(year, 6, 1, tzinfo=UTC),
            demo=True,
        )
        db.session.add(practice)
        db.session.flush()
        index_practice(practice)
    return len(PRACTICES)
