"""The digest's club, counted by hand, on 15 November 2026 (period 2026-11, a first digest covers 1 October
(Paris) to now).

Montreuil (levers: achats responsables): Hélène (élue, référente) and Karim (agent), both opted in with a
verified account. Practices: « Achats SPASER » (achats responsables, published 5 Oct: on Montreuil's lever),
« Fonds de prêt » (financement, 20 Oct), « Brouillon » (a draft), « Ancienne » (published 20 Sept: before the
window).
"""

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

NOW = "2026-11-15 10:00:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


@pytest.fixture
def club(db, active_collectivity, frozen):
    from clubess.practices.models import Practice
    from clubess.territories.policy_models import PolicyProfile

    db.session.add(PolicyProfile(collectivity_id=active_collectivity.id, year=2026, levers=["achats_responsables"]))
    practices = {}
    for ref, title, lever, status, published in (
        ("D1", "Achats SPASER", "achats_responsables", "published", "2026-10-05 09:00:00"),
        ("D2", "Fonds de prêt", "ecosysteme_financement", "published", "2026-10-20 09:00:00"),
        ("D3", "Brouillon", "ecosysteme_financement", "draft", None),
        ("D4", "Ancienne", "ecosysteme_financement", "published", "2026-09-20 09:00:00"),
    ):
        practice = Practice(
            ref=ref, title=title, lever=lever, status=status, published_at=at(published) if published else None
        )
        db.session.add(practice)
        practices[ref] = practice
    db.session.commit()
    members = {m.first_name: m for m in active_collectivity.members}
    return {"collectivity": active_collectivity, "practices": practices, **members}
