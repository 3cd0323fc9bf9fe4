"""One place decides what an uploaded file is (core/uploads.py): its bytes, and inside office containers."""

import pytest

from clubess.core import uploads
from clubess.core.errors import DomainError
from tests.files import PDF, docx, odf, png, xlsx, zip_with


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "etude.pdf", uploads.PDF),
        (PDF, "ETUDE.PDF", uploads.PDF),
        (png(), "photo.png", uploads.PNG),
        (docx(), "compte-rendu.docx", uploads.DOCX),
        (xlsx(), "chiffres.xlsx", uploads.XLSX),
        (odf("text"), "note.odt", uploads.ODT),
        (odf("presentation"), "support.odp", uploads.ODP),
        (odf("spreadsheet"), "tableau.ods", uploads.ODS),
    ],
)
def test_a_file_is_what_its_bytes_say(data, name, expected):
    assert uploads.detect_type(data, name) == expected


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (PDF, "photo.png"),  # a PDF that says it is a picture
        (b"MZ\x90\x00 a program", "support.pdf"),
        (docx(), "support.pptx"),  # a Word document named as slides: the zip says what it is
        (xlsx(), "note.docx"),
        (odf("text"), "support.odp"),
        (zip_with({"payload.exe": b"MZ"}), "support.docx"),  # a plain zip is not a document
        (docx(macros=True), "avec-macros.docx"),  # macros make it a program
        (zip_with({"mimetype": "application/vnd.oasis.opendocument.text", "Basic/Module1.xml": "x"}), "macro.odt"),
        (b"PK\x03\x04 not really a zip", "faux.docx"),
        (b"RIFF\x00\x00\x00\x00WAVE", "son.webp"),
        (b"", "vide.pdf"),
    ],
)
def test_a_file_whose_bytes_do_not_match_its_name_is_refused(data, name):
    assert uploads.detect_type(data, name) is None


def test_a_form_accepts_only_its_own_types():
    assert uploads.detect_type(docx(), "note.docx", accepted={uploads.PDF}) is None
    assert uploads.detect_type(PDF, "note.pdf", accepted={uploads.PDF}) == uploads.PDF


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "C:\\Users\\moi\\support.pdf", "dossier/support.pdf", "..", "a\x00b.pdf"]
)
def test_a_name_holding_a_path_is_refused_not_cut(name):
    with pytest.raises(DomainError) as refused:
        uploads.check_name(name)
    assert "chemin" in refused.value.message or "nom" in refused.value.message


def test_a_name_is_kept_for_display_with_its_accents_and_a_long_one_keeps_its_extension():
    assert uploads.check_name("Étude réemploi (version 2).pdf") == "Étude réemploi (version 2).pdf"
    long = uploads.check_name("a" * 300 + ".pdf")
    assert len(long) == uploads.NAME_LENGTH and long.endswith(".pdf")
