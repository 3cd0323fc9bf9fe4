"""Matching benchmark: quality on two labelled sets, and the latency of the match API over 5,000 practices.

Usage: `.venv/bin/python bench/matching.py` (SQLite in a scratch folder), or with
`--database-url postgresql+psycopg://…` (that database is emptied first).
1. dev set: ../shared/data/matching-dev.json, imported with `flask practices import` (skipped if absent);
2. independent set: bench/data/matching-independent.json, problems written by the team against the demo
   practices, before the matcher was tuned;
each problem goes to POST /api/v1/practices/match (with its territory_kind) and nDCG@5, recall@5 and MRR are
printed, for the whole matcher and for the words alone (MATCH_SEMANTIC off), so the embedding's worth shows.
3. latency: the dev problems against 5,000 generated practices, through the API in-process (Flask's full
   request stack, no network), p50/p95 and the process' memory.
"""

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "data" / "matching-dev.json"
INDEPENDENT = ROOT / "bench" / "data" / "matching-independent.json"


def ndcg(ranking: list[str], relevant: dict[str, int], k: int = 5) -> float:
    dcg = sum((2 ** relevant.get(ref, 0) - 1) / math.log2(i + 2) for i, ref in enumerate(ranking[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate(client, problems: list[dict]) -> dict:
    scores = {"ndcg@5": [], "recall@5": [], "mrr": []}
    misses = []
    for problem in problems:
        query = {"text": problem["text"], "limit": 20}
        if problem.get("territory_kind"):
            query["territory_kind"] = problem["territory_kind"]
        response = client.post("/api/v1/practices/match", json=query)  # a problem may be long: POST takes 5,000
        if response.status_code != 200:
            raise SystemExit(f"{problem['ref']}: {response.status_code} {response.get_data(as_text=True)}")
        ranking = [r["ref"] for r in response.get_json()["results"]]
        relevant = problem["relevant"]
        scores["ndcg@5"].append(ndcg(ranking, relevant))
        scores["recall@5"].append(len(set(ranking[:5]) & set(relevant)) / len(relevant))
        scores["mrr"].append(next((1 / (i + 1) for i, ref in enumerate(ranking) if ref in relevant), 0.0))
        if scores["ndcg@5"][-1] < 0.5:
            misses.append(f"{problem['ref']} -> {ranking[:3]} (expected {sorted(relevant)})")
    return {name: statistics.mean(values) for name, values in scores.items()} | {"misses": misses}


def make_app(url: str, semantic: bool = True):
    from clubess import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        TESTING = False
        RATELIMIT_ENABLED = False
        MATCH_SEMANTIC = semantic

    return create_app(Config)


def empty_database(app) -> None:
    from flask_migrate import upgrade

    from clubess.extensions import db

    with app.app_context():
        import sqlalchemy as sa

        tables = sa.MetaData()
        tables.reflect(db.engine)
        tables.drop_all(db.engine)
        upgrade()
        from clubess.practices.services import load_default_thesaurus

        load_default_thesaurus()
        db.session.commit()


def report(label: str, app, problems: list[dict]) -> None:
    from clubess.practices.search import engine

    for semantic in (True, False):
        app.config["MATCH_SEMANTIC"] = semantic
        engine._CORPUS.clear()
        with app.app_context():
            r = evaluate(app.test_client(), problems)
        name = "words + meaning + signals" if semantic else "words + signals only"
        print(f"{label:<34} {name:<27} {r['ndcg@5']:>7.3f} {r['recall@5']:>9.3f} {r['mrr']:>6.3f}")
        for miss in r["misses"] if semantic else []:
            print(f"    weak: {miss}")
    app.config["MATCH_SEMANTIC"] = True


def quality(url: str) -> None:
    print(f"{'set':<34} {'matcher':<27} {'nDCG@5':>7} {'recall@5':>9} {'MRR':>6}")
    if DEV.exists():
        app = make_app(url)
        empty_database(app)
        env = dict(os.environ, DATABASE_URL=url, CLUBESS_ENV="development")
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "practices", "import", str(DEV)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        problems = json.loads(DEV.read_text())["problems"]
        report(f"dev ({len(problems)} problems, 40 practices)", app, problems)
    else:
        print(f"(dev set skipped: {DEV} not found)")
    app = make_app(url)
    empty_database(app)
    with app.app_context():
        from clubess.extensions import db
        from clubess.practices.demo.loader import load_practices

        load_practices()
        db.session.commit()
    problems = json.loads(INDEPENDENT.read_text())["problems"]
    report(f"independent ({len(problems)} problems, 40)", app, problems)


def latency(url: str, size: int, rounds: int) -> None:
    from bench.search import generate

    app = make_app(url)
    empty_database(app)
    texts = (
        [p["text"] for p in json.loads(DEV.read_text())["problems"]]
        if DEV.exists()
        else [p["text"] for p in json.loads(INDEPENDENT.read_text())["problems"]]
    )
    with app.app_context():
        import sqlalchemy as sa

        from clubess.extensions import db
        from clubess.practices.models import Practice, PracticeVector
        from clubess.practices.search import semantic

        start = time.perf_counter()
        generate(db, size)
        practices = db.session.execute(sa.select(Practice.id, Practice.title, Practice.summary, Practice.themes)).all()
        for i in range(0, len(practices), 256):
            batch = practices[i : i + 256]
            matrix = semantic.embed([semantic.document_text(p[1], p[2], p[3]) for p in batch])
            db.session.execute(
                sa.insert(PracticeVector),
                [
                    {"practice_id": p[0], "model": semantic.MODEL_NAME, "vector": semantic.to_bytes(v)}
                    for p, v in zip(batch, matrix, strict=True)
                ],
            )
        from bench.actors import generate_solutions
        from clubess.practices.search.index import bump_version

        solutions = generate_solutions(db, size)  # the ESS actors' solutions share the index and the matcher
        bump_version()
        db.session.commit()
        built = time.perf_counter() - start
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
    client = app.test_client()
    for text in texts[:3]:
        client.get(f"/api/v1/practices/match?{urlencode({'text': text})}")  # warm-up: caches, model
    latencies = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            response = client.get(f"/api/v1/practices/match?{urlencode({'text': text, 'limit': 5})}")
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"match API: {response.status_code}")
    latencies.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"match API over {size} practices + {solutions} solutions: {len(latencies)} requests, "
        f"p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms, process RSS {rss:.0f} MiB "
        f"(built in {built:.0f} s with the embeddings)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied first); SQLite if empty")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="clubess-matching-")
    url = args.database_url or f"sqlite:///{scratch.name}/matching.db"
    print(f"matching bench: {'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}")
    quality(url)
    if not args.skip_latency:
        latency(url, args.size, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
