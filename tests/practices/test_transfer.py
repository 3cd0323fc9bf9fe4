"""The practice importer reports every bad record (line, reason) and never crashes; the CSV export is formula-safe
and goes round through the import unchanged."""

import csv
import io
import json

import pytest
import sqlalchemy as sa

from clubess.practices.models import Practice
from clubess.practices.transfer import COLUMNS

VALID = {"ref": "N1", "title": "Nouvelle pratique", "lever": "achats_responsables", "summary": "Résumé"}
HEADER = ",".join(COLUMNS)


def _import(app, tmp_path, content: bytes, suffix: str, *args):
    path = tmp_path / f"import.{suffix}"
    path.write_bytes(content)
    return app.test_cli_runner().invoke(args=["practices", "import", str(path), *args])


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Practice))


@pytest.mark.parametrize(
    ("records", "reason"),
    [
        ([{**VALID, "title": {"fr": "Titre"}}], "title: expected a text"),
        ([{**VALID, "themes": "réemploi"}], "themes: expected a list of texts"),
        ([{**VALID, "themes": [1, 2]}], "themes: expected a list of texts"),
        ([{**VALID, "year": 2024.5}], "year: expected a whole number"),
        ([{**VALID, "year": "²"}], "year: expected a whole number"),
        ([{**VALID, "year": True}], "year: expected a whole number"),
        ([{**VALID, "ref": ["N1"]}], "missing or too long ref"),
        ([{**VALID, "territory_name": "T" * 201}], "territory_name"),
        ([{**VALID, "department_code": "9300"}], "department_code"),
        ([{**VALID, "contact_role": "C" * 201}], "contact_role"),
        ([{**VALID, "summary": "S" * 2001}], "summary"),
        ([{**VALID, "themes": ["t" * 101]}], "themes"),
        ([42], "not an object"),
    ],
)
def test_malformed_json_records_are_reported_never_a_crash(app, db, tmp_path, records, reason):
    result = _import(app, tmp_path, json.dumps({"practices": records}).encode(), "json")
    assert result.exit_code == 1, result.output  # a refusal, not a traceback
    assert reason in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("content", "suffix", "reason"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "json", "nested more than 20 levels"),
        (b'{"practices": ' + b"[" * 30 + b"]" * 30 + b"}", "json", "nested more than 20 levels"),
        ("é".encode("latin-1") + b'{"practices": []}', "json", "not UTF-8"),
        (
            HEADER.encode() + b"\nN1,\x81\x8d\x90,,,,,,achats_responsables,,,,\n",
            "csv",
            "neither UTF-8 nor Windows-1252",
        ),
        (b"titre;r\xe9f\n", "csv", "CSV header must include"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(app, db, tmp_path, content, suffix, reason):
    result = _import(app, tmp_path, content, suffix)
    assert result.exit_code == 1
    assert reason in result.output
    assert _count(db) == 0


def test_a_csv_line_over_the_reader_limit_is_reported_with_its_number(app, db, tmp_path):
    lines = [
        HEADER,
        "N1,Première,Résumé,,,,,achats_responsables,,2024,,",
        "N2,Deuxième," + "x" * 140_000 + ",,,,,achats_responsables,,,,",  # a cell of 137 KiB
        "",
        "N3,Troisième\x00 avec un nul,Résumé,,,,,achats_responsables,,,,",
    ]
    result = _import(app, tmp_path, "\n".join(lines).encode(), "csv", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "rejected line 3: field larger than field limit" in result.output
    assert "created: 2, updated: 0, rejected: 1" in result.output
    assert db.session.scalar(sa.select(Practice.title).where(Practice.ref == "N3")) == "Troisième avec un nul"


def test_the_back_office_import_never_gives_a_500(client, coordinator, db):
    client.login(coordinator.email)
    for content, name in [
        (b"[" * 50_000, "p.json"),
        (b"\xff\xfe\x00", "p.json"),
        (json.dumps({"practices": [{**VALID, "themes": 5}]}).encode(), "p.json"),
        (HEADER.encode() + b"\nN1," + b"x" * 140_000 + b",,,,,,,,,,\n", "p.csv"),
    ]:
        response = client.submit(
            "/coordination/pratiques/import",
            {"file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200
    assert _count(db) == 0


FORMULAS = {
    "title": '=HYPERLINK("https://exemple.org/piege","Cliquez ici")',
    "summary": "+33 1 23 45 67 89 : appelez la mairie",
    "contact_role": "@chargée de mission",
    "territory_name": "'=déjà une apostrophe",
    "description": "-10 % de déchets\n=SOMME(A1:A9)",
}


def test_csv_export_neutralises_formulas_and_the_import_restores_them(app, client, coordinator, db, tmp_path):
    db.session.add(
        Practice(
            ref="F1",
            lever="achats_responsables",
            status="published",
            themes=["=1+1", "réemploi"],
            partners=["-Partenaire"],
            **FORMULAS,
        )
    )
    db.session.commit()
    exported = app.test_cli_runner().invoke(args=["practices", "export", "--format", "csv"]).output
    client.login(coordinator.email)
    from_the_web = client.get("/coordination/pratiques/export.csv").get_data(as_text=True)
    for text in (exported, from_the_web):
        row = next(r for r in csv.DictReader(io.StringIO(text)) if r["ref"] == "F1")
        for cell in row.values():
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert row["title"] == "'" + FORMULAS["title"]
        assert row["territory_name"] == "''=déjà une apostrophe"
    result = _import(app, tmp_path, exported.encode(), "csv")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    practice = db.session.scalar(sa.select(Practice).where(Practice.ref == "F1"))
    assert {key: getattr(practice, key) for key in FORMULAS} == FORMULAS
    assert practice.themes == ["=1+1", "réemploi"] and practice.partners == ["-Partenaire"]
