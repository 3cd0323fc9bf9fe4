"""Import and export of ESS actors and their solutions (JSON and CSV, a `kind` column)."""

import io
import json

import sqlalchemy as sa

from clubess.actors import transfer
from clubess.actors.models import Organisation, Solution
from tests.pages import get_page

CSV = (
    "kind,ref,name,organisation_kind,siret,website,contact_email,organisation,title,summary,lever,themes,territories\n"
    "organisation,,Régie des Lilas,siae,73282932000074,https://regie.example.org,contact@regie.example.org,,,,,,93\n"
    "solution,SOLX1,,,,,,Régie des Lilas,Nettoyer les cages d’escalier,Des habitants en insertion.,soutien_structures,"
    "insertion;propreté,93048\n"
    "solution,SOLX2,,,,,,Inconnue SA,Titre,Résumé,soutien_structures,,\n"
    "organisation,,Sans Siret Valide,association,12345678901234,,,,,,,,\n"
    "solution,SOLX3,,,,,,Régie des Lilas,,Résumé,levier_inconnu,,\n"
    "plante,,,,,,,,,,,,\n"
    "organisation,,Territoire Perdu,association,,,,,,,,,Atlantide\n"
)


def test_every_wrong_line_is_reported_and_nothing_is_written(db, territories):
    report = transfer.import_records(transfer.parse(CSV.encode(), "csv"))
    reasons = dict(report.rejected)
    assert not report.applied and len(report.rejected) == 5, report.rejected
    assert "organisation: not in the file nor in the directory" in reasons["line 4 (SOLX2)"]
    assert "siret" in reasons["line 5 (Sans Siret Valide)"]
    assert "title" in reasons["line 6 (SOLX3)"] and "lever" in reasons["line 6 (SOLX3)"]
    assert "kind: expected organisation or solution" in reasons["line 7"]
    assert "unknown code(s) Atlantide" in reasons["line 8"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_valid_lines_go_in_with_skip_invalid_and_the_solution_is_matched(db, territories):
    from clubess.practices import matching

    report = transfer.import_records(transfer.parse(CSV.encode(), "csv"), skip_invalid=True)
    db.session.commit()
    assert report.applied and report.created == 2
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.name == "Régie des Lilas" and [t.code for t in organisation.territories] == ["93"]
    solution = db.session.scalar(sa.select(Solution))
    assert solution.status == "published" and solution.themes == ["insertion", "propreté"]
    assert [m.kind for m in matching.match("nettoyer les cages d'escalier", limit=1)] == ["solution"]
    again = transfer.import_records(transfer.parse(CSV.encode(), "csv"), skip_invalid=True)
    assert again.created == 0 and again.updated == 2


def test_export_reads_back_the_same(db, actors):
    exported = transfer.to_json(transfer.listed_organisations())
    records = json.loads(exported)["actors"]
    assert [r["kind"] for r in records] == ["organisation", "solution"]  # the listed one and its published solution
    assert records[0]["contact_email"] == "ines@recyclerie.example.org"
    csv_text = transfer.to_csv(transfer.listed_organisations())
    report = transfer.import_records(transfer.parse(csv_text.encode(), "csv"))
    assert report.applied and report.updated == 2 and not report.rejected


def test_bad_files_are_refused_with_a_reason(db):
    for content, fmt in ((b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "json"), (b"\xff\xfe\x00", "json"), (b"a,b\n1,2", "csv")):
        try:
            transfer.parse(content, fmt)
        except ValueError:
            continue
        raise AssertionError(content)
    report = transfer.import_records([{"kind": "solution", "ref": ["x"]}, 3, {"kind": "organisation", "name": 5}])
    assert not report.applied and len(report.rejected) == 3


def test_coordinators_check_then_confirm_an_import_and_export(client, db, territories, coordinator):
    client.login(coordinator.email)
    get_page(client, "/coordination/acteurs/import")
    checked = client.submit(
        "/coordination/acteurs/import",
        {"file": (io.BytesIO(CSV.encode()), "acteurs.csv"), "skip_invalid": "y"},
        content_type="multipart/form-data",
    )
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "2 fiches seront créées" in html and "5 enregistrements refusés" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0
    from tests.pages import confirmation_form

    action, fields = confirmation_form(html)
    from werkzeug.datastructures import MultiDict

    done = client.post(action, data=MultiDict(fields))
    assert done.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    exported = client.get("/coordination/acteurs/export.csv")
    assert exported.status_code == 200 and "Régie des Lilas" in exported.get_data(as_text=True)
    assert client.get("/coordination/acteurs/export.xml").status_code == 404
