"""The match API's latency over generated practices and solutions (bench/matching.py --latency-only).

Building the data embeds every practice, passage and solution (minutes at 5,000 + 5,000), so `--keep` keeps the
database between runs: a SQLite file under bench/results/ named after the size and the model (or the
PostgreSQL database given), reused when it holds what this size and model need, built otherwise.
`--profile` adds a cProfile of the warm matches, for finding where the time goes.
"""

import cProfile
import io
import json
import pstats
import resource
import statistics
import time
import zlib
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
#: texts the warm-up matches (caches, the model), never measured
WARM_UP = ("une ressourcerie pour les objets", "des locaux pour les associations", "clauses sociales")


def kept_url(size: int, model: str) -> str:
    """The SQLite file a kept latency database lives in, one per size and model."""
    RESULTS.mkdir(exist_ok=True)
    return f"sqlite:///{RESULTS / f'matching-{size}-{model}.db'}"


def reusable(size: int) -> bool:
    """Does the database hold this size's data for the current model, at the current schema (in the app)?"""
    import sqlalchemy as sa
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    from clubess.actors.models import Solution, SolutionVector
    from clubess.extensions import db
    from clubess.practices.models import Practice, PracticePassage, PracticeVector
    from clubess.practices.search import semantic

    try:
        current = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False
    config = Migrate(directory=str(ROOT / "migrations")).get_config()
    if current != ScriptDirectory.from_config(config).get_current_head():
        return False
    model = semantic.model_name()
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(Practice)),
        db.session.scalar(sa.select(sa.func.count()).where(PracticeVector.model == model)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Solution)),
        db.session.scalar(sa.select(sa.func.count()).where(SolutionVector.model == model)),
    ]
    passages = db.session.scalar(
        sa.select(sa.func.count()).where(PracticePassage.model == model + semantic.SENTENCE_MARK)
    )
    return counts == [size] * 4 and passages > 0


#: past this size the practices' and solutions' texts are not embedded one by one (~17 min per 10,000 texts):
#: each takes the vector of one of POOL really embedded texts, perturbed (`synthetic_vectors`)
EMBED_ALL_UP_TO = 10_000
POOL = 400


@contextmanager
def synthetic_vectors(enabled: bool):
    """Within: semantic.embed embeds a text seen in the first POOL distinct texts for real, and gives any other
    text the vector of one of them (chosen by the text's hash) plus Gaussian noise (sd 0.02), renormalised. The
    match's latency depends on how many vectors there are, not on what they say; the nDCG figures are measured
    on real embeddings only (the labelled sets)."""
    from clubess.practices.search import semantic

    if not enabled:
        yield
        return
    real, pool, rng = semantic.embed, {}, np.random.default_rng(5)

    def embed(texts, query=False):
        if query:
            return real(texts, query=True)
        fresh = [t for t in dict.fromkeys(texts) if t not in pool][: max(0, POOL - len(pool))]
        if fresh:
            pool.update(zip(fresh, real(fresh), strict=True))
        keys = list(pool)
        out = []
        for text in texts:
            if text in pool:
                out.append(pool[text])
                continue
            vector = pool[keys[zlib.crc32(text.encode()) % len(keys)]] + rng.normal(0, 0.02, len(pool[keys[0]]))
            out.append(vector / np.linalg.norm(vector))
        return np.asarray(out, dtype=np.float32)

    semantic.embed = embed
    try:
        yield
    finally:
        semantic.embed = real


def build(db, size: int) -> tuple[int, float]:
    """Generate `size` practices (with their passages and vectors) and `size` solutions; (passages, seconds)."""
    with synthetic_vectors(size > EMBED_ALL_UP_TO):
        return _build(db, size)


def _build(db, size: int) -> tuple[int, float]:
    import sqlalchemy as sa

    from bench.actors import generate_solutions
    from bench.search import generate
    from clubess.practices.models import Practice, PracticePassage, PracticeVector
    from clubess.practices.search import passages, semantic
    from clubess.practices.search.index import bump_version

    start = time.perf_counter()
    generate(db, size)
    practices = db.session.execute(
        sa.select(Practice.id, Practice.title, Practice.summary, Practice.themes, Practice.description)
    ).all()
    # the passages, as index_practice writes them; the generator reuses the demo's sentences, so each
    # distinct sentence is embedded once
    split = {p[0]: passages.split(p[1], p[2], p[4]) for p in practices}
    distinct = sorted({s for sentences in split.values() for s in sentences})
    vector_of = dict(zip(distinct, semantic.embed_sentences(distinct), strict=True))
    rows = [
        {
            "practice_id": pid,
            "model": semantic.sentence_model_name(),
            "position": i,
            "vector": semantic.to_bytes(vector_of[s]),
        }
        for pid, sentences in split.items()
        for i, s in enumerate(sentences)
    ]
    for i in range(0, len(rows), 5000):
        db.session.execute(sa.insert(PracticePassage), rows[i : i + 5000])
    for i in range(0, len(practices), 256):
        batch = practices[i : i + 256]
        matrix = semantic.embed([semantic.document_text(p[1], p[2], p[3]) for p in batch])
        db.session.execute(
            sa.insert(PracticeVector),
            [
                {"practice_id": p[0], "model": semantic.model_name(), "vector": semantic.to_bytes(v)}
                for p, v in zip(batch, matrix, strict=True)
            ],
        )
    generate_solutions(db, size)  # the ESS actors' solutions share the index and the matcher
    bump_version()
    db.session.commit()
    return len(rows), time.perf_counter() - start


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def measure(app, texts: list[str], rounds: int, profile: bool = False) -> tuple[list[float], list[float], str]:
    """(first matches of each text, warm matches, the warm matches' profile or "") through the API in-process."""
    client = app.test_client()
    for text in WARM_UP:
        client.get(f"/api/v1/practices/match?{urlencode({'text': text})}")
    first, warm = [], []
    profiler = cProfile.Profile() if profile else None
    for round_ in range(rounds + 1):  # round 0: each text is new (its vector computed); then cached
        if round_ == 1 and profiler:
            profiler.enable()
        for text in texts:
            started = time.perf_counter()
            response = client.get(f"/api/v1/practices/match?{urlencode({'text': text, 'limit': 5})}")
            (first if round_ == 0 else warm).append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"match API: {response.status_code}")
    if not profiler:
        return first, warm, ""
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    return first, warm, out.getvalue()


def latency(
    make_app, empty_database, url: str, size: int, rounds: int, texts: list[str], keep: bool, profile: bool
) -> None:
    """Print the match API's p50/p95, warm and for a new text, over `size` practices + `size` solutions."""
    import sqlalchemy as sa

    from clubess.extensions import db
    from clubess.practices.models import PracticePassage
    from clubess.practices.search import semantic

    app = make_app(url)
    with app.app_context():
        reused = keep and reusable(size)
    if not reused:
        empty_database(app)
    with app.app_context():
        built = "reused" if reused else f"built in {build(db, size)[1]:.0f} s with the embeddings"
        if size > EMBED_ALL_UP_TO and not reused:
            built += f" (beyond {POOL} texts: perturbed copies of real vectors)"
        passages = db.session.scalar(sa.select(sa.func.count()).select_from(PracticePassage))
        model = semantic.model_name()
        if db.engine.dialect.name == "postgresql" and not reused:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
    first, warm, profiled = measure(app, texts, rounds, profile)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profiled:
        print(profiled)
    print(
        f"match API over {size} practices + {size} solutions and {passages} passages ({model}): warm "
        f"{len(warm)} requests p50 {statistics.median(warm):.1f} ms, p95 {p95(warm):.1f} ms; first match of a "
        f"new text ({len(first)}) p50 {statistics.median(first):.1f} ms, p95 {p95(first):.1f} ms, max "
        f"{max(first):.1f} ms; process RSS {rss:.0f} MiB (data {built})"
    )


def problem_texts(dev: Path, independent: Path) -> list[str]:
    """The texts measured: the dev set's problems (the first independent set's without it)."""
    source = dev if dev.exists() else independent
    return [p["text"] for p in json.loads(source.read_text())["problems"]]
