"""Journeys of the foundation: login errors, throttling, password reset by mail, accessibility of every page."""

import re

import sqlalchemy as sa

from clubess.mailing.models import OutboxMessage
from clubess.mailing.worker import send_pending


def test_wrong_password_then_throttling_then_reset_by_mail(page, live_server, app, smtp, make_user, axe):
    make_user(email="helene@montreuil.fr")
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill("helene@montreuil.fr")
    page.locator("#password").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    alert = page.get_by_role("alert")
    assert "Adresse électronique ou mot de passe incorrect." in alert.inner_text()
    assert page.get_by_label("Adresse électronique").input_value() == "helene@montreuil.fr"
    axe("login with error")

    for _ in range(5):
        page.locator("#password").fill("toujours pas")
        page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Trop de tentatives"
    assert page.locator("html").get_attribute("lang") == "fr"
    axe("429 page")

    page.goto(f"{live_server}/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    axe("forgot password")
    page.get_by_label("Adresse électronique").fill("helene@montreuil.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    assert "Si un compte existe" in page.get_by_role("status").first.inner_text()

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
    page.wait_for_url("**/connexion**")
    assert "Votre mot de passe a été changé" in page.content()

    page.goto(f"{live_server}{path}")
    assert page.get_by_role("heading", level=1).inner_text() == "Lien expiré ou déjà utilisé"
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
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    for url in urls:
        page.goto(f"{live_server}{url}")
        assert page.locator("html").get_attribute("lang") == "en"
        axe(f"{url} (en)")


def test_member_and_back_office_pages_are_accessible(page, live_server, app, make_user, axe, login, db):
    member = make_user(email="karim@est-ensemble.fr", email_verified_at=None)
    admin = make_user(email="admin@example.org", role="admin")
    login(member.email)
    for url in ["/espace", "/espace/mot-de-passe"]:
        page.goto(f"{live_server}{url}")
        axe(url)
    page.get_by_role("button", name="Déconnexion").click()

    login(admin.email)
    page.goto(f"{live_server}/espace/mot-de-passe")
    page.get_by_role("button", name="Changer le mot de passe").click()  # empty form: errors shown
    assert page.get_by_role("alert").count() >= 1
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
        assert page.get_by_role("heading", level=1).count() == 1
        axe(url)


def test_keyboard_user_reaches_the_content_first(page, live_server):
    page.goto(f"{live_server}/le-club")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_pages_work_without_javascript(browser, live_server, make_user):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    make_user(email="helene@montreuil.fr")
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill("helene@montreuil.fr")
    page.locator("#password").fill("un mot de passe solide")
    page.get_by_role("button", name="Se connecter").click()
    assert page.url.endswith("/espace")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
