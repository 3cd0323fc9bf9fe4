"""The ESS indicators the club imports from observatories: their keys (the CSV's `indicator` column), labels,
units, and whether a figure may be summed from the territories inside it.

Counts add up (the jobs of an EPT are the jobs of its communes); shares do not: a share is only ever shown as
imported, or recomputed from two counts that both add up (`ratio_of`).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    #: "count" (a number of establishments or jobs) or "percent"
    unit: str
    #: the figures of the territories inside may be summed into this one
    additive: bool
    #: "" for the headline figures, "famille" (jobs by family) or "secteur" (jobs by sector)
    group: str = ""
    #: for a share: (numerator key, denominator key), both additive, to recompute it upward
    ratio_of: tuple[str, str] | None = None


INDICATORS: tuple[Indicator, ...] = (
    Indicator("etablissements_employeurs", _l("Établissements employeurs de l'ESS"), "count", True),
    Indicator("emplois_ess", _l("Emplois salariés de l'ESS"), "count", True),
    Indicator("emplois_prives", _l("Emplois salariés privés (tous secteurs)"), "count", True),
    Indicator(
        "part_ess_emploi_prive",
        _l("Part de l'ESS dans l'emploi salarié privé"),
        "percent",
        False,
        ratio_of=("emplois_ess", "emplois_prives"),
    ),
    Indicator("emplois_associations", _l("Emplois dans les associations"), "count", True, "famille"),
    Indicator("emplois_cooperatives", _l("Emplois dans les coopératives"), "count", True, "famille"),
    Indicator("emplois_mutuelles", _l("Emplois dans les mutuelles"), "count", True, "famille"),
    Indicator("emplois_fondations", _l("Emplois dans les fondations"), "count", True, "famille"),
    Indicator("emplois_action_sociale", _l("Action sociale"), "count", True, "secteur"),
    Indicator("emplois_enseignement", _l("Enseignement et formation"), "count", True, "secteur"),
    Indicator("emplois_sante", _l("Santé humaine"), "count", True, "secteur"),
    Indicator("emplois_sport_loisirs_culture", _l("Sports, loisirs et culture"), "count", True, "secteur"),
    Indicator("emplois_finance_assurance", _l("Activités financières et d'assurance"), "count", True, "secteur"),
    Indicator("emplois_commerce_industrie", _l("Commerce, industrie et construction"), "count", True, "secteur"),
    Indicator("emplois_hebergement_restauration", _l("Hébergement et restauration"), "count", True, "secteur"),
    Indicator("emplois_soutien_entreprises", _l("Soutien aux entreprises"), "count", True, "secteur"),
    Indicator("emplois_autres_secteurs", _l("Autres secteurs"), "count", True, "secteur"),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
GROUP_LABELS = {"": _l("Chiffres clés"), "famille": _l("Emplois par famille"), "secteur": _l("Emplois par secteur")}


def get(key: str) -> Indicator | None:
    return BY_KEY.get(key)
