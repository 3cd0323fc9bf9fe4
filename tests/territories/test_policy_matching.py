"""The policy stage in matching: between practices the other signals rank alike, the one from a collectivity at the
same stage comes first, with its reason; it never passes a practice that is more relevant.

Montreuil asks (SPASER adopted: stage 3). Saint-Ouen: SPASER and strategy (stage 3). L'Haÿ: an élu named
(stage 1). Twins T1 (Saint-Ouen) and T2 (L'Haÿ) have the same text and lever (on words and meaning alone T2
comes out a hair ahead: the index weights of the last one indexed); T0 (L'Haÿ) has the same text and the lever
the problem names.
"""

from datetime import UTC, datetime

import pytest

from clubess.practices import matching
from clubess.practices.models import Practice
from clubess.practices.search.index import index_practice
from clubess.territories.policy_models import PolicyProfile

TEXT = "Une recyclerie municipale pour réemployer les meubles et former des personnes en insertion."


@pytest.fixture
def twins(db, policy_club, save_profile):
    people = policy_club
    montreuil, saint_ouen, lhay = (people[k].collectivity for k in ("helene", "sofia", "paul"))
    save_profile(people["helene"].user, montreuil, 2026, spaser_year=2025, has_budget_line=True)
    save_profile(people["sofia"].user, saint_ouen, 2026, spaser_year=2024, strategy_year=2023)
    save_profile(people["sofia"].user, saint_ouen, 2025, note="plus ancien")  # the latest year counts
    db.session.add(PolicyProfile(collectivity_id=lhay.id, year=2026, elu_name="Paul Roux", levers=[]))  # no account
    practices = {}
    for ref, collectivity, lever in (
        ("T0", lhay, "achats_responsables"),
        ("T1", saint_ouen, "soutien_structures"),
        ("T2", lhay, "soutien_structures"),
    ):
        practice = Practice(
            ref=ref,
            title="Recyclerie et insertion",
            lever=lever,
            themes=[],
            summary=TEXT,
            description=TEXT,
            status="published",
            year=2024,
            collectivity_id=collectivity.id,
            territory_id=collectivity.territory_id,
            territory_kind="commune",
            department_code="93",
            published_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        db.session.add(practice)
        db.session.flush()
        index_practice(practice)
        practices[ref] = practice
    db.session.commit()
    return montreuil


def _results(collectivity, lever=None):
    return matching.match("recyclerie réemploi meubles insertion", matching.context_of(collectivity, lever), limit=3)


def test_a_same_stage_practice_ranks_above_an_otherwise_equal_one_and_says_why(db, twins):
    plain = {
        m.practice.ref: m.score for m in matching.match("recyclerie réemploi meubles insertion", matching.Context())
    }
    assert abs(plain["T1"] - plain["T2"]) < matching.STAGE_BONUS  # twins: only a hair apart on their own
    results = _results(twins)
    refs = [m.practice.ref for m in results]
    assert refs.index("T1") < refs.index("T2")  # equal on every other signal: the same stage decides
    same, other = (next(m for m in results if m.practice.ref == ref) for ref in ("T1", "T2"))
    assert "Collectivité au même stade : SPASER adopté" in same.reasons
    assert not any("même stade" in r for r in other.reasons)
    gained = (same.score - other.score) - (plain["T1"] - plain["T2"])
    assert gained == pytest.approx(matching.STAGE_BONUS, abs=1e-4)


def test_the_stage_never_lifts_a_practice_over_a_more_relevant_one(db, twins):
    results = _results(twins, lever="achats_responsables")
    assert [m.practice.ref for m in results] == ["T0", "T1", "T2"]  # the lever (a relevance signal) wins
    assert matching.STAGE_BONUS < min(
        matching.LEVER_BONUS, matching.THEME_BONUS, matching.KIND_BONUS, matching.NEAR_BONUS, matching.SIZE_BONUS
    )


def test_without_a_profile_there_is_no_stage_signal(db, policy_club, twins):
    results = matching.match("recyclerie", matching.Context(), limit=3)
    assert not any("même stade" in r for m in results for r in m.reasons)
    assert matching.context_of(None).policy_stage is None
    assert matching.context_of(policy_club["paul"].collectivity).policy_stage.level == 1  # an élu named
