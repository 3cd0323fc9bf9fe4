"""Press contacts and communiqués for the tests, and small real files to attach."""

import struct
import zlib
from datetime import timedelta

import pytest

from clubess.core.db import now_utc

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def make_contact(db):
    from clubess.press.models import PressContact

    def make(email: str, **fields):
        fields.setdefault("name", email.split("@")[0].title())
        fields.setdefault("outlet", "Le Parisien")
        contact = PressContact(email=email, **fields)
        db.session.add(contact)
        db.session.commit()
        return contact

    return make


@pytest.fixture
def make_communique(db, coordinator):
    from clubess.press import communiques

    def make(title: str = "Le club accueille 20 nouvelles communes", embargo_hours: float | None = None, **fields):
        data = communiques.CommuniqueData(
            title=title,
            standfirst=fields.pop("standfirst", "Vingt communes rejoignent le club."),
            body=fields.pop("body", "Le club réunit désormais **120 collectivités**.\n\n- Montreuil\n- Saint-Ouen"),
            contact_block=fields.pop("contact_block", "Service presse  \npresse@club-ess.example.org"),
            embargo_until=now_utc() + timedelta(hours=embargo_hours) if embargo_hours else None,
        )
        communique = communiques.save_communique(coordinator, None, data)
        db.session.commit()
        return communique

    return make


def attach(client, communique_id: int, name: str, data: bytes):
    """Upload a file on the communiqué's page, as the coordinator does."""
    import io

    return client.submit(
        f"/coordination/presse/communiques/{communique_id}/pieces-jointes",
        {"file": (io.BytesIO(data), name)},
        form_url=f"/coordination/presse/communiques/{communique_id}",
        content_type="multipart/form-data",
    )


def send_all(client, communique_id: int, **segment) -> int:
    """Preview then confirm the send, as the coordinator does; returns the count the page showed."""
    import re

    url = f"/coordination/presse/communiques/{communique_id}/envoyer"
    data = {"action": "preview", **segment}
    page = client.submit(url, data).get_data(as_text=True)
    match = re.search(r'id="recipient-count">(\d+) destinataire', page)
    assert match, page[:3000]
    count = int(match.group(1))
    response = client.submit(url, {**data, "action": "send", "expected": str(count)})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return count
