"""Uploaded files in an S3-compatible bucket (UPLOAD_S3_BUCKET): what every instance of a deployment reads.

The bucket is served on 127.0.0.1 by moto's S3 server (an implementation of the S3 API: no provider is reachable
from the test machine); the app talks to it through boto3 over HTTP, as it would to a provider.
"""

import socket
import time

import boto3
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from clubess.core import staging, storage
from clubess.practices.models import Practice
from clubess.resources.models import Document
from tests.pages import confirmation_form
from tests.practices.test_import_check import VALID, _upload
from tests.resources.conftest import PDF, upload

BUCKET = "clubess-uploads"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(app, s3_server, monkeypatch):
    """The app keeps its uploads in a fresh bucket; the bucket's object names, listed."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3")
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    for item in client.list_objects_v2(Bucket=BUCKET, Prefix="club/").get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    settings = {
        "UPLOAD_S3_BUCKET": BUCKET,
        "UPLOAD_S3_ENDPOINT_URL": s3_server,
        "UPLOAD_S3_REGION": "eu-west-3",
        "UPLOAD_S3_PREFIX": "club",
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    storage._storages.clear()  # the clients read the keys when they are made
    yield lambda: {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    storage._storages.clear()


def test_a_document_is_kept_in_the_bucket_served_from_it_and_removed_from_it(
    client, coordinator, held_meeting, db, bucket, stored_files
):
    client.login(coordinator.email)
    response = upload(client, held_meeting.id, "support.pdf", PDF, title="Le support")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    document = db.session.scalars(sa.select(Document)).one()
    assert bucket() == {f"club/{document.stored_name}"}
    assert stored_files() == set()  # nothing on this instance's disk

    file = client.get(f"/ressources/{document.id}/fichier")
    assert file.status_code == 200 and file.data == PDF and file.mimetype == "application/pdf"
    assert (
        client.get(f"/ressources/{document.id}/fichier", headers={"If-None-Match": file.headers["ETag"]}).status_code
        == 304
    )

    client.confirm(f"/coordination/ressources/{document.id}/supprimer")
    assert db.session.scalars(sa.select(Document)).all() == [] and bucket() == set()


def test_a_file_gone_from_the_bucket_is_a_clear_page_not_an_error(client, coordinator, held_meeting, db, bucket):
    client.login(coordinator.email)
    upload(client, held_meeting.id, "support.pdf", PDF)
    document = db.session.scalars(sa.select(Document)).one()
    storage.storage().delete(document.stored_name)
    response = client.get(f"/ressources/{document.id}/fichier")
    assert response.status_code == 404
    assert "introuvable sur le serveur" in response.get_data(as_text=True)


def test_an_import_checked_then_confirmed_keeps_its_file_in_the_bucket_meanwhile(client, coordinator, db, bucket):
    client.login(coordinator.email)
    action, fields = confirmation_form(_upload(client, [VALID]).get_data(as_text=True))
    token = dict(fields)["jeton"]
    assert bucket() == {f"club/imports/{token}.data", f"club/imports/{token}.json"}
    assert "1 créée(s)" in client.post(action, data=MultiDict(fields)).get_data(as_text=True)
    assert db.session.scalar(sa.select(Practice.ref)) == "N1"
    assert bucket() == set()  # deleted once imported


def test_an_expired_import_is_swept_from_the_bucket(client, coordinator, db, bucket, monkeypatch):
    client.login(coordinator.email)
    action, fields = confirmation_form(_upload(client, [VALID]).get_data(as_text=True))
    monkeypatch.setattr(staging, "LIFETIME", -1)
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 400 and "plus disponible" in response.get_data(as_text=True)
    assert bucket() == set() and db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


@pytest.mark.parametrize("name", ["../x.pdf", "/etc/passwd", "a//b.pdf", "a/./b.pdf", "a\\b.pdf", ""])
def test_a_name_that_would_leave_the_storage_is_refused(name):
    with pytest.raises(ValueError):
        storage.key(name)
