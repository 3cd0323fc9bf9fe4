"""The diagnostic sheet's layout: two pages whatever the territory holds, everything given is written."""

import io
from datetime import date

from pypdf import PdfReader

from clubess.territories.diagnostic_pdf import LIST_LIMITS, Diagnostic, Figure, Line, render


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _sheet(n: int, long: str = "") -> Diagnostic:
    return Diagnostic(
        name="Est Ensemble",
        kind_label="Établissement public territorial",
        code="200057875",
        population="447 969 habitants",
        parents=["Île-de-France (région)", "Seine-Saint-Denis (département)"],
        url="http://127.0.0.1/territoires/200057875",
        generated_on=date(2026, 12, 1),
        figures=[
            Figure(f"Indicateur {i} {long}", f"{1000 + i}", 2023, f"Source {i} {long}", f"+{i} % depuis 2022 {long}")
            for i in range(n)
        ],
        chart_title="Emplois par famille",
        bars=[(f"Famille {i} {long}", 100.0 * (i + 1)) for i in range(n)],
        members_summary="4 collectivités membres ; 12 élus, 9 agents",
        members=[Line(f"Commune {i} {long}", "commune") for i in range(n)],
        members_total=n + 40,
        practices=[Line(f"Pratique {i} {long}", "Achats responsables") for i in range(n)],
        practices_total=n,
        commitments=[Line(f"Engagement {i} {long}", "tenu") for i in range(n)],
        commitments_total=n,
        meetings=[Line(f"Rencontre {i} {long}", "12/03/2026") for i in range(n)],
        meetings_total=n,
        participation="3 collectivités sont venues à au moins une rencontre en 2026.",
    )


def test_a_full_territory_fits_on_two_pages_and_says_what_is_left_out(app):
    with app.test_request_context():
        pages, text = _text(render(_sheet(60, long="avec un intitulé assez long pour passer à la ligne " * 2)))
    assert pages == 2
    assert f"Commune {LIST_LIMITS['members'] - 1} " in text and f"Commune {LIST_LIMITS['members']} " not in text
    assert f"et {60 + 40 - LIST_LIMITS['members']} autres" in text
    assert "page 2 / 2" in text


def test_an_empty_territory_says_so(app):
    with app.test_request_context():
        sheet = _sheet(0)
        sheet.members_total = 0
        pages, text = _text(render(sheet))
    assert pages == 2
    assert "Aucun indicateur n'a encore été importé pour ce territoire." in text
    assert "Aucune collectivité membre sur ce territoire pour l'instant." in text
    assert "Est Ensemble" in text and "447 969 habitants" in text


def test_demo_figures_are_labelled(app):
    with app.test_request_context():
        sheet = _sheet(3)
        sheet.figures_demo = sheet.demo = True
        _pages, text = _text(render(sheet))
    assert "Données fictives de démonstration." in text
    assert "Exemple fictif (données de démonstration)" in text
