"""The dashboard's hand-counted club (tests/dashboard/club_fixture.py), with what the bilan adds (now: 15 Nov 2026).

Meetings held in 2026: R1 renamed « Séance réservée Alpha » (12 Mar, members only): registered Hélène, Karim,
Sofia (absent), Paul = 4, present Hélène, Karim, Paul = 3; R2 (11 Jun, members only): registered Hélène = 1,
present Hélène and Léo (walk-in) = 2; « Forum ouvert de septembre » (20 Sep, public): 0 and 0. C1 cancelled, D1
draft, N1 and N2 to come: none. Totals: 3 meetings, 5 registered, 5 present.
Collectivities involved in 2026: members of the year Montreuil, Saint-Ouen, L'Haÿ, Est Ensemble, Entre Deux
(93 and 94) and Seine-Saint-Denis (left 31 Mar 2026) = 6; came: Montreuil, Saint-Ouen (Léo), L'Haÿ = 3.
93: Montreuil, Saint-Ouen, Est Ensemble, Entre Deux, Seine-Saint-Denis = 5, came 2; 94: L'Haÿ, Entre Deux = 2,
came 1. In 2024: Seine-Saint-Denis alone (93: 1, came 0). 2023: nothing at all.
Practices published in 2026: P-1 (soutien_structures, 1 Apr), P-4 (achats_responsables, 1 Sep), P-6
(achats_responsables, 1 Feb, archived since) → soutien_structures 1, achats_responsables 2; P-2 was published in
2025.
Problems 2026: stated 4 + « Texte confidentiel » (3 Oct) = 5; answered 2 (P5 in Q1, P1 in Q2).
Commitments made in 2026: done, in progress, abandoned (Montreuil) = 3, kept 1; one made in 2025 (done).
Documents added in 2026: a study and a guide (resource centre), slides of R1 = 3; one study of 2025.
Press 2026: sent 2, reach 3, bounces 1, unsubscribes 1.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from clubess.commitments.models import Commitment
from clubess.meetings.models import Meeting
from clubess.practices.models import Practice, Problem
from clubess.resources.models import Document
from tests.dashboard.club_fixture import NOW, club, utc  # noqa: F401 (a fixture)

PRIVATE_TITLE = "Séance réservée Alpha"
PUBLIC_TITLE = "Forum ouvert de septembre"
PROBLEM_TEXT = "Texte confidentiel de la problématique"


@pytest.fixture
def bilan(db, club, people, make_meeting):  # noqa: F811
    r1 = db.session.scalar(sa.select(Meeting).where(Meeting.title == "R1"))
    r1.title = PRIVATE_TITLE
    make_meeting(day=(2026, 9, 20), status="held", title=PUBLIC_TITLE, audience="public")
    published = {"P-1": utc(2026, 4, 1), "P-4": utc(2026, 9, 1), "P-6": utc(2026, 2, 1), "P-2": utc(2025, 6, 1)}
    for practice in db.session.scalars(sa.select(Practice).where(Practice.ref.in_(published))):
        practice.published_at = published[practice.ref]
    db.session.add(Problem(text=PROBLEM_TEXT, created_at=utc(2026, 10, 3), themes=[], best_score=0.5))
    montreuil = people["helene"].collectivity_id

    def commitment(title, status, created):
        return Commitment(
            collectivity_id=montreuil, title=title, lever="achats_responsables", target_year=2026,
            target_quarter=4, status=status, created_at=created,
        )  # fmt: skip

    db.session.add_all(
        [
            commitment("E1", "done", utc(2026, 3, 12)),
            commitment("E2", "in_progress", utc(2026, 3, 12)),
            commitment("E3", "abandoned", utc(2026, 6, 11)),
            commitment("E0", "done", utc(2025, 11, 1)),
            Document(title="Document interne Bêta", kind="etude", url="https://example.org/a",
                     created_at=utc(2026, 2, 1)),
            Document(title="Guide", kind="guide", url="https://example.org/b", created_at=utc(2026, 5, 1)),
            Document(title="Support", kind="support", url="https://example.org/c", meeting_id=r1.id,
                     created_at=utc(2026, 3, 13)),
            Document(title="Vieille étude", kind="etude", url="https://example.org/d", created_at=utc(2025, 5, 1)),
        ]
    )  # fmt: skip
    db.session.commit()
    return {"r1": r1, "montreuil": montreuil, "left_on": date(2026, 3, 31)}
