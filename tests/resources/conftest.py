"""Meetings with documents: uploading as the coordinator does, and the files on disk."""

import io
import shutil
from pathlib import Path

import pytest

from tests.files import PDF, png


def upload(client, meeting_id: int | None, name: str | None = "support.pdf", data: bytes = PDF, **fields):
    """Send the add form of a meeting's documents page (or of the centre, without a meeting)."""
    url = f"/coordination/rencontres/{meeting_id}/documents" if meeting_id else "/coordination/ressources"
    values = {"title": "Support de la rencontre", "kind": "support", "visibility": "public", "lever": "", **fields}
    if name is not None:
        values["file"] = (io.BytesIO(data), name)
    return client.submit(url, values, content_type="multipart/form-data")


@pytest.fixture
def stored_files(app):
    """The files under UPLOAD_FOLDER (relative paths), to check what reaches and leaves the disk."""
    root = Path(app.config["UPLOAD_FOLDER"])
    shutil.rmtree(root, ignore_errors=True)  # what earlier tests left
    root.mkdir(parents=True, exist_ok=True)

    def listing() -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    return listing


@pytest.fixture
def held_meeting(make_meeting, db):
    """A held meeting in June 2026 with two agenda items: an intervention and a « retour d'expérience »."""
    meeting = make_meeting(day=(2026, 6, 18), status="held", items=2, title="Rencontre de juin")
    meeting.items[1].kind = "retour_experience"
    meeting.items[1].title = "La ressourcerie de Montreuil"
    db.session.commit()
    return meeting


__all__ = ["PDF", "png", "upload"]
