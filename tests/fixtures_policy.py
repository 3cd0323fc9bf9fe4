"""Policy profile fixtures: time frozen on 15 October 2026 (the current year 2026, years 2000–2027 may be
filled).
people (tests.fixtures_meetings): Montreuil 93048 (Hélène, élue and référente, account; Karim, agent, account),
Saint-Ouen 93070 (Sofia, élue, account, made référente here; Léo, agent), L'Haÿ 94038 (Paul, élu).
"""

import pytest
from freezegun import freeze_time


@pytest.fixture
def policy_club(db, people):
    """The people, on 15 October 2026, Sofia référente of Saint-Ouen."""
    with freeze_time("2026-10-15 08:00:00"):
        sofia = people["sofia"]
        sofia.collectivity.referent = sofia
        db.session.commit()
        yield people


@pytest.fixture
def save_profile(db, policy_club):
    """Save a profile through the service: `save(actor_user, collectivity, year, **values)`."""
    from clubess.territories import policy

    def make(actor, collectivity, year, **values):
        profile = policy.save_profile(actor, collectivity, year, policy.ProfileData(**values))
        db.session.commit()
        return profile

    return make
