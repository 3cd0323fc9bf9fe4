"""Search benchmark: latency of the practice search engine over generated corpora, and the memory it holds.

Usage: `.venv/bin/python bench/search.py --sizes 5000,50000` (SQLite in a scratch folder), or with
`--database-url postgresql+psycopg://…` (that database is emptied first). Practices are generated from the
demo corpus' vocabulary; queries are the problem statements of ../shared/data/matching-dev.json when present,
else a fixed list. Memory: "cache MiB" is what a worker keeps between searches (the vocabulary and the facet
data of one index version); "peak KiB" is what one search allocates at its peak on top of it.
"""

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "ressourcerie réemploi",
    "insertion des jeunes",
    "SPASER commande publique",
    "tiers-lieu dans une friche",
    "financement des associations trésorerie",
    "coopérative d'activité et d'emploi",
    "clauses sociales marchés",
    "épicerie solidaire",
    "sensibiliser les collégiens à l'ESS",
    "resourcerie",
    "garantie de prêts",
    "locaux vacants pour associations",
    "énergie citoyenne",
    "restauration scolaire circuits courts",
]


def queries() -> list[str]:
    """The dev set's problem statements (where bench/matching.py finds it) and the short queries above."""
    from matching import DEV

    if DEV.exists():
        return [p["text"] for p in json.loads(DEV.read_text())["problems"]] + QUERIES
    return QUERIES


def generate(db, size: int, seed: int = 7) -> None:
    import sqlalchemy as sa

    from clubess.actors.models import Solution, SolutionTerm
    from clubess.practices.demo.loader import PRACTICES
    from clubess.practices.models import Practice, PracticeTerm, PracticeTheme
    from clubess.practices.search.analysis import analyze
    from clubess.practices.search.index import FIELD_WEIGHTS, REFERENCE_LENGTHS, B

    rng = random.Random(seed)
    sentences = [p[6] for p in PRACTICES]
    titles = [p[5] for p in PRACTICES]
    themes = sorted({t for p in PRACTICES for t in p[7]})
    places = sorted({p[2] for p in PRACTICES})
    # the library's practices only: no solutions left by another bench (bench/matching.py) in the same database
    if db.engine.dialect.name == "postgresql":  # no dead rows left behind by the previous size
        db.session.execute(
            sa.text("TRUNCATE search_postings, practice_themes, practices, solution_postings, solutions CASCADE")
        )
    else:
        db.session.execute(sa.delete(SolutionTerm))
        db.session.execute(sa.delete(Solution))
        db.session.execute(sa.delete(PracticeTerm))
        db.session.execute(sa.delete(PracticeTheme))
        db.session.execute(sa.delete(Practice))
    db.session.commit()
    batch_practices, batch_terms, batch_themes = [], [], []
    for i in range(1, size + 1):
        base = PRACTICES[i % len(PRACTICES)]
        title = f"{rng.choice(titles)} ({rng.choice(places)})"
        summary = " ".join(rng.sample(sentences, 2))
        description = " ".join(rng.sample(sentences, 5))
        chosen = rng.sample(themes, 3)
        fields = {"t": title, "h": " . ".join(chosen), "s": summary, "d": description}
        analysed = {f: analyze(text) for f, text in fields.items()}
        weights: dict[str, float] = defaultdict(float)
        for f, terms in analysed.items():
            norm = 1 - B + B * max(1, len(terms)) / REFERENCE_LENGTHS[f]
            for t, n in Counter(terms).items():
                weights[t] += FIELD_WEIGHTS[f] * n / norm
        batch_practices.append(
            {
                "id": i,
                "ref": f"GEN{i:06d}",
                "title": title,
                "summary": summary,
                "description": description,
                "lever": base[0],
                "themes": chosen,
                "year": 2015 + i % 11,
                "partners": [],
                "links": [],
                "territory_name": rng.choice(places),
                "territory_kind": base[1],
                "department_code": base[3],
                "status": "published",
                "provenance": "club",
                "contact_role": "",
                "review_comment": "",
                "published_at": datetime(2020, 1, 1, tzinfo=UTC),
                "created_at": datetime.now(UTC),
                "updated_at": datetime.now(UTC),
                "len_title": len(analysed["t"]),
                "len_themes": len(analysed["h"]),
                "len_summary": len(analysed["s"]),
                "len_description": len(analysed["d"]),
            }
        )
        batch_themes.extend({"practice_id": i, "theme": t} for t in chosen)
        batch_terms.extend({"practice_id": i, "term": t, "weight": round(w, 6)} for t, w in weights.items())
        if len(batch_practices) == 1000 or i == size:
            db.session.execute(sa.insert(Practice), batch_practices)
            db.session.execute(sa.insert(PracticeTheme), batch_themes)
            db.session.execute(sa.insert(PracticeTerm), batch_terms)
            db.session.commit()
            batch_practices, batch_terms, batch_themes = [], [], []
    from clubess.practices.search.index import bump_version

    bump_version()
    db.session.commit()


def measure(db, texts: list[str], rounds: int) -> dict:
    from clubess.practices.search import corpus, postings
    from clubess.practices.search.engine import search

    corpus._CORPUS.clear()
    postings._POSTINGS.clear()
    tracemalloc.start()
    corpus.corpus()
    cache_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    for text in texts[:3]:
        search(text)  # warm-up
    latencies = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            search(text)
            latencies.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()  # separately: tracing slows Python down several times
    for text in texts:
        search(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cached = sum(a.nbytes + b.nbytes for cache in postings._POSTINGS.values() for a, b in cache.terms.values())
    first = sorted(latencies[: len(texts)])  # the first round: every term read from the database
    latencies.sort()
    return {
        "n": len(latencies),
        "first_p95": first[int(0.95 * (len(first) - 1))],
        "postings": postings.cached_postings(),
        "postings_mib": cached / 2**20,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "peak_kib": peak / 1024,
        "cache_mib": cache_bytes / 2**20,
    }


#: PostgreSQL full-text search as the alternative engine: French stemming after unaccent, the fields weighted
#: A..D as the engine weighs them (title 3, themes 2, summary 1.5, description 1: ts_rank_cd's {D,C,B,A} below)
FTS_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS bench_fr CASCADE",
    "CREATE TEXT SEARCH CONFIGURATION bench_fr (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION bench_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "DROP TABLE IF EXISTS bench_fts",
    "CREATE TABLE bench_fts (id integer PRIMARY KEY, ref varchar(40), document tsvector)",
    """INSERT INTO bench_fts SELECT id, ref,
        setweight(to_tsvector('bench_fr', title), 'A')
        || setweight(to_tsvector('bench_fr',
            array_to_string(ARRAY(SELECT json_array_elements_text(themes::json)), ' . ')), 'B')
        || setweight(to_tsvector('bench_fr', summary), 'C')
        || setweight(to_tsvector('bench_fr', coalesce(description, '')), 'D')
        FROM practices WHERE status = 'published'""",
    "CREATE INDEX ix_bench_fts ON bench_fts USING gin (document)",
    "ANALYZE bench_fts",
]
FTS_QUERY = """SELECT ref, count(*) OVER () FROM bench_fts, to_tsquery('bench_fr', :q) AS q WHERE document @@ q
    ORDER BY ts_rank_cd('{0.33, 0.5, 0.67, 1.0}', document, q) DESC, ref LIMIT 10"""


def fts_query(text: str) -> str:
    """Any word of the text (OR): a problem statement shares only some of its words with its answers."""
    from clubess.practices.search.analysis import STOP_WORDS, words

    kept = [w for w in dict.fromkeys(words(text)) if w not in STOP_WORDS and len(w) > 1]
    return " | ".join(kept) or "''"


def compare_fts(db, texts: list[str], rounds: int) -> None:
    """PostgreSQL full-text search on the same practices and queries: its p50/p95 (top 10 and the total, no
    facets, no thesaurus, no typo correction) and how many of its top 10 the engine's top 10 holds."""
    import sqlalchemy as sa

    from clubess.practices.search.engine import search

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        start = time.perf_counter()
        for statement in FTS_SETUP:
            conn.execute(sa.text(statement))
        built = time.perf_counter() - start
    latencies, overlap = [], []
    for round_ in range(rounds + 1):
        for text in texts:
            start = time.perf_counter()
            refs = [r[0] for r in db.session.execute(sa.text(FTS_QUERY), {"q": fts_query(text)})]
            if round_:  # round 0 warms PostgreSQL's cache, as the engine's warm-up does
                latencies.append((time.perf_counter() - start) * 1000)
            if round_ == 1:
                ours = [p.ref for p in search(text, per_page=10).practices]
                overlap.append(len(set(refs) & set(ours)) / max(1, min(10, len(ours))))
    db.session.rollback()
    latencies.sort()
    print(
        f"  PostgreSQL FTS (french + unaccent, GIN, ts_rank_cd), index built in {built:.1f} s: "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms; "
        f"top-10 shared with the engine's: {100 * statistics.mean(overlap):.0f} % on average "
        f"(min {100 * min(overlap):.0f} %)"
    )


def time_reindex(app, db, size: int) -> None:
    """`flask practices reindex`'s rate over the generated practices (index rows only, MATCH_SEMANTIC off: the
    embeddings cost the same either way), batched as it runs now, and one practice at a time as it ran before."""
    import sqlalchemy as sa

    from clubess.practices.models import Practice
    from clubess.practices.search.index import index_practice
    from clubess.practices.search.rebuild import reindex_practices

    saved = app.config.get("MATCH_SEMANTIC", True)
    app.config["MATCH_SEMANTIC"] = False
    try:
        start = time.perf_counter()
        for _done in reindex_practices():
            db.session.commit()
        batched = time.perf_counter() - start
        start = time.perf_counter()
        for practice in db.session.scalars(sa.select(Practice)):  # before: index_practice per row, one commit
            index_practice(practice)
        db.session.commit()
        per_row = time.perf_counter() - start
    finally:
        app.config["MATCH_SEMANTIC"] = saved
    print(
        f"  reindex of {size} practices (index rows, no embeddings): by batches {batched:.1f} s "
        f"({size / batched:.0f} practices/s); one at a time as before {per_row:.1f} s "
        f"({size / per_row:.0f} practices/s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied first); SQLite if empty")
    parser.add_argument(
        "--compare", action="store_true", help="PostgreSQL only: time its full-text search on the same queries"
    )
    parser.add_argument("--reindex", action="store_true", help="time `flask practices reindex` at each size")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database's practices when it holds exactly this size's"
    )
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="clubess-search-")
    url = args.database_url or f"sqlite:///{scratch.name}/search.db"
    engine_name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"

    from flask_migrate import upgrade

    from clubess import create_app
    from clubess.practices.services import load_default_thesaurus
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        TESTING = False

    app = create_app(Config)
    texts = queries()
    print(f"search bench: {engine_name}, {len(texts)} queries x {args.rounds} rounds, engine in-process")
    print(
        f"{'practices':>10} {'index rows':>11} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} {'cold p95':>9} "
        f"{'cache MiB':>10} {'postings':>9} {'post. MiB':>9} {'peak KiB':>9} {'RSS MiB':>8}"
    )
    with app.app_context():
        from clubess.extensions import db

        upgrade()
        load_default_thesaurus()
        db.session.commit()
        for size in [int(s) for s in args.sizes.split(",") if s]:
            import sqlalchemy as sa

            from clubess.practices.models import Practice, PracticeTerm

            start = time.perf_counter()
            reused = args.reuse and db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) == size
            if not reused:
                generate(db, size)
            built = time.perf_counter() - start

            rows = db.session.scalar(sa.select(sa.func.count()).select_from(PracticeTerm))
            if engine_name == "PostgreSQL":
                # what autovacuum does after a bulk load: statistics and the visibility map (index-only scans)
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("VACUUM ANALYZE"))
            r = measure(db, texts, args.rounds)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{size:>10} {rows:>11} {built:>8.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['first_p95']:>9.1f} "
                f"{r['cache_mib']:>10.1f} {r['postings']:>9} {r['postings_mib']:>9.1f} {r['peak_kib']:>9.0f} "
                f"{rss:>8.0f}"
            )
            if args.reindex:
                time_reindex(app, db, size)
            if args.compare and engine_name == "PostgreSQL":
                compare_fts(db, texts, args.rounds)
        db.engine.dispose()
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
