"""Journeys of the foundation: login errors, throttling, password reset by mail, accessibility of every page."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.mailing.models import OutboxMessage
from clubess.mailing.worker import send_pending


def test_wrong_password_then_throttling_then_reset_by_mail(page, live_server, app, smtp, make_user, axe):
    make_user(email="helene@montreuil.fr")
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill("helene@montreuil.fr")
    page.locator("#password").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Adresse électronique ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse électronique")).to_have_value("helene@montreuil.fr")
    axe("login with error")

    for _ in range(5):  # each page shows the same error: wait for it, or the next try cancels this one
        page.locator("#password").fill("toujours pas")
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trop de tentatives")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    axe("429 page")

    page.goto(f"{live_server}/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.wait_for_url("**/connexion/mot-de-passe-oublie")  # the login page has the same address field
    axe("forgot password")
    page.get_by_label("Adresse électronique").fill("helene@montreuil.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("status").first).to_contain_text("Si un compte existe")

    with app.app_context():
        send_pending()
    [mail] = smtp.to("helene@montreuil.fr")
    link = next(u for u in smtp.links_in(mail) if "/nouveau-mot-de-passe/" in u)
    path = re.sub(r"^https?://[^/]+", "", link)

    page.goto(f"{live_server}{path}")
    axe("reset form")
    page.get_by_label("Nouveau mot de passe").fill("une phrase de passe neuve")
    page.get_by_label("Confirmez le mot de passe").fill("une phrase de passe neuve")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre mot de passe a été changé")
    expect(page).to_have_url(re.compile(r"/connexion\?"))

    page.goto(f"{live_server}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lien expiré ou déjà utilisé")
    axe("used link")


def test_every_public_page_is_accessible_in_both_languages(page, live_server, axe):
    urls = [
        "/",
        "/le-club",
        "/accessibilite",
        "/confidentialite",
        "/mentions-legales",
        "/connexion",
        "/connexion/mot-de-passe-oublie",
        "/page-qui-n-existe-pas",
    ]
    for url in urls:
        page.goto(f"{live_server}{url}")
        axe(url)
    page.goto(f"{live_server}/")
    page.locator(".lang-switch").get_by_text("English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for url in urls:
        page.goto(f"{live_server}{url}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        axe(f"{url} (en)")


def test_member_and_back_office_pages_are_accessible(page, live_server, app, make_user, axe, login, logout, db):
    member = make_user(email="karim@est-ensemble.fr", email_verified_at=None)
    admin = make_user(email="admin@example.org", role="admin")
    login(member.email)
    for url in ["/espace", "/espace/mot-de-passe"]:
        page.goto(f"{live_server}{url}")
        axe(url)
    logout()

    login(admin.email)
    page.goto(f"{live_server}/espace/mot-de-passe")
    page.get_by_role("button", name="Changer le mot de passe").click()  # empty form: errors shown
    expect(page.get_by_role("alert").first).to_be_visible()
    axe("change password with errors")
    db.session.add(
        OutboxMessage(
            recipient="a@example.org", subject="Essai", body_text="Bonjour", body_html="<p>x</p>", category="test"
        )
    )
    db.session.commit()
    message_id = db.session.scalar(sa.select(OutboxMessage.id))
    for url in [
        "/coordination",
        "/coordination/journal",
        "/coordination/courriels/",
        f"/coordination/courriels/{message_id}",
        "/coordination/comptes",
        f"/coordination/comptes/{member.id}",
    ]:
        page.goto(f"{live_server}{url}")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe(url)


def test_keyboard_user_reaches_the_content_first(page, live_server):
    page.goto(f"{live_server}/le-club")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au contenu")
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()


def test_pages_work_without_javascript(browser, live_server, make_user):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    make_user(email="helene@montreuil.fr")
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill("helene@montreuil.fr")
    page.locator("#password").fill("un mot de passe solide")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))
    page.locator(".lang-switch").get_by_text("English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()
