"""Territory journeys (issue 17) on the shipped reference of the région (1,338 territories, the map's 1,266
communes): a visitor goes from the region map to Est Ensemble, then Montreuil and its diagnostic sheet; the
référent of Montreuil fills its ESS policy profile; a coordinator imports figures and sees the map's colours
change. axe-core finds no violation on any page met."""

import re

import pytest
from playwright.sync_api import expect

from clubess.members.territories import data_file, load_territories

EST_ENSEMBLE = "200057875"
MONTREUIL = "93048"
#: a number as the French pages write it: digits grouped by a (narrow) no-break space
GROUPED = r"[\s\u202f\u00a0]"


@pytest.fixture
def region(db, territories, active_collectivity):
    """The real reference over the small hand-made one (same codes, updated in place), Montreuil a member."""
    load_territories(data_file("11"))
    db.session.commit()
    return active_collectivity


def _map(page):
    return page.locator("svg.carte-svg")


def _shape(page, code: str):
    """The link of a territory's shape on the region map."""
    return _map(page).locator(f'a[href$="/territoires/{code}"]')


def test_a_visitor_goes_from_the_map_to_est_ensemble_then_montreuil_and_its_diagnostic(page, live_server, region, axe):
    page.goto(f"{live_server}/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Territoires").click()
    page.wait_for_url(re.compile(r"/territoires$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Territoires")
    expect(nav.get_by_role("link", name="Territoires")).to_have_attribute("aria-current", "page")
    expect(_shape(page, MONTREUIL)).to_have_attribute("aria-label", "Montreuil : Collectivité adhérente")
    expect(_map(page).get_by_role("link")).to_have_count(1266)  # one link per commune
    axe("territories index with the communes' map")

    layers = page.locator("form.carte-couches")
    layers.get_by_label("Niveau").select_option(label="EPT et EPCI")
    layers.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"niveau=epci"))
    est_ensemble = _shape(page, EST_ENSEMBLE)
    expect(est_ensemble).to_have_attribute("aria-label", "Est Ensemble : Comprend des collectivités adhérentes")
    # communes are not drawn at this level: the member commune is an outline over its EPT
    expect(_map(page).locator(".carte-contours a")).to_have_attribute("aria-label", "Montreuil : adhérent (contour)")
    axe("map by EPT and EPCI")

    est_ensemble.click()
    page.wait_for_url(f"**/territoires/{EST_ENSEMBLE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Est Ensemble")
    sheet = page.locator("#territoire-fiche")
    expect(sheet).to_contain_text("Établissement public territorial (EPT)")
    expect(sheet).to_contain_text(re.compile(f"447{GROUPED}969 habitants"))
    parents = page.locator("#parents")
    expect(parents.get_by_role("link", name=re.compile("Métropole du Grand Paris"))).to_be_visible()
    expect(parents.get_by_role("link", name=re.compile("Seine-Saint-Denis"))).to_be_visible()
    communes = page.locator("#communes")
    expect(communes).to_contain_text("9 communes")
    expect(communes.get_by_role("link")).to_have_count(9)
    expect(page.locator("#situation svg")).to_have_attribute("aria-labelledby", "situation-titre")
    expect(page.locator("#situation-titre")).to_have_text("Est Ensemble dans Métropole du Grand Paris")
    members = page.locator("#membres")
    expect(members.locator("#membres-figures")).to_contain_text("1 collectivité membre")
    expect(members.get_by_role("link", name="Montreuil")).to_be_visible()
    expect(members).not_to_contain_text("Hélène Durand")  # names are for members
    axe("Est Ensemble")

    communes.get_by_role("link", name="Montreuil").click()
    page.wait_for_url(f"**/territoires/{MONTREUIL}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Montreuil")
    expect(page.locator("#territoire-fiche")).to_contain_text("Commune")
    expect(page.locator("#parents").get_by_role("link", name=re.compile("Est Ensemble"))).to_be_visible()
    expect(page.locator("#situation-titre")).to_have_text("Montreuil dans Est Ensemble")
    expect(page.locator("#politique")).to_have_count(0)  # the policy profiles are for members
    axe("Montreuil")

    link = page.get_by_role("link", name=re.compile("Télécharger le diagnostic"))
    expect(link).to_have_attribute("href", f"/territoires/{MONTREUIL}/diagnostic.pdf")
    response = page.request.get(f"{live_server}/territoires/{MONTREUIL}/diagnostic.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"

    # back up through the situation map: Montreuil's neighbours in Est Ensemble are links
    page.locator("#situation").get_by_role("link", name="Bagnolet").click()
    page.wait_for_url("**/territoires/93006")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bagnolet")

    page.locator(".lang-switch").get_by_text("English").click()  # the same pages in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#territoire-fiche")).to_contain_text("Municipality")
    axe("Bagnolet (en)")
    page.goto(f"{live_server}/territoires?niveau=epci")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(_shape(page, EST_ENSEMBLE)).to_be_visible()
    axe("map by EPT and EPCI (en)")


def test_the_referent_fills_the_ess_policy_profile_members_then_read_it(page, live_server, region, axe, login):
    login("helene@montreuil.fr")
    page.get_by_role("link", name="La politique ESS de ma collectivité (profil annuel)").click()
    page.wait_for_url(re.compile(r"/espace/politique-ess$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Montreuil")
    axe("policy profile, empty")

    page.get_by_label("Élu·e chargé·e de l’ESS").select_option(label="Hélène Durand — Maire adjointe")
    page.get_by_label("Une ligne budgétaire pour l’ESS").check()
    page.get_by_label("Montant annuel de la ligne budgétaire").fill("150000")
    page.get_by_label("SPASER adopté : année d’adoption").fill("2024")
    share = page.get_by_label("Part des marchés publics avec des clauses sociales")
    share.fill("150")
    page.get_by_label("Achats responsables").check()
    page.get_by_label("Foncier et tiers-lieux").check()
    page.get_by_role("button", name=re.compile("Enregistrer le profil")).click()

    expect(page.locator("#social_clause_share-error")).to_have_text("Indiquez un pourcentage entre 0 et 100.")
    expect(share).to_have_attribute("aria-invalid", "true")
    expect(share).to_have_value("150")  # what was typed is kept, the rest too
    expect(page.get_by_label("SPASER adopté : année d’adoption")).to_have_value("2024")
    expect(page.get_by_label("Montant annuel de la ligne budgétaire")).to_have_value("150000")
    expect(page.get_by_label("Achats responsables")).to_be_checked()
    axe("policy profile with an error")

    share.fill("30")
    page.get_by_role("button", name=re.compile("Enregistrer le profil")).click()
    expect(page.get_by_role("status").first).to_contain_text("de Montreuil est enregistré")
    expect(page.get_by_label("Élu·e chargé·e de l’ESS")).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_label("SPASER adopté : année d’adoption")).to_have_value("2024")
    expect(page.get_by_label("Part des marchés publics avec des clauses sociales")).to_have_value("30")
    expect(page.get_by_label("Montant annuel de la ligne budgétaire")).to_have_value("150000")
    expect(page.get_by_label("Foncier et tiers-lieux")).to_be_checked()
    expect(page.get_by_label("Animation et sensibilisation")).not_to_be_checked()
    expect(page.locator("#policy-history")).to_have_count(1)
    axe("policy profile saved")

    page.goto(f"{live_server}/territoires/{MONTREUIL}")
    policy = page.locator("#politique")
    expect(policy.get_by_role("heading", level=2)).to_have_text("Politique ESS des membres")
    expect(policy).to_contain_text("Hélène Durand")
    expect(policy).to_contain_text("adopté en 2024")
    expect(policy).to_contain_text(re.compile(f"150{GROUPED}000 €"))
    expect(policy).to_contain_text("30 %")
    expect(policy).to_contain_text("Foncier et tiers-lieux · Achats responsables")
    axe("Montreuil seen by a member, with its policy profile")


CSV = (
    "territoire;annee;indicateur;valeur;source\n"
    "93048;2024;emplois_ess;4 512;Observatoire d’essai\n"
    "93006;2024;emplois_ess;1 210;Observatoire d’essai\n"
    "93008;2024;emplois_ess;2 035;Observatoire d’essai\n"
    "93010;2024;emplois_ess;980;Observatoire d’essai\n"
)


def test_a_coordinator_imports_figures_and_the_choropleth_changes(
    page, live_server, region, coordinator, axe, login, tmp_path
):
    login(coordinator.email)
    page.goto(f"{live_server}/territoires?couche=indicateur&indicateur=emplois_ess")
    montreuil = _shape(page, MONTREUIL)
    expect(montreuil).to_have_attribute("aria-label", "Montreuil : pas de donnée")
    expect(montreuil.locator("xpath=..")).to_have_class("carte-kn")
    expect(page.locator(".carte-legende")).to_contain_text("Pas de donnée")
    axe("ESS jobs map without figures")

    path = tmp_path / "emplois-2024.csv"
    path.write_text(CSV, encoding="utf-8")
    page.goto(f"{live_server}/coordination/indicateurs/import")
    axe("indicators import")
    page.get_by_label("Fichier CSV").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#confirm-effects")).to_contain_text("4 chiffres nouveaux.")
    expect(page.locator("main")).to_contain_text("rien n’est encore importé")
    axe("indicators import, check page")
    page.get_by_role("button", name="Importer les chiffres").click()
    expect(page.locator("#import-done")).to_contain_text("Nouveaux : 4 ; remplacés : 0 ; déjà à jour : 0.")
    axe("indicators imported")

    page.goto(f"{live_server}/territoires?couche=indicateur&indicateur=emplois_ess")
    montreuil = _shape(page, MONTREUIL)
    expect(montreuil).to_have_attribute("aria-label", re.compile(f"^Montreuil : 4{GROUPED}512$"))
    expect(montreuil.locator("xpath=..")).to_have_class("carte-k5")  # the largest of the four: the darkest
    expect(_shape(page, "93010").locator("xpath=..")).to_have_class("carte-k2")  # the smallest: the lightest
    legend = page.locator(".carte-legende")
    expect(legend).to_contain_text("Année 2024. Source : Observatoire d’essai.")
    expect(legend).to_contain_text(re.compile(f"4{GROUPED}512"))
    axe("ESS jobs map with the imported figures")
