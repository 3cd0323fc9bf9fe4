"""The production tests' shared parts: a real Redis (Debian's redis-server on a free port of 127.0.0.1, no persistence)
and a meeting whose reminders are due."""

import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import free_port

REDIS_SERVER = Path("/usr/bin/redis-server")


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.workdir), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path):
    """A running redis-server (Debian package `redis-server`, installed by .ci/run), stopped at teardown."""
    if not REDIS_SERVER.exists():
        pytest.fail("These tests need Debian's Redis: apt-get install redis-server")  # never skipped in CI
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def meeting_tomorrow(db, people, open_meeting, coordinator):
    """A public meeting starting in 20 hours, Hélène and Sofia registered ten days ago: two « demain » reminders
    due (the scheduler's tests, on one instance or two)."""
    from clubess.core.db import now_utc
    from clubess.meetings import registrations

    meeting = open_meeting()
    meeting.starts_at = now_utc() + timedelta(hours=20)
    meeting.ends_at = meeting.starts_at + timedelta(hours=3)
    db.session.commit()
    coord = db.session.get(type(coordinator), coordinator.id)
    for person in ("helene", "sofia"):
        registration = registrations.register_member(coord, meeting, people[person])
        registration.created_at = now_utc() - timedelta(days=10)
    db.session.commit()
    return meeting
