"""The matcher's bounded bonuses: what a candidate shares with the asking collectivity (lever, themes, kind of
territory, département, size, policy stage) and the feedback, added to its meaning and words score, and the
reasons that name them (clubess.practices.matching)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from clubess.core.vocabulary import LEVERS
from clubess.practices.search.analysis import normalize
from clubess.territories.policy_models import MILESTONES, STAGE_LABELS, Stage

if TYPE_CHECKING:
    from clubess.practices.matching import Context

LEVER_BONUS = 0.05
THEME_BONUS = 0.03
MAX_THEME_BONUS = 0.06
KIND_BONUS = 0.03
NEAR_BONUS = 0.02
SIZE_BONUS = 0.01
#: half the smallest other signal: between two practices the other signals rank alike, the same stage decides;
#: it never lifts a practice over one any other signal, or a clearer match, puts ahead
STAGE_BONUS = 0.005
#: the meaning signal is named as a reason from this cosine on
MEANING_REASON = 0.35


@dataclass
class Ranking:
    """The bounded bonuses of the candidates (`score`), and the reasons of those shown (`reasons`), read from
    the same conditions so that a reason is never given for a bonus not counted, nor the reverse."""

    context: "Context"
    meta: dict[int, tuple]
    scores: dict[int, float]
    meaning: dict[int, float]
    population: dict[int, int]
    adjustments: dict[int, tuple]
    stages: dict[int, Stage]
    context_themes: set[str]
    near: set[str]

    def _signals(self, pid: int) -> dict[str, object]:
        """The structured signals a candidate shares with the asking context (name -> what it shares)."""
        context = self.context
        lever, kind, department, _year, _ref, _published, themes = self.meta[pid]
        found: dict[str, object] = {}
        if context.lever and lever == context.lever:
            found["lever"] = lever
        common = [t for t in themes if normalize(t).strip() in self.context_themes] if self.context_themes else []
        if common:
            found["themes"] = common
        if context.territory_kind and kind == context.territory_kind:
            found["kind"] = kind
        if self.near and self.near.intersection(department):
            found["near"] = True
        size = self.population.get(pid)
        if context.population and size and 0.5 <= size / context.population <= 2:
            found["size"] = True
        stage = self.stages.get(pid)
        if stage is not None and stage.level == context.policy_stage.level:
            found["stage"] = stage
        return found

    def score(self, pid: int) -> float:
        score = self.scores[pid]
        found = self._signals(pid)
        if "lever" in found:
            score += LEVER_BONUS
        if "themes" in found:
            score += min(MAX_THEME_BONUS, THEME_BONUS * len(found["themes"]))
        if "kind" in found:
            score += KIND_BONUS
        if "near" in found:
            score += NEAR_BONUS
        if "size" in found:
            score += SIZE_BONUS
        if "stage" in found:
            score += STAGE_BONUS
        return score + self.adjustments.get(pid, (0.0, 0, 0))[0]

    def reasons(self, pid: int, words: list[str], matched: dict[int, set[str]]) -> tuple[list[str], list[str]]:
        """(reasons, the query's words found in it) of a candidate shown."""
        context = self.context
        found = self._signals(pid)
        reasons = []
        if "lever" in found:
            reasons.append(_("Même levier : %(lever)s", lever=LEVERS.get(found["lever"], found["lever"])))
        if "themes" in found:
            reasons.append(_("Thèmes communs : %(themes)s", themes=", ".join(found["themes"])))
        if words:
            reasons.append(_("Termes en commun : %(words)s", words=", ".join(words[:8])))
        if self.meaning.get(pid, 0.0) >= MEANING_REASON:
            reasons.append(_("Situation proche de celle que vous décrivez"))
        if "kind" in found:
            reasons.append(_("Collectivité du même type"))
        if "near" in found:
            reasons.append(_("À proximité (même département)"))
        if "size" in found:
            reasons.append(_("Territoire de taille comparable"))
        if "stage" in found:
            shared = [str(MILESTONES[m]) for m in context.policy_stage.shared_with(found["stage"])]
            reasons.append(
                _(
                    "Collectivité au même stade : %(stage)s",
                    stage=", ".join(shared) or STAGE_LABELS[found["stage"].level],
                )
            )
        if self.adjustments.get(pid, (0.0, 0, 0))[1]:
            reasons.append(_("Jugée utile pour une problématique semblable"))
        if not reasons:  # every answer says why: what found it, however faint
            reasons.append(
                _("Termes apparentés à ceux de votre description")
                if matched.get(pid)
                else _("Sens voisin de votre description")
            )
        return reasons, words
