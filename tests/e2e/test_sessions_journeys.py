"""Sessions in a real browser: logging out of a shared computer, ending a forgotten session from a phone."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import AXE


def _log_in(page, live_server, email, remember=True):
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill("un mot de passe solide")
    if remember:
        page.get_by_label("Rester connecté sur cet appareil").check()
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace")


def test_logout_on_a_shared_computer_leaves_the_next_person_logged_out(browser, page, live_server, make_user, logout):
    make_user(email="helene@montreuil.fr", display_name="Hélène Durand")
    _log_in(page, live_server, "helene@montreuil.fr", remember=True)
    cookies_before_logout = page.context.cookies()
    assert {c["name"] for c in cookies_before_logout} >= {"session", "remember_token"}
    logout()
    page.goto(f"{live_server}/espace")
    expect(page).to_have_url(re.compile("/connexion"))  # the next person on this computer gets the login page
    # someone who copied the cookies before the logout gets nothing with them
    copy = browser.new_context()
    copy.add_cookies(cookies_before_logout)
    thief = copy.new_page()
    thief.goto(f"{live_server}/espace")
    expect(thief).to_have_url(re.compile("/connexion"))
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
    phone.wait_for_url("**/espace/sessions")
    rows = phone.get_by_role("row")
    expect(rows).to_have_count(3)  # the header and two sessions
    expect(rows.filter(has_text="Chrome sous Android")).to_contain_text("Cette session")
    result = phone.evaluate("async () => await axe.run(document)")
    assert not result["violations"], result["violations"]
    phone.get_by_role("button", name="Fermer cette session").click()
    expect(phone.get_by_role("status").first).to_contain_text("La session a été fermée.")
    expect(phone.get_by_role("row")).to_have_count(2)

    page.reload()
    expect(page).to_have_url(re.compile("/connexion"))  # the town hall's computer is logged out
    phone.goto(f"{live_server}/espace")
    expect(phone).to_have_url(re.compile(r"/espace$"))  # the phone is not
    phone_context.close()

    page.goto(f"{live_server}/espace/sessions")
    expect(page).to_have_url(re.compile("/connexion"))
    axe("login page after the session was ended")
