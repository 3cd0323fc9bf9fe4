"""Membership figures: the directory's counts by département and the applications list (hand-counted)."""

import re
from datetime import date

from tests.pages import get_page


def _club(db, territories, active_collectivity):
    """Active: Montreuil (93), Saint-Ouen (93), the département 93, L'Haÿ (94), the région and the métropole
    (no département); pending: Est Ensemble (93); rejected: none left over. Hand count: 93 → 3, 94 → 1, none → 2."""
    from clubess.members.models import Collectivity

    db.session.add_all(
        [
            Collectivity(territory=territories["93070"], status="active", joined_on=date(2026, 2, 1)),
            Collectivity(territory=territories["93"], status="active", joined_on=date(2026, 2, 2)),
            Collectivity(territory=territories["94038"], status="active", joined_on=date(2026, 2, 3)),
            Collectivity(territory=territories["11"], status="active", joined_on=date(2026, 2, 4)),
            Collectivity(territory=territories["200054781"], status="active", joined_on=date(2026, 2, 5)),
            Collectivity(territory=territories["200057875"], status="pending"),
        ]
    )
    db.session.commit()


def _counts(page: str) -> dict[str, int]:
    return {
        label: int(n)
        for n, label in re.findall(r'stat__value">(\d+)</span> <span class="stat__label">([^<]+)</span>', page)
    }


def test_the_directory_counts_members_by_departement_with_its_name(client, db, territories, active_collectivity):
    _club(db, territories, active_collectivity)
    page = get_page(client, "/annuaire").get_data(as_text=True)
    assert _counts(page) == {
        "Seine-Saint-Denis (93)": 3,
        "Val-de-Marne (94)": 1,
        "Sans département (région, métropole)": 2,
    }


def test_the_applications_list_says_how_many_match_its_filters(
    client, db, territories, active_collectivity, coordinator
):
    _club(db, territories, active_collectivity)
    client.login(coordinator.email)
    page = get_page(client, "/coordination/adhesions").get_data(as_text=True)
    assert 'id="result-count">1 collectivité · Demande en attente' in page
    page = get_page(client, "/coordination/adhesions?status=active").get_data(as_text=True)
    assert 'id="result-count">6 collectivités · Membre du club' in page
    page = get_page(client, "/coordination/adhesions?status=active&department=93").get_data(as_text=True)
    assert 'id="result-count">3 collectivités · Membre du club' in page
    page = get_page(client, "/coordination/adhesions?status=rejected").get_data(as_text=True)
    assert "Aucune demande." in page
    page = get_page(client, "/coordination/adhesions?status=n%27importe").get_data(as_text=True)
    assert 'id="result-count">1 collectivité · Demande en attente' in page
