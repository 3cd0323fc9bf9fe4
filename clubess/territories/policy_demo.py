"""Demo ESS policy profiles for some demo member collectivities, over two years (flagged `demo`: invented
figures put in the mouth of real collectivities, shown as fictitious)."""

import sqlalchemy as sa

from clubess.extensions import db
from clubess.members.models import Collectivity, Member, Territory
from clubess.territories.policy_models import PolicyProfile

# (territory code, year, élu in charge (email of a demo élu, or a name), values)
PROFILES = [
    (
        "93048",
        2025,
        "elu@montreuil.example.org",
        {
            "has_budget_line": True,
            "budget_amount": 120000,
            "strategy_year": 2024,
            "levers": ["soutien_structures", "foncier_tiers_lieux"],
            "tiers_lieux_count": 2,
        },
    ),
    (
        "93048",
        2026,
        "elu@montreuil.example.org",
        {
            "has_budget_line": True,
            "budget_amount": 150000,
            "strategy_year": 2024,
            "spaser_year": 2026,
            "social_clause_share": 12,
            "has_reserved_contracts": True,
            "levers": ["soutien_structures", "foncier_tiers_lieux", "achats_responsables"],
            "tiers_lieux_count": 3,
            "note": "SPASER adopté en conseil municipal ; un groupe de travail suit les clauses sociales.",
        },
    ),
    (
        "200057875",
        2026,
        "",
        {
            "elu_name": "Élu·e fictif·ve de démonstration",
            "strategy_year": 2025,
            "supports_ptce": True,
            "ptce_name": "PTCE fictif de démonstration",
            "has_ess_in_crte": True,
            "levers": ["rd_sociale_cooperation", "animation_sensibilisation"],
        },
    ),
    (
        "75056",
        2026,
        "",
        {
            "has_budget_line": True,
            "spaser_year": 2023,
            "strategy_year": 2021,
            "social_clause_share": 20,
            "has_reserved_contracts": True,
            "tiers_lieux_count": 12,
            "levers": ["achats_responsables", "ecosysteme_financement", "foncier_tiers_lieux"],
        },
    ),
]


def load_policy_profiles() -> None:
    """Create the demo profiles once (nothing when some exist, or when the collectivities are missing)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(PolicyProfile)):
        return
    for code, year, elu, values in PROFILES:
        collectivity = db.session.scalar(
            sa.select(Collectivity).join(Territory).where(Territory.code == code, Collectivity.status == "active")
        )
        if collectivity is None:
            continue  # another region's data
        person = db.session.scalar(sa.select(Member).where(Member.email == elu)) if elu else None
        db.session.add(
            PolicyProfile(
                collectivity_id=collectivity.id,
                year=year,
                elu_id=person.id if person and person.collectivity_id == collectivity.id else None,
                demo=True,
                **{"levers": [], **values},
            )
        )
    db.session.flush()
