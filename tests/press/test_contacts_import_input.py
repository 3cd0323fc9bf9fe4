"""The press contacts import takes any file without a 500: unreadable lines, encodings, controls and lengths
are reported line by line, with the file's own line numbers."""

import io

import sqlalchemy as sa

from clubess.press.models import PressContact
from tests.pages import press_confirmation


def _import(client, content: bytes, name: str = "contacts.csv"):
    """Upload, then confirm on the check page (when the file can be imported)."""
    response = client.submit(
        "/coordination/presse/contacts/import",
        {"file": (io.BytesIO(content), name), "legal_basis": "interet_legitime"},
        content_type="multipart/form-data",
    )
    return press_confirmation(client, response)


def _names(db) -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(PressContact.email, PressContact.name)).all())


def test_a_line_the_reader_cannot_read_is_reported_with_its_number(client, coordinator, db):
    client.login(coordinator.email)
    content = (
        "nom;email\n"
        "Alice;alice@example.org\n"
        "\n"
        '"Bob\nsur deux lignes";bob@example.org\n'
        "Trop;" + "x" * 140_000 + "@example.org\n"  # a cell of 137 KiB: over the CSV reader's limit
        "Chloé;chloe@example.org\n"
    ).encode()
    response = _import(client, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 contacts créés" in page and "1 ligne refusée" in page
    assert "<td>6</td><td>—</td><td>ligne illisible" in page  # the file's line 6, blank and wrapped lines counted
    assert set(_names(db)) == {"alice@example.org", "bob@example.org", "chloe@example.org"}
    assert _names(db)["bob@example.org"] == "Bob sur deux lignes"


def test_a_file_in_no_known_encoding_is_refused_with_a_reason(client, coordinator, db):
    client.login(coordinator.email)
    response = _import(client, b"nom;email\n\x81\x8d\x90;a@example.org\n")  # neither UTF-8 nor Windows-1252
    assert response.status_code == 200
    assert "UTF-8 ou en Windows-1252" in response.get_data(as_text=True)
    assert _names(db) == {}


def test_control_characters_are_taken_out_of_every_cell(client, coordinator, db):
    client.login(coordinator.email)
    response = _import(client, "nom;média;email\nAl\x00ice\x1b;Le\tMonde\x85;alice@example.org\n".encode())
    assert "1 contact créé" in response.get_data(as_text=True)
    contact = db.session.scalar(sa.select(PressContact))
    assert (contact.name, contact.outlet) == ("Alice", "Le Monde")


def test_values_longer_than_their_columns_are_refused_not_cut(client, coordinator, db):
    client.login(coordinator.email)
    content = (
        "nom;email;thématiques\n"
        + "N" * 201
        + ";long@example.org;\n"
        + "Court;themes@example.org;"
        + ", ".join(f"thématique numéro {n}" for n in range(40))
        + "\nBon;bon@example.org;ess\n"
    ).encode()
    page = _import(client, content).get_data(as_text=True)
    assert "1 contact créé" in page and "2 lignes refusées" in page
    assert "<td>2</td>" in page and "200 caractères au plus" in page
    assert "<td>3</td><td>themes@example.org</td><td>Les thématiques comptent ensemble 500 caractères au plus" in page
    assert set(_names(db)) == {"bon@example.org"}
