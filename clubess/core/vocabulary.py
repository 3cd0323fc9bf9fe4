"""Shared reference vocabulary: the six levers of local ESS policy (DESIGN §4)."""

from flask_babel import lazy_gettext as _l

LEVERS = {
    "ecosysteme_financement": _l("Financement et accompagnement"),
    "soutien_structures": _l("Soutien aux structures de l’ESS"),
    "foncier_tiers_lieux": _l("Foncier et tiers-lieux"),
    "rd_sociale_cooperation": _l("Recherche-développement sociale et coopération"),
    "achats_responsables": _l("Achats responsables"),
    "animation_sensibilisation": _l("Animation et sensibilisation"),
}
