"""The coordination pages of the indicators: the import's check page (the problems line by line, or the effect) and
its button, what is loaded, deleting a year of one source behind a confirmation; coordinators only."""

import io

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from clubess.core.audit import AuditEvent
from clubess.territories.models import IndicatorValue
from tests.pages import check_page, confirmation_form, effects_of, get_page

URL = "/coordination/indicateurs/import"
CSV = (
    "territoire;annee;indicateur;valeur;source\n"
    "93048;2023;emplois_ess;1 100;Observatoire régional\n"
    "93070;2023;emplois_ess;500;Observatoire régional\n"
    "93;2023;part_ess_emploi_prive;11,5 %;Observatoire régional\n"
)


def _upload(client, content: str, name: str = "obs.csv"):
    return client.submit(URL, {"file": (io.BytesIO(content.encode()), name)})


def _count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))


def _add(db, territory, indicator, year, value, source="Observatoire régional", demo=False):
    db.session.add(
        IndicatorValue(territory=territory, indicator=indicator, year=year, value=value, source=source, demo=demo)
    )
    db.session.commit()


def test_a_member_or_a_visitor_cannot_reach_the_pages(client, db, territories, active_collectivity):
    for url in ("/coordination/indicateurs", URL, "/coordination/indicateurs/supprimer?annee=2023&source=x"):
        assert client.get(url).status_code == 302  # to the login page
    client.login("helene@montreuil.fr")
    for url in ("/coordination/indicateurs", URL, "/coordination/indicateurs/supprimer?annee=2023&source=x"):
        assert client.get(url).status_code == 403


def test_the_import_page_explains_the_format(client, coordinator):
    client.login(coordinator.email)
    html = get_page(client, URL).get_data(as_text=True)
    assert "territoire;annee;indicateur;valeur;source" in html
    assert "part_ess_emploi_prive" in html and "Part de l'ESS dans l'emploi salarié privé" in html
    assert 'href="/coordination/indicateurs"' in html  # in the back office's menu


def test_a_file_with_problems_lists_them_and_writes_nothing(client, coordinator, territories, db):
    client.login(coordinator.email)
    bad = CSV + "99999;2023;emplois_ess;12;Obs\n93048;2023;emplois_ess;13;Obs\n"
    response = _upload(client, bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(html)
    assert "2 problèmes : rien n’a été importé" in html
    assert "<td>5</td><td>territoire</td><td>territoire « 99999 » inconnu</td>" in html
    assert "<td>6</td><td>—</td><td>doublon : le même territoire, indicateur et année qu’à la ligne 2</td>" in html
    assert 'name="file"' in html  # the form again, to send the fixed file
    assert _count(db) == 0


def test_the_check_states_new_and_replaced_then_the_button_imports(client, coordinator, territories, db):
    _add(db, territories["93048"], "emplois_ess", 2023, 1000)
    _add(db, territories["93070"], "emplois_ess", 2023, 500)
    client.login(coordinator.email)
    html = _upload(client, CSV).get_data(as_text=True)
    check_page(html)
    assert effects_of(html) == [
        "1 chiffre nouveau.",
        "1 chiffre déjà chargé sera remplacé.",
        "1 chiffre est déjà chargé à l’identique.",
    ]
    assert (
        "<td>Montreuil</td><td>Emplois salariés de l&#39;ESS</td><td>2023</td><td>1\u202f000</td><td>1\u202f100</td>"
        in html
    )
    assert _count(db) == 2
    action, fields = confirmation_form(html)
    done = client.post(action, data=MultiDict(fields))
    page = done.get_data(as_text=True)
    assert done.status_code == 200, page[:2000]
    assert "Import terminé. Nouveaux : 1 ; remplacés : 1 ; déjà à jour : 1." in page
    db.session.expire_all()
    values = dict(db.session.execute(sa.select(IndicatorValue.territory_id, IndicatorValue.value)).all())
    assert values[territories["93048"].id] == 1100 and values[territories["93"].id] == 11.5
    imported = db.session.scalar(sa.select(IndicatorValue).where(IndicatorValue.territory_id == territories["93"].id))
    assert imported.imported_by_id == coordinator.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "indicators.imported"))
    assert (event.actor_id, event.details["figures_new"], event.details["figures_replaced"]) == (coordinator.id, 1, 1)
    again = client.post(action, data=MultiDict(fields))
    assert again.status_code == 400 and "Ce fichier n’est plus disponible" in again.get_data(as_text=True)


def test_an_empty_or_unreadable_file_is_reported(client, coordinator, territories, db):
    client.login(coordinator.email)
    html = _upload(client, "").get_data(as_text=True)
    assert "le fichier est vide" in html
    response = client.submit(URL, {"file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")})
    assert response.status_code == 200 and "le fichier n’est pas en UTF-8" in response.get_data(as_text=True)
    response = client.submit(URL, {"file": (io.BytesIO(b"a;b"), "x.pdf")})
    assert "Seuls les fichiers .csv sont acceptés." in response.get_data(as_text=True)
    assert _count(db) == 0


def test_the_overview_lists_what_is_loaded(client, coordinator, territories, db):
    _add(db, territories["93048"], "emplois_ess", 2023, 1000)
    _add(db, territories["93070"], "emplois_ess", 2023, 500)
    _add(
        db,
        territories["93"],
        "emplois_ess",
        2022,
        9000,
        source="Données fictives de démonstration (clubess)",
        demo=True,
    )
    client.login(coordinator.email)
    html = get_page(client, "/coordination/indicateurs").get_data(as_text=True)
    assert '<th scope="row">Emplois salariés de l\'ESS</th>\n      <td>2023</td>\n      <td>2</td>' in html
    assert "données fictives de démonstration" in html


def test_deleting_a_year_of_one_source_says_how_many_go(client, coordinator, territories, db):
    _add(db, territories["93048"], "emplois_ess", 2023, 1000)
    _add(db, territories["93048"], "emplois_prives", 2023, 9000)
    _add(db, territories["93048"], "emplois_ess", 2022, 900)
    _add(db, territories["93070"], "emplois_ess", 2023, 500, source="Autre")
    client.login(coordinator.email)
    url = "/coordination/indicateurs/supprimer?annee=2023&source=Observatoire+régional"
    response = client.confirm(url, expect="2 chiffres (tous indicateurs et territoires confondus) seront supprimés.")
    assert response.status_code == 302
    db.session.expire_all()
    left = db.session.execute(sa.select(IndicatorValue.year, IndicatorValue.source)).all()
    assert sorted(left) == [(2022, "Observatoire régional"), (2023, "Autre")]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "indicators.deleted"))
    assert event.details == {"year": 2023, "figures_source": "Observatoire régional", "figures_deleted": 2}


def test_bad_deletion_parameters_never_fail(client, coordinator, territories, db):
    client.login(coordinator.email)
    for query in ("annee=abc&source=x", "annee=99999999999999&source=x", "annee=2023", "annee=٢٠٢٣&source=x"):
        assert client.get(f"/coordination/indicateurs/supprimer?{query}").status_code == 404
    assert client.get("/coordination/indicateurs/supprimer?annee=2023&source=rien").status_code == 302
    # a POST without the confirmation's button deletes nothing
    _add(db, territories["93048"], "emplois_ess", 2023, 1000)
    client.submit(
        "/coordination/indicateurs/supprimer", {"annee": "2023", "source": "Observatoire régional"}, form_url=URL
    )
    assert _count(db) == 1


def test_a_file_name_with_control_characters_is_shown_clean(client, coordinator, territories, db):
    client.login(coordinator.email)
    html = _upload(client, CSV, name="obs\x00\x1b.csv").get_data(as_text=True)
    check_page(html)
    assert "Importer « obs.csv » ?" in html


def test_the_overview_runs_the_same_queries_whatever_is_loaded(client, coordinator, territories, db, count_queries):
    client.login(coordinator.email)
    counts = []
    for year in (2020, 2021, 2022):
        for code in ("93048", "93070", "94038"):
            _add(db, territories[code], "emplois_ess", year, 10, source=f"Obs {year}")
        with count_queries() as counter:
            assert client.get("/coordination/indicateurs").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[-1] and counts[0] <= 6
