"""The region at full size, served by gunicorn: every page family's requests per second, p50/p95 and its share of
the ceiling (issue 20, item 7).

Usage: `make bench-scale` with BENCH_DATABASE_URL=postgresql+psycopg://… (a database it empties), or
`.venv/bin/python bench/scale.py --database-url … [--practices 50000] [--duration 3] [--markdown]`;
`--sqlite` for a small try in a scratch SQLite file (`--sqlite --practices 500`).

The data, inserted in bulk (no ORM object per row): the territories (`flask territories load`), every commune of
the region a member and the other territories (EPT, EPCI, départements) applying, accepted or refused; ten people
per collectivity (three élus, seven agents; the first is the référent, with an account); eight years of quarters,
each with a rencontre and five workshops (agenda of eight items with speakers, registrations, attendance for those
held), the last one to come; the practices (bench/search.py's generator: demo sentences recombined, index rows
written as the engine writes them), 2,000 problems, 2,000 press contacts and 80 communiqués.
Embeddings: nothing embeds every text. Each distinct sentence of the generated practices (they are recombined demo
sentences and titles: a few thousand) is embedded once and reused for every passage holding it; a practice's
whole-text vector is the mean of its passages' plus a little noise (unit length again). The match API then ranks
as many vectors as a real library of that size would hold.

Then gunicorn (2 workers, 127.0.0.1, production settings, rate limits off) serves it and every page gets a
warm-up then a bounded load of `--concurrency` clients (bench/run.py's client), by a visitor, a member or a
coordinator. The ceiling is `/healthz`; "share" is a page's req/s over the ceiling's.
"""

import argparse
import http.client
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run as harness  # noqa: E402 - bench/run.py: free_port, flask, login, load
import scale_data  # noqa: E402

PASSWORD = scale_data.PASSWORD
MATCH_TEXTS = (
    "Nous cherchons des locaux pour une ressourcerie",
    "Comment financer les associations qui manquent de trésorerie",
)


def pages(ids: dict) -> list[tuple[str, str, str | None]]:
    """(path, family, who) for every page family; who: None (visitor), "member" or "coordinator"."""
    meeting, past, practice = ids["meeting"], ids["past_meeting"], ids["practice"]
    match = urlencode({"text": MATCH_TEXTS[0], "limit": 5})
    return [
        ("/healthz", "ceiling: /healthz", None),
        ("/", "accueil", None),
        ("/rencontres", "agenda (à venir)", None),
        ("/rencontres?periode=passees", "agenda (passées, page 1)", None),
        (f"/rencontres/{meeting}", "page d'une rencontre (à venir)", None),
        (f"/rencontres/{past}", "page d'une rencontre (tenue)", "member"),
        (f"/rencontres/{meeting}.ics", ".ics d'une rencontre", None),
        ("/rencontres.ics", "flux .ics public (fenêtre)", None),
        ("/rencontres.ics?from=2000-01-01", "flux .ics public (8 ans, page 1)", None),
        (f"/agenda/{ids['calendar_token']}.ics", "flux .ics personnel", None),
        ("/api/v1/meetings", "API rencontres", None),
        ("/annuaire", "annuaire (public)", None),
        ("/annuaire", "annuaire (membre)", "member"),
        ("/coordination/adhesions", "adhésions (file)", "coordinator"),
        ("/problematiques", "problématiques (membre)", "member"),
        ("/coordination/problematiques", "problématiques (coordination)", "coordinator"),
        ("/bonnes-pratiques", "bibliothèque (sans requête)", None),
        ("/bonnes-pratiques?q=ressourcerie+r%C3%A9emploi", "bibliothèque : recherche", None),
        ("/bonnes-pratiques?q=insertion+des+jeunes", "bibliothèque : recherche", "member"),  # no page cache
        ("/api/v1/practices?q=insertion+des+jeunes", "API recherche", None),
        (f"/bonnes-pratiques/{practice}", "page d'une pratique", None),
        ("/territoires", "territoires (carte)", None),
        ("/territoires/93", "territoire : un département", None),
        ("/presse", "salle de presse", None),
        ("/presse/atom.xml", "flux Atom de la presse", None),
        (f"/api/v1/practices/match?{match}", "API match (texte répété)", None),
    ]


def serve(env: dict, workers: int = 2) -> tuple[subprocess.Popen, int]:
    port = harness.free_port()
    server = subprocess.Popen(
        [str(harness.BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers), "--no-control-socket"]
        + ["--log-level", "warning", "--timeout", "120", "wsgi:app"],
        cwd=harness.ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            stop(server)
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def warm(port: int, path: str, cookie: str, n: int = 6) -> float:
    """A few sequential requests (each worker's caches filled); returns the first one's time in ms."""
    first = None
    for _ in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start = time.monotonic()
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            raise SystemExit(f"{path}: {response.status}")
        first = first if first is not None else (time.monotonic() - start) * 1000
        conn.close()
    return first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--sqlite", action="store_true", help="a small try in a scratch SQLite file")
    parser.add_argument("--practices", type=int, default=5000)
    parser.add_argument("--problems", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds measured per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pages", default="", help="only pages whose path contains one of these (comma-separated)")
    parser.add_argument("--no-semantic", action="store_true", help="no embeddings (MATCH_SEMANTIC=0)")
    parser.add_argument("--markdown", action="store_true", help="also print the table in Markdown")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="clubess-scale-")
    url = args.database_url
    if url.startswith("sqlite") or (not url and args.sqlite):
        if not args.sqlite:
            raise SystemExit("bench-scale measures PostgreSQL: set BENCH_DATABASE_URL (or --sqlite for a small try)")
        url = url or f"sqlite:///{scratch.name}/scale.db"
    elif not url:
        raise SystemExit("set BENCH_DATABASE_URL=postgresql+psycopg://user:password@127.0.0.1/db (it is emptied)")
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    semantic = not args.no_semantic
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLUBESS_", "RATELIMIT_", "DATABASE_URL"))},
        "CLUBESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url,
        "BASE_URL": "http://127.0.0.1",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MATCH_SEMANTIC": "1" if semantic else "0",
        "PYTHONPATH": str(harness.ROOT),
    }
    if engine == "SQLite":
        env["ALLOW_SQLITE_IN_PRODUCTION"] = "1"

    started = time.monotonic()
    scale_data.empty(url)
    harness.flask(env, "db", "upgrade")
    harness.flask(env, "territories", "load")
    harness.flask(env, "practices", "thesaurus")
    sizes = scale_data.Sizes(args.practices, args.problems, args.contacts, args.years)
    counts, ids = scale_data.build(url, sizes, semantic=semantic, rng=random.Random(20))
    built = time.monotonic() - started
    print(
        f"clubess bench-scale: {engine}, built in {built:.0f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
    )

    server, port = serve(env)
    rows = []
    try:
        cookies = {
            None: "",
            "member": harness.login(port, ids["member_email"], PASSWORD),
            "coordinator": harness.login(port, ids["coordinator_email"], PASSWORD),
        }
        print(
            f"gunicorn 2 workers, {args.concurrency} clients, {args.duration:.0f} s per page, 127.0.0.1 "
            f"(first: the first request after start, ms)"
        )
        print(f"{'page':<36} {'who':<11} {'first':>6} {'req':>6} {'err':>4} {'req/s':>7} {'p50':>7} {'p95':>7} share")
        ceiling = None
        for path, family, who in pages(ids):
            if args.pages and path != "/healthz" and not any(p in path for p in args.pages.split(",")):
                continue
            first = warm(port, path, cookies[who])
            r = harness.load(port, path, cookies[who], args.duration, args.concurrency)
            ceiling = ceiling or r["rps"]
            share = r["rps"] / ceiling * 100
            rows.append((path, family, who or "visitor", first, r, share))
            print(
                f"{family[:36]:<36} {who or 'visitor':<11} {first:>6.0f} {r['requests']:>6} {r['errors']:>4} "
                f"{r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} {share:>5.0f}%"
            )
    finally:
        stop(server)
        scratch.cleanup()
    if args.markdown:
        print()
        print(
            f"| page ({engine}, gunicorn 2 workers, {args.concurrency} clients) | who "
            "| req/s | p50 ms | p95 ms | share of ceiling |"
        )
        print("|---|---|---|---|---|---|")
        for path, family, who, _first, r, share in rows:
            shown = path if len(path) < 40 else path[:37] + "…"
            print(
                f"| {family} (`{shown}`) | {who} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {share:.0f} % |"
            )
    return 1 if any(r["errors"] for *_rest, r, _share in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
