"""The club of the exports' tests, hand-made on top of `people` (tests/fixtures_meetings.py)."""

from datetime import date

import pytest


@pytest.fixture
def club(db, people, territories):
    """In office (5): Montreuil (93: Hélène élue référente, Karim agent), Saint-Ouen (93: Sofia élue,
    interested in responsible purchasing; Léo agent, whose function is a formula), L'Haÿ (94: Paul élu).
    Est Ensemble (93), a member with nobody in office. Left out: Anne (Saint-Ouen, mandate ended), an erased
    person of L'Haÿ, the Seine-Saint-Denis département (left the club, one person), the Val-de-Marne
    (application pending, one person)."""
    from clubess.core.db import now_utc
    from clubess.members.models import Collectivity, Member

    people["sofia"].interests = ["achats_responsables", "inconnu"]
    people["leo"].function = '=HYPERLINK("http://x";"clic")'
    people["helene"].mandate_start_on = date(2026, 3, 20)
    saint_ouen, lhay = people["sofia"].collectivity, people["paul"].collectivity
    est_ensemble = Collectivity(territory=territories["200057875"], status="active", joined_on=date(2026, 4, 2))
    left = Collectivity(
        territory=territories["93"], status="left", joined_on=date(2025, 1, 1), left_on=date(2026, 1, 1)
    )
    pending = Collectivity(territory=territories["94"], status="pending")
    db.session.add_all(
        [
            est_ensemble,
            left,
            pending,
            Member(
                collectivity=saint_ouen,
                kind="elu",
                first_name="Anne",
                last_name="Ancienne",
                email="anne@saint-ouen.fr",
                mandate_end_on=date(2026, 1, 31),
            ),
            Member(
                collectivity=lhay,
                kind="agent",
                first_name="",
                last_name="Personne effacée",
                email="efface-1@invalid",
                anonymised_at=now_utc(),
            ),
            Member(collectivity=left, kind="elu", first_name="Lou", last_name="Partie", email="lou@cd93.fr"),
            Member(collectivity=pending, kind="elu", first_name="Pat", last_name="Attente", email="pat@cd94.fr"),
        ]  # fmt: skip
    )
    db.session.commit()
    return people
