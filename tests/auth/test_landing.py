"""Where a login lands: the back office for coordinators and admins, the member area for members."""

import pytest

from tests.pages import get_page

PASSWORD = "un mot de passe solide"


@pytest.mark.parametrize(
    ("role", "landing"), [("member", "/espace"), ("coordinator", "/coordination"), ("admin", "/coordination")]
)
def test_each_role_lands_on_its_own_space_after_login(client, make_user, role, landing):
    make_user(email="personne@example.org", role=role)
    response = client.submit("/connexion", {"email": "personne@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == landing
    assert get_page(client, landing).status_code == 200
    # already logged in, the login page sends them to the same place
    assert client.get("/connexion").headers["Location"] == landing


def test_an_explicit_safe_next_still_wins_for_a_coordinator(client, make_user):
    make_user(email="coordination@example.org", role="coordinator")
    for target, expected in [
        ("/rencontres", "/rencontres"),
        ("/espace/inscriptions", "/espace/inscriptions"),
        ("https://evil.example/", "/coordination"),
        ("//evil.example/", "/coordination"),
    ]:
        browser = client.application.test_client()  # a new browser each time, not yet logged in
        form = {"email": "coordination@example.org", "password": PASSWORD, "next": target}
        assert browser.submit("/connexion", form).headers["Location"] == expected, target
