"""Sessions in a real browser: logging out of a shared computer, ending a forgotten session from a phone."""

from tests.e2e.conftest import AXE


def _log_in(page, live_server, email, remember=True):
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill("un mot de passe solide")
    if remember:
        page.get_by_label("Rester connecté sur cet appareil").check()
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace")


def test_logout_on_a_shared_computer_leaves_the_next_person_logged_out(browser, page, live_server, make_user):
    make_user(email="helene@montreuil.fr", display_name="Hélène Durand")
    _log_in(page, live_server, "helene@montreuil.fr", remember=True)
    cookies_before_logout = page.context.cookies()
    assert {c["name"] for c in cookies_before_logout} >= {"session", "remember_token"}
    page.get_by_role("button", name="Déconnexion").click()
    page.goto(f"{live_server}/espace")
    assert "/connexion" in page.url  # the next person on this computer gets the login page
    # someone who copied the cookies before the logout gets nothing with them
    copy = browser.new_context()
    copy.add_cookies(cookies_before_logout)
    thief = copy.new_page()
    thief.goto(f"{live_server}/espace")
    assert "/connexion" in thief.url
    copy.close()


def test_a_forgotten_session_is_ended_from_the_phone(browser, page, live_server, make_user, axe):
    make_user(email="helene@montreuil.fr", display_name="Hélène Durand")
    _log_in(page, live_server, "helene@montreuil.fr", remember=True)  # the town hall's computer
    phone_context = browser.new_context(
        locale="fr-FR",
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    )
    phone_context.add_init_script(path=str(AXE))
    phone = phone_context.new_page()
    _log_in(phone, live_server, "helene@montreuil.fr", remember=False)
    phone.get_by_role("link", name="Mes sessions ouvertes (appareils connectés)").click()
    rows = phone.get_by_role("row")
    assert rows.count() == 3  # the header and two sessions
    assert "Cette session" in rows.filter(has_text="Chrome sous Android").inner_text()
    result = phone.evaluate("async () => await axe.run(document)")
    assert not result["violations"], result["violations"]
    phone.get_by_role("button", name="Fermer cette session").click()
    assert "La session a été fermée." in phone.get_by_role("status").first.inner_text()
    assert phone.get_by_role("row").count() == 2

    page.reload()
    assert "/connexion" in page.url  # the town hall's computer is logged out
    phone.goto(f"{live_server}/espace")
    assert phone.url.endswith("/espace")  # the phone is not
    phone_context.close()

    page.goto(f"{live_server}/espace/sessions")
    assert "/connexion" in page.url
    axe("login page after the session was ended")
