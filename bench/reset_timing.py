"""Password-reset timing: does the form answer in the same time whether or not the address has an account?

Usage: `.venv/bin/python bench/reset_timing.py [--requests 400] [--database-url postgresql+psycopg://…]`
(SQLite in a scratch folder by default; a given database is emptied first). Posts the *mot de passe oublié*
form through the app (in-process, CSRF on, rate limits off) for an existing account, an unknown address and
a disabled account, interleaved at random, and prints each path's time distribution and how well one
could tell them apart: the probability that a request for an existing account is slower than one for an
unknown address (0.5: indistinguishable; 2.3 ms vs 4.4 ms before this bench existed gave ~1.0).
Then lets the worker run once to show that only the existing account gets a mail.
"""

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbench import LocalSmtp, engine_name, fresh_app  # noqa: E402

URL = "/connexion/mot-de-passe-oublie"
PASSWORD = "une phrase de passe assez longue"  # noqa: S105 - a scratch database
PATHS = {
    "account": "helene@montreuil.example.org",
    "unknown": "personne@montreuil.example.org",
    "disabled": "ancien@montreuil.example.org",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def slower_probability(a: list[float], b: list[float]) -> float:
    """P(a random `a` is slower than a random `b`), ties count half (the Mann-Whitney AUC)."""
    ordered = sorted((v, 0) for v in a) + sorted((v, 1) for v in b)
    ordered.sort()
    rank_sum, rank = 0.0, 0
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j][0] == ordered[i][0]:
            j += 1
        average = (rank + 1 + rank + (j - i)) / 2
        rank_sum += average * sum(1 for _v, group in ordered[i:j] if group == 0)
        rank += j - i
        i = j
    return (rank_sum - len(a) * (len(a) + 1) / 2) / (len(a) * len(b))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400, help="requests per path")
    parser.add_argument("--database-url")
    args = parser.parse_args()

    smtp = LocalSmtp()
    smtp.start()
    app = fresh_app(args.database_url, smtp)
    from clubess.auth.services import create_user
    from clubess.extensions import db
    from clubess.mailing.worker import send_pending

    with app.app_context():
        create_user(PATHS["account"], password=PASSWORD)
        create_user(PATHS["disabled"], password=PASSWORD).is_enabled = False
        db.session.commit()

    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(URL).get_data(as_text=True)).group(1)
    order = [name for name in PATHS for _ in range(args.requests)]
    random.Random(15).shuffle(order)
    for name in list(PATHS) * 20:  # warm-up: imports, caches, the database's plans
        client.post(URL, data={"email": PATHS[name], "csrf_token": token})
    timings: dict[str, list[float]] = {name: [] for name in PATHS}
    for name in order:
        start = time.perf_counter()
        response = client.post(URL, data={"email": PATHS[name], "csrf_token": token})
        timings[name].append((time.perf_counter() - start) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"unexpected answer {response.status_code}")

    print(f"Password-reset request, {engine_name(app)}, {args.requests} requests per path (ms)")
    print(f"  {'path':<9} {'p10':>6} {'p50':>6} {'p90':>6} {'p99':>6} {'mean':>6} {'stdev':>6}")
    for name, values in timings.items():
        cells = [percentile(values, p) for p in (10, 50, 90, 99)] + [statistics.mean(values), statistics.stdev(values)]
        print(f"  {name:<9} " + " ".join(f"{v:6.2f}" for v in cells))
    for other in ("unknown", "disabled"):
        p = slower_probability(timings["account"], timings[other])
        print(f"  P(account slower than {other}) = {p:.3f}  (0.5: indistinguishable)")

    with app.app_context():
        while any(send_pending(limit=200).values()):
            pass
    print(f"  worker: {smtp.total} mails to {sorted(smtp.received)} (only the existing account)")
    smtp.stop()


if __name__ == "__main__":
    main()
