"""Library pages, submission and moderation, import/export, API."""

import json

import pytest
import sqlalchemy as sa

from clubess.practices.models import Practice, PracticeRevision
from tests.pages import get_page


def test_visitors_search_the_library_too_and_are_told_contacts_are_for_members(client, corpus, active_collectivity):
    public = get_page(client, "/bonnes-pratiques?q=ressourceries").get_data(as_text=True)
    assert "les contacts sont réservés aux membres du club" in public and 'type="search"' in public
    assert "<mark>ressourcerie</mark>" in public.lower()
    assert get_page(client, f"/bonnes-pratiques/{corpus['P01'].id}").status_code == 200
    client.login("helene@montreuil.fr")
    html = get_page(client, "/bonnes-pratiques?q=ressourceries").get_data(as_text=True)
    assert "<mark>ressourcerie</mark>" in html.lower()
    assert "Soutien aux structures de l’ESS (" in html  # facet with its count
    detail = get_page(client, f"/bonnes-pratiques/{corpus['P01'].id}").get_data(as_text=True)
    assert "Recyclerie de matériaux du bâtiment" in detail  # related practice (same lever, shared theme)


def test_library_query_count_is_bounded(client, corpus, active_collectivity, count_queries):
    client.login("helene@montreuil.fr")
    with count_queries() as counter:  # the first search after an index change also refills the worker's cache
        # (the practices' and the ESS solutions' metadata: one query each)
        get_page(client, "/bonnes-pratiques?q=recyclerie+insertion&levier=soutien_structures")
    assert counter.count <= 14, counter.statements
    with count_queries() as counter:
        get_page(client, "/bonnes-pratiques?q=recyclerie+insertion&levier=soutien_structures")
    assert counter.count <= 9, counter.statements
    with count_queries() as counter:
        get_page(client, "/bonnes-pratiques")
    assert counter.count <= 10, counter.statements


def test_member_submits_coordinator_requests_changes_member_edits_coordinator_publishes(
    app, client, smtp, corpus, active_collectivity, coordinator, db
):
    from clubess.mailing.worker import send_pending
    from tests.conftest import FormClient

    client.login("helene@montreuil.fr")
    get_page(client, "/bonnes-pratiques/proposer")
    preview = client.submit(
        "/bonnes-pratiques/proposer",
        {
            "title": "Recyclerie éphémère",
            "lever": "soutien_structures",
            "summary": "Une recyclerie.",
            "description": "**Gras** <script>x</script>",
            "action": "preview",
        },
    )
    assert "<strong>Gras</strong>" in preview.get_data(as_text=True) and "<script>x" not in preview.get_data(
        as_text=True
    )
    client.submit(
        "/bonnes-pratiques/proposer",
        {
            "title": "Recyclerie éphémère",
            "lever": "soutien_structures",
            "summary": "Une recyclerie en pied d'immeuble.",
            "themes": "réemploi, quartiers",
            "action": "submit",
        },
    )
    practice = db.session.scalar(sa.select(Practice).where(Practice.title == "Recyclerie éphémère"))
    assert practice.status == "submitted" and practice.territory_name == "Montreuil"

    app.test_client_class = FormClient
    coord = app.test_client()
    coord.login(coordinator.email)
    get_page(coord, f"/coordination/pratiques/{practice.id}")
    empty = coord.submit(f"/coordination/pratiques/{practice.id}", {"action": "changes", "comment": ""})
    assert "Expliquez ce qu" in empty.get_data(as_text=True)
    coord.submit(f"/coordination/pratiques/{practice.id}", {"action": "changes", "comment": "Ajoutez les résultats."})
    with app.app_context():
        send_pending()
    assert "Ajoutez les résultats." in smtp.text_of(smtp.to("helene@montreuil.fr")[0])

    page = get_page(client, f"/bonnes-pratiques/{practice.id}/modifier").get_data(as_text=True)
    assert "Ajoutez les résultats." in page
    client.submit(
        f"/bonnes-pratiques/{practice.id}/modifier",
        {
            "title": "Recyclerie éphémère",
            "lever": "soutien_structures",
            "summary": "Une recyclerie en pied d'immeuble : 12 tonnes réemployées.",
            "themes": "réemploi",
            "action": "submit",
        },
    )
    coord.confirm(f"/coordination/pratiques/{practice.id}", {"action": "publish"}, expect="visible tout de suite")
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).status == "published"
    actions = db.session.scalars(
        sa.select(PracticeRevision.action)
        .where(PracticeRevision.practice_id == practice.id)
        .order_by(PracticeRevision.id)
    ).all()
    assert actions == ["submitted", "changes_requested", "submitted", "published"]
    found = client.get("/bonnes-pratiques?q=ressourcerie").get_data(as_text=True)  # by a synonym
    assert "<mark>Recyclerie</mark> éphémère" in found


def test_members_cannot_moderate_or_see_others_drafts(client, corpus, active_collectivity, db):
    draft = Practice(ref="X1", title="Brouillon d'un autre", lever="soutien_structures", status="draft")
    db.session.add(draft)
    db.session.commit()
    client.login("helene@montreuil.fr")
    assert client.get(f"/bonnes-pratiques/{draft.id}").status_code == 404
    assert client.get(f"/bonnes-pratiques/{draft.id}/modifier").status_code == 404
    for url in [
        "/coordination/pratiques",
        f"/coordination/pratiques/{draft.id}",
        "/coordination/thesaurus",
        "/coordination/pratiques/import",
    ]:
        assert client.get(url).status_code == 403


def test_api_lists_published_practices_only(client, corpus, db):
    corpus["P02"].status = "archived"
    from clubess.practices.search.index import index_practice

    index_practice(corpus["P02"])
    db.session.commit()
    data = client.get("/api/v1/practices?q=SPASER").json
    assert "P02" not in [r["ref"] for r in data["results"]]
    assert client.get("/api/v1/practices/P02").status_code == 404
    assert client.get("/api/v1/practices/P01").json["title"].startswith("Une ressourcerie")
    by_lever = client.get("/api/v1/practices?lever=soutien_structures").json
    assert by_lever["total"] == 4


VALID = {
    "ref": "N1",
    "title": "Nouvelle pratique",
    "lever": "achats_responsables",
    "summary": "Résumé",
    "themes": ["achats"],
    "year": 2024,
}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "invalid JSON"),
        (json.dumps({"practices": [{**VALID, "title": ""}]}).encode(), "title"),
        (json.dumps({"practices": [{**VALID, "lever": "inconnu"}]}).encode(), "lever"),
        (json.dumps({"practices": [VALID, {**VALID, "title": "Autre"}]}).encode(), "duplicate ref"),
    ],
)
def test_malformed_imports_report_and_change_nothing(app, db, corpus, tmp_path, content, reason):
    path = tmp_path / "import.json"
    path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["practices", "import", str(path)])
    assert result.exit_code != 0
    assert reason in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 10


def test_import_upserts_by_ref_and_skip_invalid(app, db, corpus, tmp_path):
    path = tmp_path / "import.json"
    records = [
        {**VALID},
        {"ref": "P01", "title": "Ressourcerie (mise à jour)", "lever": "soutien_structures"},
        {"ref": "BAD", "title": "x", "lever": "nope"},
    ]
    path.write_text(json.dumps({"practices": records}))
    result = app.test_cli_runner().invoke(args=["practices", "import", str(path), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "created: 1, updated: 1, rejected: 1" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Practice.title).where(Practice.ref == "P01")) == "Ressourcerie (mise à jour)"


def test_csv_export_then_import_round_trips(app, db, corpus, tmp_path):
    exported = app.test_cli_runner().invoke(args=["practices", "export", "--format", "csv"]).output
    assert exported.splitlines()[0].startswith("ref,title,summary")
    path = tmp_path / "export.csv"
    path.write_text(exported)
    result = app.test_cli_runner().invoke(args=["practices", "import", str(path)])
    assert "created: 0, updated: 10, rejected: 0" in result.output
    assert db.session.scalar(sa.select(Practice.themes).where(Practice.ref == "P02")) == [
        "commande publique",
        "clauses sociales",
    ]


def test_back_office_import_shows_the_report(client, coordinator, corpus, db):
    import io

    client.login(coordinator.email)
    get_page(client, "/coordination/pratiques/import")
    bad = json.dumps({"practices": [{**VALID, "lever": "inconnu"}]}).encode()
    response = client.submit(
        "/coordination/pratiques/import",
        {"file": (io.BytesIO(bad), "pratiques.json")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "rien n’a été importé" in html and "Levier inconnu" in html
    good = json.dumps({"practices": [VALID]}).encode()
    response = client.confirm(
        "/coordination/pratiques/import",
        {"file": (io.BytesIO(good), "pratiques.json")},
        expect="1 pratique sera créée.",
    )
    assert "1 créée(s)" in response.get_data(as_text=True)


def test_coordinators_edit_the_thesaurus_and_it_applies_at_once(client, coordinator, corpus, db):
    from clubess.practices.search.engine import search

    assert not search("friperie").practices
    client.login(coordinator.email)
    get_page(client, "/coordination/thesaurus")
    client.submit("/coordination/thesaurus", {"expressions": "friperie, textile"})
    assert [p.ref for p in search("friperie").practices] == ["P09"]


def test_demo_library_covers_every_lever_and_kind_of_territory(app, db):
    app.test_cli_runner().invoke(args=["demo", "load"])
    rows = db.session.execute(
        sa.select(Practice.lever, Practice.territory_kind).where(Practice.status == "published")
    ).all()
    assert len(rows) >= 40
    from clubess.core.vocabulary import LEVERS

    assert {lever for lever, _ in rows} == set(LEVERS)
    assert {kind for _, kind in rows} == {"region", "departement", "metropole", "ept", "epci", "commune"}
    from clubess.practices.search.engine import search

    top3 = [p.title for p in search("recyclerie").practices[:3]]  # the thesaurus is loaded too
    assert any(t.startswith("Une ressourcerie") for t in top3)


def test_edit_form_round_trips_without_changing_anything(client, corpus, active_collectivity, db):
    draft = Practice(
        ref="X2",
        title="Ma pratique",
        lever="soutien_structures",
        status="draft",
        summary="Résumé",
        themes=["réemploi", "textile"],
        links=[{"label": "https://ex.org", "url": "https://ex.org"}],
    )
    db.session.add(draft)
    db.session.commit()
    from clubess.auth.models import User

    draft.author_id = db.session.scalar(sa.select(User.id).where(User.email == "helene@montreuil.fr"))
    db.session.commit()
    client.login("helene@montreuil.fr")
    html = get_page(client, f"/bonnes-pratiques/{draft.id}/modifier").get_data(as_text=True)
    assert 'value="réemploi, textile"' in html and "https://ex.org</textarea>" in html and "[]" not in html
    response = client.submit(
        f"/bonnes-pratiques/{draft.id}/modifier",
        {
            "title": "Ma pratique",
            "lever": "soutien_structures",
            "summary": "Résumé",
            "themes": "réemploi, textile",
            "links": "https://ex.org",
            "action": "save",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Practice, draft.id).themes == ["réemploi", "textile"]
