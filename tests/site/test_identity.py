"""The club as it is: its founding partners and sponsor, its legal notice, the name of lever 1, in both languages."""

import json

import pytest

from clubess.pages import club as club_module
from tests.pages import get_page

ENGLISH = {"Accept-Language": "en"}
FOUNDERS = ["CRESS Île-de-France", "AMIF", "RTES"]


def text_of(html: str) -> str:
    """The page's text, HTML entities decoded, so apostrophes compare as typed."""
    import html as html_module

    return html_module.unescape(html)


def test_the_club_page_names_the_three_founding_partners_and_the_mnt_as_sponsor(client):
    html = text_of(get_page(client, "/le-club").get_data(as_text=True))
    for name in FOUNDERS:
        assert name in html
    assert "Chambre régionale de l'économie sociale et solidaire" in html
    assert "Association des maires d'Île-de-France" in html
    assert "Réseau des collectivités territoriales pour une économie solidaire" in html
    assert "Mutuelle Nationale Territoriale (MNT)" in html
    sponsor = html.split("Avec le soutien de", 1)[1].split("</p>", 1)[0]
    assert "MNT" in sponsor and "Région" not in sponsor
    for url in [
        "https://www.cressidf.org/",
        "https://www.amif.asso.fr/",
        "https://www.rtes.fr/",
        "https://www.mnt.fr/",
    ]:
        assert f'href="{url}"' in html


def test_every_page_footer_names_the_founding_partners_and_the_sponsor(client):
    html = text_of(get_page(client, "/connexion").get_data(as_text=True))
    footer = html.split('<footer class="site-footer">', 1)[1]
    for name in [*FOUNDERS, "MNT"]:
        assert name in footer


def test_the_club_page_is_in_english_for_english_readers(client):
    html = text_of(get_page(client, "/le-club", headers=ENGLISH).get_data(as_text=True))
    assert "The club brings together" in html
    assert "Le club réunit" not in html and "Partager les bonnes pratiques" not in html
    assert "L'adhésion est gratuite" not in html and "Membership is free" in html
    assert "Mutuelle Nationale Territoriale" in html  # a name stays a name
    home = text_of(get_page(client, "/", headers=ENGLISH).get_data(as_text=True))
    assert "The club brings together" in home


def test_every_text_of_the_shipped_profile_exists_in_every_language(app):
    raw = json.loads(club_module.DEFAULT_PROFILE.read_text(encoding="utf-8"))
    missing = club_module.untranslated(raw, app.config["LOCALES"])
    assert not missing, missing


def test_a_profile_file_with_plain_strings_still_works_in_both_languages(app, client, tmp_path):
    custom = tmp_path / "club.json"
    custom.write_text(
        json.dumps(
            {
                "mission": "Mission unique.",
                "founders": [{"name": "Réseau A", "role": {"fr": "Rôle", "en": "Role"}}],
                "sponsor": {"name": "Mécène B", "role": "Soutien"},
            }
        ),
        encoding="utf-8",
    )
    app.config["CLUB_PROFILE_FILE"] = str(custom)
    try:
        english = text_of(get_page(client, "/le-club", headers=ENGLISH).get_data(as_text=True))
        french = text_of(get_page(client, "/le-club").get_data(as_text=True))
    finally:
        app.config["CLUB_PROFILE_FILE"] = None
    assert "Mission unique." in english and ">Role<" in english and "Mécène B" in english
    assert ">Rôle<" in french


# --- the legal notice ---------------------------------------------------------------------------


def test_the_legal_notice_is_complete_and_says_nothing_is_missing(client):
    html = text_of(get_page(client, "/mentions-legales").get_data(as_text=True))
    assert "compléter" not in html
    for heading in [
        "Éditeur",
        "Directeur ou directrice de la publication",
        "Hébergement",
        "Contact",
        "Propriété intellectuelle",
        "Données personnelles",
        "Accessibilité",
    ]:
        assert f">{heading}</h2>" in html, heading
    assert "CRESS Île-de-France" in html and "association" in html
    assert 'href="/confidentialite"' in html and 'href="/accessibilite"' in html
    assert 'href="mailto:contact@club-ess.example.org"' in html


def test_the_legal_notice_takes_the_deployment_facts_from_the_settings(app, client):
    settings = {
        "LEGAL_PUBLISHER": "Chambre Test",
        "LEGAL_PUBLISHER_FORM": "association loi 1901",
        "LEGAL_ADDRESS": "1 rue de l'Exemple, 75000 Paris",
        "LEGAL_PHONE": "01 23 45 67 89",
        "LEGAL_SIRET": "123 456 789 00012",
        "LEGAL_PUBLICATION_DIRECTOR": "Camille Exemple, présidente",
        "LEGAL_HOST": "Hébergeur Exemple SAS",
        "LEGAL_HOST_ADDRESS": "2 avenue du Serveur, 59000 Lille",
        "LEGAL_HOST_PHONE": "03 00 00 00 00",
        "LEGAL_CONTACT_EMAIL": "legal@example.org",
    }
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        html = text_of(get_page(client, "/mentions-legales").get_data(as_text=True))
        english = text_of(get_page(client, "/mentions-legales", headers=ENGLISH).get_data(as_text=True))
        privacy = text_of(get_page(client, "/confidentialite").get_data(as_text=True))
    finally:
        app.config.update(saved)
    for value in settings.values():
        assert value in html, value
    assert "Publisher" in english and "Hosting" in english and "Chambre Test" in english
    assert "Chambre Test" in privacy  # the privacy page names the same controller


def test_without_a_named_host_the_notice_says_the_publisher_hosts_the_platform(app, client):
    saved = app.config.get("LEGAL_HOST")
    app.config["LEGAL_HOST"] = ""
    try:
        html = text_of(get_page(client, "/mentions-legales").get_data(as_text=True))
    finally:
        app.config["LEGAL_HOST"] = saved
    hosting = html.split(">Hébergement</h2>", 1)[1].split("<h2", 1)[0]
    assert "hébergée par l’éditeur" in hosting


# --- lever 1 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "label", "old"),
    [({}, "Financement et accompagnement", "Écosystème"), (ENGLISH, "Funding and support", "Ecosystem")],
)
def test_lever_one_is_called_funding_and_support_everywhere(client, corpus, active_collectivity, headers, label, old):
    client.login("helene@montreuil.fr")
    client.choose_language("en" if headers else "fr", "/")
    pages = [
        "/bonnes-pratiques",  # facets
        "/bonnes-pratiques?levier=ecosysteme_financement",
        f"/bonnes-pratiques/{corpus['P06'].id}",
        "/bonnes-pratiques/proposer",  # the form's select
        "/problematiques",
        "/annuaire",
    ]
    for url in pages:
        html = text_of(get_page(client, url, headers=headers).get_data(as_text=True))
        assert label in html, url
        assert old not in html, url
    client.submit("/deconnexion", {}, form_url="/")
    client.choose_language("en" if headers else "fr", "/")
    public = text_of(get_page(client, "/bonnes-pratiques").get_data(as_text=True))
    assert label in public and old not in public
