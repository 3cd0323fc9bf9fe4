"""/espace/politique-ess: the référent fills the year's profile, the other people read it, nobody else sees it;
errors come back with what was typed; a new year starts from the latest earlier one; past years are history."""

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.territories.policy_models import PolicyProfile
from tests.pages import get_page

FORM = {
    "elu_id": "",
    "elu_name": "",
    "budget_amount": "",
    "spaser_year": "",
    "social_clause_share": "",
    "ptce_name": "",
    "tiers_lieux_count": "",
    "strategy_year": "",
    "note": "",
}


def _profiles(db):
    return db.session.scalars(sa.select(PolicyProfile).order_by(PolicyProfile.year)).all()


def test_the_referent_fills_the_years_profile_and_it_is_audited(db, client, policy_club):
    helene = policy_club["helene"]
    client.login(helene.email)
    page = get_page(client, "/espace/politique-ess").get_data(as_text=True)
    assert "Politique ESS de Montreuil : 2026" in page
    assert "Hélène Durand" in page and "Paul Roux" not in page  # the élus of Montreuil only; Karim is an agent
    assert "Karim Benali</option>" not in page
    data = {
        **FORM,
        "elu_id": str(helene.id),
        "has_budget_line": "y",
        "budget_amount": "150000",
        "spaser_year": "2024",
        "social_clause_share": "12",
        "has_reserved_contracts": "y",
        "supports_ptce": "y",
        "ptce_name": "Pôle ESS de l’Est parisien",
        "tiers_lieux_count": "3",
        "levers": ["achats_responsables", "foncier_tiers_lieux"],
        "note": "Un SPASER révisé en 2027.\nAvec la CRESS.",
    }
    response = client.submit("/espace/politique-ess", data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/espace/politique-ess/2026")
    [profile] = _profiles(db)
    assert (profile.year, profile.elu_id, profile.budget_amount, profile.spaser_year, profile.strategy_year) == (
        2026,
        helene.id,
        150000,
        2024,
        None,
    )
    assert profile.levers == ["foncier_tiers_lieux", "achats_responsables"]  # in the levers' order
    assert profile.stage == 3 and profile.updated_by_id == helene.user_id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "policy_profile.created"))
    assert event is not None and event.actor_id == helene.user_id
    page = get_page(client, response.headers["Location"]).get_data(as_text=True)
    assert "Le profil 2026 de Montreuil est enregistré." in page
    assert 'value="150000"' in page and "Pôle ESS de l’Est parisien" in page  # the form shows what is saved


def test_another_person_of_the_collectivity_reads_it_and_cannot_write(db, client, policy_club, save_profile):
    save_profile(
        policy_club["helene"].user, policy_club["helene"].collectivity, 2026, spaser_year=2024, note="Avec la CRESS."
    )
    client.login(policy_club["karim"].email)
    page = get_page(client, "/espace/politique-ess").get_data(as_text=True)
    assert '<form method="post"' not in page.split("Historique")[0]
    assert "adopté en 2024" in page and "Avec la CRESS." in page
    assert "Seul·e le ou la référent·e de votre collectivité modifie ce profil." in page
    response = client.submit("/espace/politique-ess/2026", {**FORM, "spaser_year": "2020"}, form_url="/espace")
    assert response.status_code == 403
    assert _profiles(db)[0].spaser_year == 2024


def test_nobody_outside_the_collectivity_reaches_the_page(db, client, policy_club, coordinator, save_profile):
    save_profile(
        policy_club["helene"].user, policy_club["helene"].collectivity, 2026, note="Note interne de Montreuil."
    )
    assert client.get("/espace/politique-ess").status_code == 302  # a visitor is sent to log in
    assert "/connexion" in client.get("/espace/politique-ess").headers["Location"]
    client.login(coordinator.email)  # no collectivity: the member area has no profile for them
    assert client.get("/espace/politique-ess").status_code == 404
    sofia = client.application.test_client()
    sofia.login(policy_club["sofia"].email)  # Saint-Ouen's référente sees her own collectivity's, empty
    page = get_page(sofia, "/espace/politique-ess").get_data(as_text=True)
    assert "Saint-Ouen-sur-Seine" in page and "Note interne de Montreuil." not in page


def test_errors_come_back_next_to_their_fields_with_what_was_typed(db, client, policy_club):
    helene, sofia = policy_club["helene"], policy_club["sofia"]
    client.login(helene.email)
    cases = [
        ("budget_amount", "9999999999", "Ce nombre est trop grand."),
        ("budget_amount", "99999999999999999999", "N&#39;est pas un entier valide."),
        ("budget_amount", "1,5e9", "N&#39;est pas un entier valide."),
        ("social_clause_share", "140", "Indiquez un pourcentage entre 0 et 100."),
        ("social_clause_share", "-3", "Indiquez un pourcentage entre 0 et 100."),
        ("spaser_year", "2027", "Indiquez une année entre 2000 et 2026"),
        ("strategy_year", "1999", "Indiquez une année à partir de 2000."),
        ("tiers_lieux_count", "٣", "N&#39;est pas un entier valide."),
        ("elu_id", str(sofia.id), "Choisissez un·e élu·e en fonction de Montreuil."),
        ("elu_id", str(policy_club["karim"].id), "Choisissez un·e élu·e en fonction de Montreuil."),
        ("elu_id", "99999999999999999999", "Choisissez un·e élu·e en fonction de Montreuil."),
        ("ptce_name", "Pôle sans case cochée", "Cochez « Soutien à un PTCE » ou laissez le nom vide."),
        ("levers", "levier_inconnu", "Choisissez parmi les six leviers proposés."),
        ("note", "x" * 2001, "Le champ ne peut pas contenir plus de 2000 caractères."),
        ("elu_name", "<script>", "Les chevrons"),
    ]
    for name, value, message in cases:
        data = {**FORM, "has_budget_line": "y", "note": "Un texte gardé.", name: value}
        response = client.submit("/espace/politique-ess", data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html, (name, value, html[:300])
        assert f'id="{name}-error"' in html, name
        if name != "note":
            assert "Un texte gardé." in html
    assert _profiles(db) == []


def test_a_new_year_starts_from_the_latest_earlier_one_and_says_so(db, client, policy_club, save_profile):
    helene = policy_club["helene"]
    collectivity = helene.collectivity
    save_profile(helene.user, collectivity, 2023, strategy_year=2022, note="Profil 2023.")
    save_profile(helene.user, collectivity, 2024, strategy_year=2022, spaser_year=2024, note="Profil 2024.")
    client.login(helene.email)
    page = get_page(client, "/espace/politique-ess").get_data(as_text=True)
    assert "Aucun profil pour 2026 : le formulaire reprend le profil 2024." in page
    assert 'value="2024"' in page and "Profil 2024." in page
    assert _profiles(db)[-1].year == 2024  # nothing saved before the référent confirms
    assert client.submit("/espace/politique-ess", {**FORM, "spaser_year": "2024"}).status_code == 302
    assert [p.year for p in _profiles(db)] == [2023, 2024, 2026]
    # a past year with no profile may still be filled, from the latest year before it
    page = get_page(client, "/espace/politique-ess?annee=2025", status=302)
    page = get_page(client, "/espace/politique-ess/2025").get_data(as_text=True)
    assert "le formulaire reprend le profil 2024" in page
    page = get_page(client, "/espace/politique-ess/2020").get_data(as_text=True)
    assert "Aucun profil pour 2020 : remplissez-le ci-dessous." in page


def test_past_years_are_history_each_viewable_and_read_only(db, client, policy_club, save_profile):
    helene = policy_club["helene"]
    save_profile(helene.user, helene.collectivity, 2024, spaser_year=2024, note="Profil 2024.")
    client.login(helene.email)
    page = get_page(client, "/espace/politique-ess").get_data(as_text=True)
    assert 'href="/espace/politique-ess/2024"' in page
    page = get_page(client, "/espace/politique-ess/2024").get_data(as_text=True)
    assert "Profil 2024, dans l’historique : il ne se modifie plus." in page and "Profil 2024." in page
    response = client.submit("/espace/politique-ess/2024", {**FORM, "note": "Changé."}, form_url="/espace")
    assert response.status_code == 302
    assert _profiles(db)[0].note == "Profil 2024."


def test_years_outside_the_range_are_refused_without_error_pages(db, client, policy_club):
    client.login(policy_club["helene"].email)
    assert client.get("/espace/politique-ess/1999").status_code == 404
    assert client.get("/espace/politique-ess/2028").status_code == 404
    assert client.get("/espace/politique-ess/99999999999").status_code == 404
    for value in ("2028", "abc", "", "99999999999", "2026x"):
        page = get_page(client, f"/espace/politique-ess?annee={value}").get_data(as_text=True)
        assert "Choisissez une année entre 2000 et 2027." in page, value
