"""Fixtures shared by membership tests and browser journeys: a small hand-made territory reference."""

import json

import pytest

from clubess.members.territories import load_territories

TERRITORIES = [
    {"code": "11", "kind": "region", "name": "Île-de-France", "population": 12000000},
    {"code": "93", "kind": "departement", "name": "Seine-Saint-Denis", "department_code": "93", "population": 1600000},
    {"code": "94", "kind": "departement", "name": "Val-de-Marne", "department_code": "94", "population": 1400000},
    {"code": "200054781", "kind": "metropole", "name": "Métropole du Grand Paris", "population": 7000000},
    {
        "code": "200057875",
        "kind": "ept",
        "name": "Est Ensemble",
        "department_code": "93",
        "parent_code": "200054781",
        "population": 440000,
    },
    {
        "code": "93048",
        "kind": "commune",
        "name": "Montreuil",
        "department_code": "93",
        "parent_code": "200057875",
        "population": 111934,
        "postal_codes": ["93100"],
    },
    {
        "code": "93070",
        "kind": "commune",
        "name": "Saint-Ouen-sur-Seine",
        "department_code": "93",
        "population": 51000,
        "postal_codes": ["93400"],
    },
    {
        "code": "94038",
        "kind": "commune",
        "name": "L'Haÿ-les-Roses",
        "department_code": "94",
        "population": 31000,
        "postal_codes": ["94240"],
    },
]


@pytest.fixture
def territories(db, tmp_path):
    path = tmp_path / "territories.json"
    path.write_text(json.dumps({"region": "11", "territories": TERRITORIES}), encoding="utf-8")
    load_territories(path)
    db.session.commit()
    import sqlalchemy as sa

    from clubess.members.models import Territory

    return {t.code: t for t in db.session.scalars(sa.select(Territory))}


@pytest.fixture
def active_collectivity(db, territories, make_user):
    """Montreuil, a member, with its référent Hélène (an account) and an agent, Karim (an account)."""
    from datetime import date

    from clubess.members.models import Collectivity, Member

    c = Collectivity(territory=territories["93048"], status="active", joined_on=date(2026, 1, 15))
    helene_user = make_user(email="helene@montreuil.fr", display_name="Hélène Durand")
    karim_user = make_user(email="karim@montreuil.fr", display_name="Karim Benali")
    helene = Member(
        collectivity=c,
        kind="elu",
        first_name="Hélène",
        last_name="Durand",
        email=helene_user.email,
        function="Maire adjointe",
        delegation="adjointe déléguée à l'ESS",
        user=helene_user,
        show_email=True,
        phone="01 02 03 04 05",
    )
    karim = Member(
        collectivity=c,
        kind="agent",
        first_name="Karim",
        last_name="Benali",
        email=karim_user.email,
        function="Chargé de mission ESS",
        user=karim_user,
        show_in_directory=False,
    )
    db.session.add_all([c, helene, karim])
    db.session.flush()
    c.referent = helene
    db.session.commit()
    return c
