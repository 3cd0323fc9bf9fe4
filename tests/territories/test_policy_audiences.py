"""Invitation audiences from the ESS policy profiles, on a hand-counted club.

Montreuil (Hélène, Karim): 2024 without SPASER, then 2026 with a SPASER, lever achats responsables.
Saint-Ouen (Sofia, Léo): 2025, strategy voted, no SPASER, levers achats responsables and soutien aux structures.
L'Haÿ (Paul): no profile (so without SPASER and without strategy, as the labels say).
"""

import pytest

from clubess.mailing.suppression import suppress
from clubess.meetings import invitations


@pytest.fixture
def profiled(db, policy_club, save_profile):
    helene, sofia = policy_club["helene"], policy_club["sofia"]
    save_profile(helene.user, helene.collectivity, 2024, strategy_year=2022)
    save_profile(helene.user, helene.collectivity, 2026, spaser_year=2025, levers=["achats_responsables"])
    save_profile(
        sofia.user, sofia.collectivity, 2025, strategy_year=2023, levers=["achats_responsables", "soutien_structures"]
    )
    return policy_club


@pytest.mark.parametrize(
    ("policy", "names"),
    [
        ("sans_spaser", {"Sofia Martin", "Léo Petit", "Paul Roux"}),
        ("sans_strategie", {"Hélène Durand", "Karim Benali", "Paul Roux"}),
        ("levier:achats_responsables", {"Hélène Durand", "Karim Benali", "Sofia Martin", "Léo Petit"}),
        ("levier:soutien_structures", {"Sofia Martin", "Léo Petit"}),
        ("levier:foncier_tiers_lieux", set()),
        ("", {"Hélène Durand", "Karim Benali", "Sofia Martin", "Léo Petit", "Paul Roux"}),
    ],
)
def test_each_audience_reaches_the_hand_counted_people(db, profiled, coordinator, open_meeting, policy, names):
    preview = invitations.resolve_audience(coordinator, open_meeting(), invitations.AudienceSpec(policy=policy))
    assert {r.name for r in preview.recipients} == names
    collectivities = {"Hélène Durand": 1, "Karim Benali": 1, "Sofia Martin": 2, "Léo Petit": 2, "Paul Roux": 3}
    assert preview.collectivities == len({collectivities[n] for n in names})


def test_the_preview_says_how_many_people_and_collectivities_and_the_suppression_list_holds(
    client, db, profiled, coordinator, open_meeting
):
    meeting = open_meeting()
    suppress("leo@saint-ouen.fr", "invitations", "unsubscribed")
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/rencontres/{meeting.id}/inviter"
    form = {"use_members": "y", "people": "all", "action": "preview", "policy": "sans_spaser"}
    page = client.submit(url, form).get_data(as_text=True)
    assert "Membres sans SPASER adopté (y compris ceux qui n’ont pas renseigné leur profil)" in page
    assert "2 destinataires dans 2 collectivités membres" in page  # Sofia and Paul; Léo unsubscribed
    assert "Léo Petit" not in page
    page = client.submit(url, {**form, "people": "elus", "policy": "levier:soutien_structures"}).get_data(as_text=True)
    assert "1 destinataire dans 1 collectivité membre" in page
    page = client.submit(url, {**form, "policy": "levier:inconnu"}).get_data(as_text=True)
    assert 'id="policy-error"' in page
    sent = client.submit(url, {**form, "action": "send", "expected": "2"})
    assert sent.status_code == 302
    [audience] = {i.audience for i in db.session.scalars(invitations.sa.select(invitations.Invitation))}
    assert "sans SPASER" in audience
