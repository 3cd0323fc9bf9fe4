"""Public pages: structure, content from the club profile, hidden empty sections, query bounds."""

import pytest

from tests.pages import get_page

PUBLIC_PAGES = [
    "/",
    "/le-club",
    "/accessibilite",
    "/confidentialite",
    "/mentions-legales",
    "/connexion",
    "/connexion/mot-de-passe-oublie",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_are_well_formed_french_pages(client, url):
    html = get_page(client, url).get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert 'href="#contenu"' in html  # skip link
    for label in ["Le club", "Connexion", "Accessibilité", "Confidentialité", "Mentions légales"]:
        assert label in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_exist_in_english(client, url):
    get_page(client, url, headers={"Accept-Language": "en"})


def test_club_page_shows_the_configured_partners_and_sponsor(client, app):
    from clubess.pages.club import club_profile

    with app.app_context():
        profile = club_profile()
    html = get_page(client, "/le-club").get_data(as_text=True)
    for founder in profile["founders"]:
        assert founder["name"].replace("'", "&#39;") in html
    assert profile["sponsor"]["name"] in html


def test_home_hides_sections_without_data(client):
    html = get_page(client, "/").get_data(as_text=True)
    assert "Prochaine rencontre" not in html
    assert "communiqués" not in html.lower() or "Derniers communiqués" not in html


def test_navigation_shows_member_and_back_office_links_by_role(client, coordinator):
    html = client.get("/").get_data(as_text=True)
    assert "Espace membre" not in html and "Coordination" not in html
    client.login(coordinator.email)
    html = client.get("/").get_data(as_text=True)
    assert "Espace membre" in html and "Coordination" in html and "Déconnexion" in html


@pytest.mark.parametrize("url", ["/", "/le-club", "/connexion"])
def test_public_pages_run_a_bounded_number_of_queries(client, count_queries, url):
    with count_queries() as counter:
        client.get(url)
    assert counter.count <= 2, counter.statements


def test_error_pages_are_french(client):
    response = client.get("/rien-ici")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page introuvable" in html and '<html lang="fr"' in html


def test_healthz_is_trivial(client, count_queries):
    with count_queries() as counter:
        response = client.get("/healthz")
    assert response.get_data(as_text=True) == "ok"
    assert counter.count == 0
