"""`/territoires/<code>/diagnostic.pdf`: the territory's page on two printed pages, as the viewer may read it."""

import io

import pytest
from pypdf import PdfReader

from clubess.commitments import services as commitments
from clubess.extensions import db
from clubess.territories.models import IndicatorValue


def pdf_text(response) -> tuple[int, str]:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def with_commitment(territory_data, coordinator, territories):
    import sqlalchemy as sa

    from clubess.members.models import Collectivity, Member

    montreuil = db.session.scalar(sa.select(Collectivity).where(Collectivity.territory_id == territories["93048"].id))
    responsible = db.session.scalar(sa.select(Member.id).where(Member.email == "helene@montreuil.fr"))
    data = commitments.CommitmentData(
        title="Adopter un SPASER en conseil",
        lever="achats_responsables",
        success="Voté.",
        responsible_id=responsible,
        target=(2027, 2),
        meeting_id=None,
        note="",
    )
    commitments.record_commitment(coordinator, montreuil, data)
    db.session.add_all(
        [
            IndicatorValue(
                territory=territories["93048"], indicator="emplois_ess", year=2022, value=4000, source="Obs."
            ),
            IndicatorValue(
                territory=territories["93048"], indicator="emplois_ess", year=2023, value=4512, source="Obs."
            ),
            IndicatorValue(territory=territories["93"], indicator="emplois_ess", year=2023, value=60000, source="Obs."),
        ]
    )
    db.session.commit()


def test_a_visitor_gets_two_pages_of_public_figures_and_no_commitment(client, with_commitment):
    pages, text = pdf_text(client.get("/territoires/93048/diagnostic.pdf"))
    assert pages == 2
    assert "Montreuil" in text and "111 934 habitants" in text
    assert "Emplois salariés de l'ESS" in text and "4 512" in text and "+12,8 % depuis 2022" in text
    assert "Seine-Saint-Denis : 60 000" in text  # compared with its département
    assert "1 collectivité membre ; 1 élu ou élue ; 1 agent ou agente" in text
    assert "Ressourcerie municipale" in text and "Brouillon secret" not in text  # published practices only
    assert "Forum public de Montreuil" in text and "Brouillon de rencontre" not in text
    assert "Adopter un SPASER" not in text and "Karim" not in text


def test_a_member_counts_the_commitments_a_coordinator_lists_them(client, with_commitment, coordinator):
    client.login("helene@montreuil.fr")
    _pages, text = pdf_text(client.get("/territoires/93048/diagnostic.pdf"))
    assert "Adopter un SPASER" not in text and "1 engagement" in text
    client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    client.login(coordinator.email)
    _pages, text = pdf_text(client.get("/territoires/93048/diagnostic.pdf"))
    assert "Adopter un SPASER en conseil" in text


def test_the_page_links_its_sheet_and_an_unknown_code_is_a_404(client, territory_data):
    page = client.get("/territoires/200057875").get_data(as_text=True)
    assert 'href="/territoires/200057875/diagnostic.pdf"' in page
    assert client.get("/territoires/99999/diagnostic.pdf").status_code == 404
    pages, text = pdf_text(client.get("/territoires/11/diagnostic.pdf"))
    assert pages == 2 and "Île-de-France" in text


def test_the_sheet_runs_the_same_number_of_queries_whatever_the_data(
    client, territory_data, count_queries, make_meeting
):
    with count_queries() as before:
        client.get("/territoires/93/diagnostic.pdf")
    for n in range(3):
        make_meeting(title=f"Encore {n}", day=(2027, 5, 10 + n))
    with count_queries() as after:
        client.get("/territoires/93/diagnostic.pdf")
    assert after.count == before.count <= 30
