"""The resource centre: every document of every meeting and the centre's own, by visibility, filtered, searched
with the library's French engine, paginated; the public API; documents linked to practices."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from clubess.practices.models import SearchState
from clubess.resources import services
from clubess.resources.files import Upload
from clubess.resources.models import Document, DocumentTerm
from clubess.resources.search import STATE_ID
from tests.files import PDF, pdf_with_text
from tests.pages import get_page
from tests.resources.conftest import upload


def add(coordinator, meeting, title, kind="etude", visibility="public", lever=None, year=None, text_pdf=None, **more):
    data = services.DocumentData(
        title=title, kind=kind, visibility=visibility, lever=lever, year=year, description=more.pop("description", "")
    )
    if kind == "replay":
        data.url = "https://video.example.org/" + str(abs(hash(title)))
        file = None
    else:
        file = Upload(f"{kind}.pdf", pdf_with_text(*text_pdf) if text_pdf else PDF)
    document = services.save_document(coordinator, meeting, None, data, file)
    return document


@pytest.fixture
def centre(db, coordinator, make_meeting):
    """Two meetings (held 2026, held 2025, and a draft) and the centre's own documents, hand-counted."""
    june = make_meeting(day=(2026, 6, 18), status="held", title="Rencontre de juin 2026")
    march = make_meeting(day=(2025, 3, 20), status="held", title="Rencontre de mars 2025")
    draft = make_meeting(day=(2027, 1, 14), status="draft", title="Rencontre en préparation")
    docs = {
        "slides": add(coordinator, june, "Les ressourceries du territoire", "support", lever="soutien_structures"),
        "study": add(
            coordinator,
            june,
            "Étude sur la commande publique",
            "etude",
            lever="achats_responsables",
            text_pdf=["Les clauses sociales dans les marchés de travaux", "Insertion et chantiers"],
        ),
        "replay": add(coordinator, june, "Replay de la matinée", "replay", visibility="members"),
        "registrants": add(coordinator, june, "Liste des contacts", "autre", visibility="registrants"),
        "march": add(coordinator, march, "Tiers-lieux en Île-de-France", "support", lever="foncier_tiers_lieux"),
        "draft": add(coordinator, draft, "Support en préparation", "support"),
        "guide": add(coordinator, None, "Guide pour un SPASER", "guide", lever="achats_responsables", year=2024),
        "partner": add(coordinator, None, "Étude du réseau RTES", "etude", visibility="members", year=2025),
    }
    db.session.commit()
    return {"june": june, "march": march, **docs}


def titles(html: str, centre) -> set[str]:
    html = unescape(re.sub("</?mark>", "", html))
    return {key for key, d in centre.items() if isinstance(d, Document) and f">{d.title}</a>" in html}


def test_visitors_see_public_documents_members_more_and_registrants_documents_stay_on_their_meeting(
    client, centre, coordinator, active_collectivity
):
    html = get_page(client, "/ressources").get_data(as_text=True)
    assert titles(html, centre) == {"slides", "study", "march", "guide"}
    assert "4 documents" in html
    client.login("karim@montreuil.fr")
    html = get_page(client, "/ressources").get_data(as_text=True)
    assert titles(html, centre) == {"slides", "study", "march", "guide", "replay", "partner"}
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    client.login(coordinator.email)
    html = get_page(client, "/ressources").get_data(as_text=True)
    assert "registrants" not in titles(html, centre) and "draft" not in titles(html, centre)


def test_filters_and_facet_counts_are_right(client, centre, active_collectivity):
    client.login("karim@montreuil.fr")
    html = client.get("/ressources").get_data(as_text=True)
    assert "Support de présentation (2)" in html and "Étude (2)" in html and "Guide (1)" in html
    assert "Replay (1)" in html
    assert "2026 (3)" in html and "2025 (2)" in html and "2024 (1)" in html
    assert "Rencontre de juin 2026 (3)" in html and "Rencontre de mars 2025 (1)" in html
    assert "Achats responsables (2)" in html
    html = client.get("/ressources?type=etude").get_data(as_text=True)
    assert titles(html, centre) == {"study", "partner"}
    # a facet still counts its other values: the kinds are counted under the other filters only
    assert "Support de présentation (2)" in html and "2 documents" in html
    assert "2026 (1)" in html and "2025 (1)" in html
    html = client.get(f"/ressources?rencontre={centre['june'].id}&levier=achats_responsables").get_data(as_text=True)
    assert titles(html, centre) == {"study"}
    html = client.get("/ressources?annee=2025").get_data(as_text=True)
    assert titles(html, centre) == {"march", "partner"}


def test_search_uses_the_librarys_french_engine_and_the_text_of_pdfs(client, db, centre):
    from clubess.practices.services import load_default_thesaurus

    load_default_thesaurus()
    db.session.commit()
    cases = {
        "ressourcerie": {"slides"},  # plural and singular meet
        "commande publique": {"study"},
        "tiers lieux": {"march"},  # accents, hyphens
        "achats responsables": {"guide", "study"},  # the thesaurus: SPASER ~ achats responsables
        "clauses sociales": {"study"},  # found in the PDF's text only
        "ressourcries": {"slides"},  # a typo is corrected
    }
    for query, expected in cases.items():
        html = client.get("/ressources", query_string={"q": query}).get_data(as_text=True)
        assert titles(html, centre) == expected, query
    html = client.get("/ressources", query_string={"q": "ressourcries"}).get_data(as_text=True)
    assert "Mots corrigés" in html


def test_pagination_and_a_bounded_number_of_queries(client, db, coordinator, centre, count_queries, no_page_cache):
    def count(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    count("/ressources")  # the first request of the test warms what every request shares
    few = (count("/ressources"), count("/ressources?q=ressourcerie"))
    for i in range(25):
        add(coordinator, None, f"Fiche repère {i} sur les ressourceries", "guide", year=2023)
    db.session.commit()
    # the same statements whatever the number of documents (a page without meeting documents loads no meeting)
    after = (count("/ressources"), count("/ressources?q=ressourcerie"))
    assert all(a <= b for a, b in zip(after, few, strict=True)) and max(few) <= 9
    html = client.get("/ressources").get_data(as_text=True)
    assert "29 documents" in html and 'rel="next"' in html
    second = client.get("/ressources?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 9


def test_the_api_lists_public_documents_with_the_same_filters(client, centre):
    body = client.get("/api/v1/resources").get_json()
    assert body["total"] == 4 and {d["title"] for d in body["results"]} == {
        "Les ressourceries du territoire",
        "Étude sur la commande publique",
        "Tiers-lieux en Île-de-France",
        "Guide pour un SPASER",
    }
    study = next(d for d in body["results"] if d["kind"] == "etude")
    assert study["meeting"]["title"] == "Rencontre de juin 2026" and study["year"] == 2026
    assert study["file_url"].endswith(f"/ressources/{centre['study'].id}/fichier")
    body = client.get("/api/v1/resources?kind=guide&year=2024").get_json()
    assert [d["title"] for d in body["results"]] == ["Guide pour un SPASER"]
    assert client.get("/api/v1/resources?q=clauses").get_json()["total"] == 1
    refused = client.get("/api/v1/resources?kind=video")
    assert refused.status_code == 400 and "kind" in refused.get_json()["error"]["message"]


def test_coordinators_add_the_centres_own_documents(client, db, coordinator, stored_files):
    client.login(coordinator.email)
    response = upload(client, None, "guide.pdf", PDF, title="Guide SPASER", kind="guide", year="2024")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    refused = upload(client, None, "x.pdf", PDF, title="Pour les inscrits", visibility="registrants")
    assert refused.status_code == 400
    document = db.session.scalar(sa.select(Document))
    assert document.meeting_id is None and document.year == 2024 and document.title == "Guide SPASER"
    html = get_page(client, "/coordination/ressources").get_data(as_text=True)
    assert "Guide SPASER" in html and "Documents propres au centre (1)" in html


def test_a_document_linked_to_practices_shows_on_each_and_lists_them(
    client, db, coordinator, centre, corpus, active_collectivity
):
    from clubess.practices.models import Practice

    p01, p02 = (db.session.scalar(sa.select(Practice).where(Practice.ref == ref)) for ref in ("P01", "P02"))
    client.login(coordinator.email)
    study = centre["study"]
    response = client.submit(
        f"/coordination/ressources/{study.id}",
        {
            "title": study.title,
            "kind": "etude",
            "visibility": "public",
            "lever": "achats_responsables",
            "agenda_item_id": "",
            "practices": f"P02, http://localhost/bonnes-pratiques/{p01.id}",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    unknown = client.submit(
        f"/coordination/ressources/{study.id}",
        {"title": study.title, "kind": "etude", "visibility": "public", "lever": "", "practices": "P99"},
        content_type="multipart/form-data",
    )
    assert "Pratique introuvable (ou archivée) : P99." in unknown.get_data(as_text=True)
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    client.login("karim@montreuil.fr")
    for practice in (p01, p02):
        html = get_page(client, f"/bonnes-pratiques/{practice.id}").get_data(as_text=True)
        assert "Étude sur la commande publique" in html
    html = unescape(get_page(client, f"/ressources/{study.id}").get_data(as_text=True))
    assert p01.title in html and p02.title in html


def test_a_document_added_with_its_practices_links_them_at_once(client, db, coordinator, held_meeting, corpus):
    client.login(coordinator.email)
    response = upload(client, held_meeting.id, "etude.pdf", PDF, title="Étude liée", kind="etude", practices="P01 P02")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    document = db.session.scalar(sa.select(Document))
    assert sorted(p.ref for p in document.practices) == ["P01", "P02"]


def test_the_demo_has_documents_on_its_held_meetings_and_in_the_centre(db, client):
    from clubess.demo import load_demo
    from clubess.meetings.models import AgendaItem, Meeting

    load_demo()
    documents = db.session.scalars(sa.select(Document)).all()
    assert documents and all(d.demo for d in documents)
    held = db.session.scalars(sa.select(Meeting).where(Meeting.status == "held")).all()
    assert held and all(any(d.meeting_id == m.id for d in documents) for m in held)
    assert any(d.meeting_id is None and d.kind == "guide" for d in documents)
    linked = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.practice_id.is_not(None)))
    assert linked is not None and linked.kind == "retour_experience"
    body = client.get("/api/v1/resources").get_json()
    assert body["total"] >= 3 and all(item["fictitious"] for item in body["results"])
    pdf = next(d for d in documents if d.content_type == "application/pdf")
    client.login("coordination@club-ess.example.org", "demo-clubess-2026")
    assert client.get(f"/ressources/{pdf.id}/fichier").data.startswith(b"%PDF-")


def test_a_document_is_found_by_the_new_title_of_its_meeting_and_agenda_item(client, db, coordinator, make_meeting):
    """The centre searches a document by its meeting's and agenda item's titles: renaming them is seen at once."""
    meeting = make_meeting(day=(2026, 6, 18), status="held", items=1, title="Rencontre de juin")
    item = meeting.items[0]
    data = services.DocumentData(title="Support de la séance", kind="support", visibility="public")
    data.agenda_item_id = item.id
    services.save_document(coordinator, meeting, None, data, Upload("support.pdf", PDF))
    db.session.commit()

    def found(query: str) -> bool:
        html = client.get("/ressources", query_string={"q": query}).get_data(as_text=True)
        return ">Support de la séance</a>" in unescape(re.sub("</?mark>", "", html))

    assert found("juin") and not found("réemploi") and not found("recycleries")
    # even without the index's version row (each worker's cache checks it): it is written again
    db.session.execute(sa.delete(SearchState).where(SearchState.id == STATE_ID))
    db.session.commit()
    meeting.title = "Rencontre sur le réemploi"
    item.title = "Les recycleries du territoire"
    db.session.commit()
    assert found("réemploi") and found("recycleries")
    assert not found("juin")
    assert db.session.scalar(sa.select(SearchState.version).where(SearchState.id == STATE_ID))


def test_a_document_is_no_longer_found_by_the_title_of_a_deleted_agenda_item(client, db, coordinator, make_meeting):
    from clubess.meetings import programme

    meeting = make_meeting(day=(2026, 6, 18), status="held", items=2, title="Rencontre de juin")
    item = meeting.items[1]
    item.title = "Les recycleries du territoire"
    data = services.DocumentData(title="Support de la séance", kind="support", visibility="public")
    data.agenda_item_id = item.id
    services.save_document(coordinator, meeting, None, data, Upload("support.pdf", PDF))
    db.session.commit()

    def found(query: str) -> bool:
        html = client.get("/ressources", query_string={"q": query}).get_data(as_text=True)
        return ">Support de la séance</a>" in unescape(re.sub("</?mark>", "", html))

    assert found("recycleries")
    programme.delete_item(coordinator, item)
    db.session.commit()
    assert not found("recycleries")
    assert found("juin")  # still a document of its meeting


def test_flask_resources_reindex_rebuilds_the_centres_index(app, client, db, coordinator, make_meeting):
    """After an upgrade that changes the analysis (or a restore), one command writes the postings again."""
    meeting = make_meeting(day=(2026, 6, 18), status="held", title="Rencontre de juin")
    add(coordinator, meeting, "Étude sur les ressourceries")
    db.session.commit()
    db.session.execute(sa.delete(DocumentTerm))
    db.session.commit()

    def listed() -> bool:
        html = client.get("/ressources", query_string={"q": "ressourceries"}).get_data(as_text=True)
        return ">Étude sur les ressourceries</a>" in unescape(re.sub("</?mark>", "", html))

    assert not listed()
    result = app.test_cli_runner().invoke(args=["resources", "reindex"])
    assert result.exit_code == 0, result.output
    assert "documents indexed: 1" in result.output
    assert listed()
