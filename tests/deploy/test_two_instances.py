"""Several machines, on 127.0.0.1: two app instances (gunicorn, two workers each) and two outbox workers against
one PostgreSQL database and one Redis, with the settings README « Deploying » names, seen through HTTP and the
mail they send: a login limit counts the failures made on either instance, a change made through one instance is
on the other's next page (its page cache and its feed follow the data version), a communiqué to 1,000 press
contacts reaches each of them exactly once though both workers deliver it, and of two schedulers started
together one runs the jobs while the other says who holds the lock."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import ROOT
from tests.conftest import CSRF_RE
from tests.deploy.conftest import REDIS_SERVER, RedisServer
from tests.deploy.test_production_boot import WRONG, Gunicorn
from tests.factories import DEFAULT_PASSWORD
from tests.fixtures_meetings import meeting_form

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="several processes on one database need PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://…",
    ),
    pytest.mark.skipif(
        not REDIS_SERVER.exists(), reason="the instances share their rate limits through Redis: install redis-server"
    ),
]

#: RATELIMIT_LOGIN_ACCOUNT of the instances: failed logins per account (an hour: no window ends during the test)
ACCOUNT_LIMIT = 4
CONTACTS = 1000
FLASK = Path(sys.executable).with_name("flask")


class Instance(Gunicorn):
    """One app instance: gunicorn with two workers, its access log naming the worker that answered."""

    def answers_from_each_worker(self, path: str, headers: dict | None = None) -> list[str]:
        """GET `path` two at a time until both workers have answered it; every page received, in order."""
        seen_before = len(self.access_log.read_text().splitlines())
        pages = []
        with ThreadPoolExecutor(max_workers=2) as pool:
            for _ in range(40):
                for status, _headers, html in pool.map(lambda _: self.request("GET", path, headers=headers), (1, 2)):
                    assert status == 200, html[:500]
                    pages.append(html)
                lines = self.access_log.read_text().splitlines()[seen_before:]
                if len({line.split()[0] for line in lines if line.endswith(f" GET {path}")}) == 2:
                    return pages
        raise AssertionError(f"one worker of {self.port} answered every request for {path}")


class OutboxWorker:
    """`flask outbox worker`, as clubess-worker@N.service runs it; its log says what each pass sent."""

    def __init__(self, env: dict, workdir: Path, number: int):
        self.name = f"clubess-test-worker-{number}"
        self.env = {**env, "PGAPPNAME": self.name}  # names its connections in pg_stat_activity
        self.log = workdir / f"{self.name}.log"
        self.process = None

    def start(self) -> None:
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(FLASK), "--app", "wsgi", "outbox", "worker", "--interval", "0.3"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def sent(self) -> int:
        """Mails this worker delivered, from its « outbox pass » log lines."""
        return sum(int(n) for n in re.findall(r"outbox pass: \{'sent': (\d+)", self.log.read_text()))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Cluster:
    def __init__(self, a: Instance, b: Instance, workers: list[OutboxWorker], env: dict):
        self.a, self.b, self.workers, self.env = a, b, workers, env

    def schedule_run(self) -> subprocess.Popen:
        """`flask schedule run`, as clubess-scheduler.service runs it on any machine."""
        return subprocess.Popen(
            [str(FLASK), "--app", "wsgi", "schedule", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _env(app, redis_url: str, smtp_port: int, workdir: Path) -> dict:
    """/etc/clubess/env for every process (deploy/clubess.env.example), with this machine's addresses."""
    inherited = ("CLUBESS_", "RATELIMIT_", "TEST_DATABASE", "MAIL_", "SCHEDULE", "PG", "PROMETHEUS")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(inherited)},
        "CLUBESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),  # the same on every machine
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],  # the migrated test database
        "BASE_URL": "https://club-ess.example.org",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_LOGIN_ACCOUNT": f"{ACCOUNT_LIMIT} per hour",
        "RATELIMIT_LOGIN_IP": "1000 per hour",  # every client here is 127.0.0.1: the account limit is under test
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_BULK_PER_MINUTE": "0",  # no throttle: the 1,000 mails go in seconds
        "UPLOAD_FOLDER": str(workdir / "uploads"),  # the shared folder
        "LOG_FORMAT": "json",
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1, no TLS proxy in front
        "MATCH_SEMANTIC": "0",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture(scope="module")
def cluster(app, smtp_server, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("cluster")
    redis = RedisServer(workdir)
    try:
        redis.start()
    except RuntimeError as exc:
        pytest.skip(f"Redis unreachable: {exc}")
    env = _env(app, redis.url, smtp_server.port, workdir)
    instances = []
    for name in ("a", "b"):
        (workdir / name / "metrics").mkdir(parents=True)
        instances.append(Instance({**env, "PROMETHEUS_MULTIPROC_DIR": str(workdir / name / "metrics")}, workdir / name))
    workers = [OutboxWorker(env, workdir, n) for n in (1, 2)]
    try:
        for worker in workers:
            worker.start()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(Instance.start, instances))
        _wait_for_workers(app, workers)
        yield Cluster(*instances, workers, env)
    finally:
        for process in (*instances, *workers):
            try:
                process.stop()
            except subprocess.TimeoutExpired:
                process.process.kill()
        redis.stop()


def _wait_for_workers(app, workers: list[OutboxWorker]) -> None:
    """Both workers polling the outbox (each holds a connection named after it once its first pass ran)."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    names = {worker.name for worker in workers}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                found = set(
                    conn.scalars(
                        sa.text("SELECT application_name FROM pg_stat_activity WHERE application_name = ANY(:names)"),
                        {"names": sorted(names)},
                    )
                )
            if found == names:
                return
            for worker in workers:
                if worker.process.poll() is not None:
                    raise RuntimeError(f"{worker.name} exited: {worker.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"the outbox workers did not start within 60 s: {names - found}")
    finally:
        engine.dispose()


class Browser:
    """A browser on one instance: it keeps its cookies and sends each form with the page's CSRF token."""

    def __init__(self, server: Gunicorn):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, text = self.server.request(method, path, body=body, headers=headers)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    if morsel.value:
                        self.cookies[key] = morsel.value
                    else:
                        self.cookies.pop(key, None)
        return status, dict(response_headers), text

    def submit(self, path: str, form: dict):
        """Post `form` to `path` as its page's form does."""
        _status, _headers, html = self.request("GET", path)
        token = CSRF_RE.search(html)
        assert token, html[:2000]
        return self.request("POST", path, {**form, "csrf_token": token.group(1)})

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> None:
        status, _headers, html = self.submit("/connexion", {"email": email, "password": password})
        assert status == 302, html[:2000]


def test_a_login_limit_counts_the_failures_made_on_either_instance(cluster, make_user):
    make_user(email="helene@montreuil.fr")
    make_user(email="sofia@saint-ouen.fr")
    on_a, on_b = Browser(cluster.a), Browser(cluster.b)
    for n in range(ACCOUNT_LIMIT):  # A, B, A, B: each instance alone has seen half of them
        status, _headers, html = (on_a, on_b)[n % 2].submit(
            "/connexion", {"email": "helene@montreuil.fr", "password": f"pas le bon {n}"}
        )
        assert status == 200 and WRONG in html, (n, status, html[:500])
    assert on_a.submit("/connexion", {"email": "helene@montreuil.fr", "password": "encore faux"})[0] == 429
    # held on the other instance too, even with the right password
    assert on_b.submit("/connexion", {"email": "helene@montreuil.fr", "password": DEFAULT_PASSWORD})[0] == 429
    # another account of the same address (127.0.0.1) is not held
    on_b.login("sofia@saint-ouen.fr")


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next(value for key, value in headers if key.lower() == name.lower())


def _away_from_the_minute_end() -> None:
    """Pages are kept per minute of the clock: start early enough in a minute to read the same entry again."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def test_a_change_made_through_one_instance_is_on_the_others_next_page(cluster, coordinator, make_meeting, db):
    meeting = make_meeting(title="Rencontre de printemps", audience="public")
    _away_from_the_minute_end()
    assert all("Rencontre de printemps" in page for page in cluster.b.answers_from_each_worker("/rencontres"))
    status, headers, feed = cluster.b.request("GET", "/rencontres.ics")
    assert status == 200 and "SUMMARY:Rencontre de printemps" in feed
    etag = _header(headers, "ETag")

    # Guard: a write behind the app's back (no new data version) does not show: B serves its kept pages.
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE meetings SET title = 'Titre écrit en douce' WHERE id = :id"), {"id": meeting.id})
    kept = cluster.b.answers_from_each_worker("/rencontres")
    assert all("Rencontre de printemps" in page and "en douce" not in page for page in kept)
    assert cluster.b.request("GET", "/rencontres.ics", headers={"If-None-Match": etag})[0] == 304

    coordinator_on_a = Browser(cluster.a)
    coordinator_on_a.login(coordinator.email)
    form = meeting_form(meeting, title="Rencontre des tiers-lieux", audience="public")
    status, _headers, html = coordinator_on_a.submit(f"/coordination/rencontres/{meeting.id}", form)
    assert status == 302, html[:2000]

    pages = cluster.b.answers_from_each_worker("/rencontres")
    assert all("Rencontre des tiers-lieux" in page and "Rencontre de printemps" not in page for page in pages)
    status, _headers, page = Browser(cluster.b).request("GET", f"/rencontres/{meeting.id}")
    assert status == 200 and "Rencontre des tiers-lieux" in page
    status, headers, feed = cluster.b.request("GET", "/rencontres.ics", headers={"If-None-Match": etag})
    assert status == 200 and "SUMMARY:Rencontre des tiers-lieux" in feed
    assert _header(headers, "ETag") != etag
    assert cluster.b.request("GET", "/rencontres.ics", headers={"If-None-Match": _header(headers, "ETag")})[0] == 304


def test_a_communique_to_1000_contacts_reaches_each_once_though_two_workers_deliver_it(
    cluster, coordinator, make_communique, smtp, db
):
    from clubess.mailing.models import MessageStatus, OutboxMessage
    from clubess.press.models import PressContact

    addresses = [f"journaliste{i:04d}@redaction{i % 37}.example.org" for i in range(CONTACTS)]
    db.session.execute(
        sa.insert(PressContact), [{"email": a, "name": f"Journaliste {i}"} for i, a in enumerate(addresses)]
    )
    db.session.commit()
    communique = make_communique()
    sent_before = [worker.sent() for worker in cluster.workers]

    coordinator_on_a = Browser(cluster.a)
    coordinator_on_a.login(coordinator.email)
    url = f"/coordination/presse/communiques/{communique.id}/envoyer"
    status, _headers, page = coordinator_on_a.submit(url, {"action": "preview"})
    assert status == 200 and f'id="recipient-count">{CONTACTS} destinataires' in page, page[:3000]
    status, _headers, page = coordinator_on_a.submit(url, {"action": "send", "expected": str(CONTACTS)})
    assert status == 302, page[:3000]

    pending = sa.select(sa.func.count()).where(
        OutboxMessage.status.in_([MessageStatus.QUEUED.value, MessageStatus.SENDING.value])
    )
    deadline = time.monotonic() + 120  # ~10 s on a quiet machine
    while db.session.scalar(pending) and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.2)
    assert db.session.scalar(pending) == 0, "the workers did not deliver 1,000 mails within 120 s"
    time.sleep(0.3)  # a mail sent twice would arrive with its twin

    received = Counter(m["To"] for m in smtp.messages if "@redaction" in m["To"])
    assert len(received) == CONTACTS and set(received) == set(addresses)
    assert [address for address, n in received.items() if n > 1] == []
    by_worker = [worker.sent() - before for worker, before in zip(cluster.workers, sent_before, strict=True)]
    assert sum(by_worker) == CONTACTS and min(by_worker) > 0, by_worker  # both delivered a share


def test_of_two_schedulers_started_together_one_runs_the_jobs_and_the_other_says_who_holds_the_lock(
    cluster, db, meeting_tomorrow
):
    from clubess.mailing.models import OutboxMessage
    from clubess.ops.models import SchedulerJob

    db.session.add(SchedulerJob(name="remind"))
    db.session.commit()
    with db.engine.connect() as blocker:
        # The scheduler that takes the lock sends the reminders, then waits here to record the run: it holds
        # the lock for as long as the test wants, whichever of the two started first.
        blocker.execute(sa.text("SELECT name FROM scheduler_jobs WHERE name = 'remind' FOR UPDATE"))
        started = [cluster.schedule_run(), cluster.schedule_run()]
        deadline = time.monotonic() + 60
        while all(p.poll() is None for p in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        finished = [p for p in started if p.poll() is not None]
        blocker.rollback()
    assert len(finished) == 1, "one scheduler should have exited at once, the other waited"
    [skipper] = finished
    [holder] = [p for p in started if p is not skipper]
    skipped = skipper.stdout.read()
    held, _ = holder.communicate(timeout=60)

    assert skipper.returncode == 0, skipped
    assert re.match(rf"skipped: the scheduler lock is held by [^:\s]+:{holder.pid}:[0-9a-f]+ until ", skipped), skipped
    assert not re.search(r"^(remind|retention|digest):", skipped, re.M), skipped
    assert holder.returncode == 0, held
    assert "remind: flask meetings remind" in held and "2 rappel(s)" in held, held
    db.session.rollback()
    reminders = db.session.scalars(sa.select(OutboxMessage.recipient).where(OutboxMessage.subject.like("Rappel%")))
    assert sorted(reminders) == ["helene@montreuil.fr", "sofia@saint-ouen.fr"]
    assert db.session.get(SchedulerJob, "remind").last_run_at is not None
    assert (
        "lock: free"
        in subprocess.run(
            [str(FLASK), "--app", "wsgi", "schedule", "status"],
            cwd=ROOT,
            env=cluster.env,
            capture_output=True,
            text=True,
        ).stdout
    )
