"""« Nothing answers this yet »: the one decision of whether a ranking holds a real answer.

Read from the ranking alone (the best score and its margin over the second), so the problem page, the match
API, the stored `Problem.is_answered` (the coordinators' loop, the to-do, the unanswered themes) and the bench all
decide alike. A logistic model: P(the best candidate answers) = sigmoid(w1 * best + w2 * margin + bias),
fitted by `bench/matching.py` on the dev set and the calibration set (bench/data/matching-calibration.json,
problems nothing in the demo answers beside answered ones; never the independent sets it is reported on).
"""

import math
from collections.abc import Sequence

#: the fitted model (bench/matching.py prints it; README « nDCG » gives its precision and recall)
BEST_WEIGHT = 8.70
MARGIN_WEIGHT = 2.84
BIAS = -3.68
#: answered from this probability on
THRESHOLD = 0.5
#: how many of a ranking's first results the decision reads
READS = 2


def _score(result) -> float:
    return float(result["score"] if isinstance(result, dict) else result.score)


def features(results: Sequence) -> tuple[float, float]:
    """(best score, its margin over the second) of a ranking, best first (matches or the API's dicts)."""
    scores = [_score(r) for r in results[:READS]]
    best = scores[0] if scores else 0.0
    second = scores[1] if len(scores) > 1 else 0.0
    return best, best - second


def probability(results: Sequence) -> float:
    """How likely the best candidate of `results` is a real answer."""
    if not results:
        return 0.0
    best, margin = features(results)
    z = BEST_WEIGHT * best + MARGIN_WEIGHT * margin + BIAS
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))


def is_answered(results: Sequence) -> bool:
    """Does the ranking (best first, two results at least when there are two) hold a real answer?"""
    return probability(results) >= THRESHOLD
