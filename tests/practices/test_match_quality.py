"""The matcher's fusion of its signals, and the « nothing answers this yet » decision."""

from clubess.practices import matching
from clubess.practices.search.engine import QueryPlan


def test_a_practice_holding_one_common_word_of_a_long_problem_counts_little():
    plan = QueryPlan(weights={"cantin": 1.0, "maraich": 1.0, "legum": 1.0, "commun": 1.0})
    df = {"cantin": 2, "maraich": 2, "legum": 3, "commun": 9}
    matched = {1: {"commun"}, 2: {"cantin", "maraich", "legum"}, 3: {"cantin", "maraich", "legum", "commun"}}
    cover = matching.coverage(plan, matched, df, total=10)
    assert cover[3] == 1.0
    assert cover[1] < 0.1  # the word nine practices of ten hold says almost nothing
    assert 0.9 < cover[2] < 1.0


def test_synonyms_count_at_their_own_weight_and_phrases_by_their_words():
    plan = QueryPlan(weights={"boulot": 1.0, "emploi": 0.7}, phrases=[(("insertion", "activ"), 0.35, "x")])
    df = {"boulot": 1, "emploi": 1, "insertion": 1, "activ": 1}
    cover = matching.coverage(plan, {1: {"boulot"}, 2: {"emploi"}, 3: {"insertion", "activ"}}, df, total=10)
    assert cover[1] > cover[2] > 0
    assert cover[3] > 0
    assert matching.coverage(QueryPlan(), {1: set()}, {}, total=0) == {1: 0.0}
