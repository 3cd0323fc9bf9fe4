"""Benchmark harness: gunicorn (2 workers) on demo data, a bounded load on 127.0.0.1, latency per page.

Usage: `make bench` (or `.venv/bin/python bench/run.py --duration 3 --concurrency 8`).
SQLite in a scratch folder by default; PostgreSQL when DATABASE_URL is set (its data is kept as is,
so point it at a scratch database). Each page gets a warm-up, then a fixed duration AND a maximum
request count: the load always stops by itself. Later issues add rows to PAGES.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
COORDINATOR = ("coordination@club-ess.example.org", "demo-clubess-2026")
MEMBER = ("elu@montreuil.example.org", "demo-clubess-2026")

#: (path, label, who): who is None (visitor), "member" or "coordinator"
PAGES = [
    ("/healthz", "ceiling: trivial Flask page", None),
    ("/", "accueil", None),
    ("/le-club", "le club", None),
    ("/connexion", "connexion (form)", None),
    ("/accessibilite", "accessibilité", None),
    ("/annuaire", "annuaire (public)", None),
    ("/api/v1/territories?q=saint", "API territoires", None),
    ("/adherer?q=montreuil", "adhérer (recherche sans JS)", None),
    ("/rencontres", "rencontres (agenda public)", None),
    ("/rencontres/1", "page d'une rencontre", None),
    ("/rencontres.ics", "flux .ics public", None),
    ("/api/v1/meetings", "API rencontres", None),
    ("/territoires", "territoires (index, carte)", None),
    ("/territoires/93", "territoire : un département", None),
    ("/territoires/200057875", "territoire : un EPT", None),
    ("/api/v1/territories/93", "API territoire", None),
    ("/annuaire", "annuaire (membre)", "member"),
    ("/espace/collectivite", "ma collectivité", "member"),
    ("/territoires/93048", "territoire : une commune (membre)", "member"),
    ("/coordination/adhesions", "file des adhésions", "coordinator"),
]
MAX_REQUESTS_PER_PAGE = 20000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env, *args):
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"flask {' '.join(args)} failed")


def login(port: int, email: str, password: str) -> str:
    """Log in like a browser (CSRF token from the form); returns the Cookie header to reuse."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/connexion")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    body = urlencode({"email": email, "password": password, "csrf_token": token})
    conn.request(
        "POST", "/connexion", body=body, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login as {email} failed: {response.status}")
    return response.getheader("Set-Cookie", cookie).split(";")[0]


def load(port: int, path: str, cookie: str, duration: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + 0.5 + duration
    measure_from = time.monotonic() + 0.5
    headers = {"Cookie": cookie} if cookie else {}

    def worker():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) >= MAX_REQUESTS_PER_PAGE:
                    return
            start = time.monotonic()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            elapsed = time.monotonic() - start
            if start >= measure_from:
                with lock:
                    latencies.append(elapsed)
                    errors += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 30)
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / duration,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3.0, help="seconds measured per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pages", default="", help="only pages whose path contains this text")
    parser.add_argument("--json", action="store_true", help="also write bench/results/<timestamp>.json")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="clubess-bench-")
    env = {
        **os.environ,
        "CLUBESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "BASE_URL": "http://127.0.0.1",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    }
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.db"
        env["ALLOW_SQLITE_IN_PRODUCTION"] = "1"
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgresql") else "SQLite"
    flask(env, "db", "upgrade")
    flask(env, "territories", "load")
    # demo data is refused in production: load it with the development config on the same database
    flask({**env, "CLUBESS_ENV": "development"}, "demo", "load", "--if-empty")

    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--no-control-socket",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    results = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        cookies = {None: "", "member": login(port, *MEMBER), "coordinator": login(port, *COORDINATOR)}
        print(
            f"clubess bench: {engine}, gunicorn 2 workers, {args.concurrency} clients, "
            f"{args.duration:.0f} s per page, on 127.0.0.1"
        )
        print(f"{'page':<40} {'who':<12} {'req':>6} {'err':>4} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for path, label, who in PAGES:
            if args.pages and args.pages not in path:
                continue
            r = load(port, path, cookies[who], args.duration, args.concurrency)
            results.append({"path": path, "label": label, "who": who or "visitor", **r})
            print(
                f"{label[:40]:<40} {who or 'visitor':<12} {r['requests']:>6} {r['errors']:>4} {r['rps']:>7.0f} "
                f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        scratch.cleanup()
    if args.json:
        out = ROOT / "bench" / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"engine": engine, "results": results}, indent=2))
        print(f"written {out}")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
