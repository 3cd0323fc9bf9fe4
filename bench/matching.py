"""Matching benchmark: quality on two labelled sets, and the latency of the match API over 5,000 practices.

Usage: `.venv/bin/python bench/matching.py` (SQLite in a scratch folder), or with
`--database-url postgresql+psycopg://…` (that database is emptied first).
1. dev set: ../shared/data/matching-dev.json, imported with `flask practices import` (skipped if absent);
2. independent sets: bench/data/matching-independent.json and -2.json, problems written by the team against
   the demo practices, before the matcher was tuned; then the "answered" decision, fitted on dev + the
   calibration set (bench/data/matching-calibration.json), with its precision/recall on every set;
each problem goes to POST /api/v1/practices/match (with its territory_kind) and nDCG@5, recall@5 and MRR are
printed, for the whole matcher and for the words alone (MATCH_SEMANTIC off), so the embedding's worth shows.
3. latency: the dev problems against 5,000 generated practices and 5,000 solutions, through the API in-process
   (Flask's full request stack, no network), p50/p95 and the process' memory (bench/matching_latency.py):
   `--latency-only --keep` keeps the generated data between runs, `--size 500` for a quick look, `--profile`
   prints where a warm match spends its time.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: the dev set sits in shared/ beside the checkout (/work/main -> /work/shared; a worktree one level deeper)
DEV = (
    next(
        (
            p
            for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared")
            if (p / "data" / "matching-dev.json").exists()
        ),
        ROOT.parent / "shared",
    )
    / "data"
    / "matching-dev.json"
)
INDEPENDENT = ROOT / "bench" / "data" / "matching-independent.json"
INDEPENDENT_2 = ROOT / "bench" / "data" / "matching-independent-2.json"
#: problems nothing in the demo answers beside answered ones: fits the "answered" decision, never scored
CALIBRATION = ROOT / "bench" / "data" / "matching-calibration.json"


def practice_texts() -> dict[str, str]:
    """ref -> everything the index reads of a practice (title, summary, themes, description), in the app context."""
    import sqlalchemy as sa

    from clubess.extensions import db
    from clubess.practices.models import Practice

    rows = db.session.execute(
        sa.select(Practice.ref, Practice.title, Practice.summary, Practice.themes, Practice.description)
    ).all()
    return {r[0]: " ".join([r[1] or "", r[2] or "", " ".join(r[3] or []), r[4] or ""]) for r in rows}


def shared_words(text: str, refs, texts: dict[str, str]) -> set[str]:
    """The content words (stems, stop words out) a problem shares with any of its relevant practices."""
    from clubess.practices.search.analysis import analyze

    answers = set()
    for ref in refs:
        answers |= set(analyze(texts.get(ref, "")))
    return set(analyze(text)) & answers


def mark_hard(problems: list[dict], texts: dict[str, str], label: str) -> list[str]:
    """Check the problems marked `hard` share no content word with their answers (the violations, printed);
    a set without marks gets its hard third computed: the third of its problems sharing the fewest words."""
    violations = []
    answerable = [p for p in problems if p["relevant"]]
    marked = [p for p in answerable if p.get("hard")]
    for p in marked:
        shared = shared_words(p["text"], p["relevant"], texts)
        if shared:
            violations.append(f"{label} {p['ref']} is marked hard but shares {sorted(shared)}")
    if not marked:
        overlap = sorted(answerable, key=lambda p: (len(shared_words(p["text"], p["relevant"], texts)), p["ref"]))
        for p in overlap[: round(len(answerable) / 3)]:
            p["hard"] = True
    for line in violations:
        print(f"    VIOLATION: {line}")
    return violations


def ndcg(ranking: list[str], relevant: dict[str, int], k: int = 5) -> float:
    dcg = sum((2 ** relevant.get(ref, 0) - 1) / math.log2(i + 2) for i, ref in enumerate(ranking[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def run_set(client, problems: list[dict]) -> dict[str, list[dict]]:
    """problem ref -> the match API's results (20 at most), each problem POSTed with its territory kind."""
    out = {}
    for problem in problems:
        query = {"text": problem["text"], "limit": 20}
        if problem.get("territory_kind"):
            query["territory_kind"] = problem["territory_kind"]
        response = client.post("/api/v1/practices/match", json=query)  # a problem may be long: POST takes 5,000
        if response.status_code != 200:
            raise SystemExit(f"{problem['ref']}: {response.status_code} {response.get_data(as_text=True)}")
        out[problem["ref"]] = response.get_json()["results"]
    return out


def metrics(results: dict[str, list[dict]], problems: list[dict]) -> dict:
    """Mean nDCG@5, recall@5 and MRR over the problems that have answers; the weak ones listed."""
    scores = {"ndcg@5": [], "recall@5": [], "mrr": []}
    misses = []
    for problem in problems:
        relevant = problem["relevant"]
        if not relevant:
            continue
        ranking = [r["ref"] for r in results[problem["ref"]]]
        scores["ndcg@5"].append(ndcg(ranking, relevant))
        scores["recall@5"].append(len(set(ranking[:5]) & set(relevant)) / len(relevant))
        scores["mrr"].append(next((1 / (i + 1) for i, ref in enumerate(ranking) if ref in relevant), 0.0))
        if scores["ndcg@5"][-1] < 0.5:
            misses.append(f"{problem['ref']} -> {ranking[:3]} (expected {sorted(relevant)})")
    means = {name: statistics.mean(values) if values else 0.0 for name, values in scores.items()}
    return means | {"misses": misses, "count": len(scores["mrr"])}


#: the matcher, and each of its two ranking signals with the structured ones (territory kind etc.)
MODES = {
    "matcher": {},
    "words only": {"MATCH_SEMANTIC": False},
    "meaning only": {"MATCH_WORDS_WEIGHT": 0.0},
}


#: the embedding model the bench runs with (--model), None: the app's default
MODEL = None
#: extra settings (--set MATCH_PASSAGE_WEIGHT=0.3): for weighing the parts on the dev set
SETTINGS: dict = {}


def make_app(url: str, semantic: bool = True):
    from clubess import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        TESTING = False
        RATELIMIT_ENABLED = False
        MATCH_SEMANTIC = semantic
        MATCH_MODEL = MODEL

    for key, value in SETTINGS.items():
        setattr(Config, key, value)
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


def report(label: str, app, problems: list[dict], verbose: bool = True) -> dict[str, dict[str, list[dict]]]:
    """Print the three figures for each mode, on all problems and on the hard ones; mode -> results."""
    from clubess.practices.search import corpus as search_corpus

    hard = [p for p in problems if p.get("hard")]
    out = {}
    for mode, settings in MODES.items():
        saved = {key: app.config.get(key) for key in settings}
        app.config.update(settings)
        search_corpus._CORPUS.clear()
        with app.app_context():
            results = run_set(app.test_client(), problems)
        for key, value in saved.items():
            if value is None:
                app.config.pop(key, None)
            else:
                app.config[key] = value
        out[mode] = results
        for subset, chosen in ((f"{label}", problems), (f"{label}, hard", hard)):
            r = metrics(results, chosen)
            name = f"{subset} ({r['count']})"
            print(f"{name:<30} {mode:<14} {r['ndcg@5']:>7.3f} {r['recall@5']:>9.3f} {r['mrr']:>6.3f}")
            if verbose and mode == "matcher" and chosen is problems:
                for miss in r["misses"]:
                    print(f"    weak: {miss}")
    return out


def load_demo(url: str):
    app = make_app(url)
    empty_database(app)
    with app.app_context():
        from clubess.extensions import db
        from clubess.practices.demo.loader import load_practices

        load_practices()
        db.session.commit()
    return app


def quality(url: str) -> dict[str, tuple[list[dict], dict]]:
    """Every set's figures; set name -> (its problems, mode -> results), for the calibration."""
    print(f"{'set (problems with answers)':<30} {'ranking':<14} {'nDCG@5':>7} {'recall@5':>9} {'MRR':>6}")
    out = {}
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
        with app.app_context():
            if MODEL:  # the import embedded with the default model
                from clubess.extensions import db
                from clubess.practices.search.index import reindex_all

                reindex_all()
                db.session.commit()
            mark_hard(problems, practice_texts(), "dev")
        out["dev"] = (problems, report("dev", app, problems))
    else:
        print(f"(dev set skipped: {DEV} not found)")
    app = load_demo(url)
    with app.app_context():
        texts = practice_texts()
    for name, path in (("independent-1", INDEPENDENT), ("independent-2", INDEPENDENT_2)):
        problems = json.loads(path.read_text())["problems"]
        mark_hard(problems, texts, name)
        out[name] = (problems, report(name, app, problems))
    problems = json.loads(CALIBRATION.read_text())["problems"]
    with app.app_context():
        out["calibration"] = (problems, {"matcher": run_set(app.test_client(), problems)})
    return out


def calibration(sets: dict) -> None:
    """Fit the "answered" decision (clubess.practices.answered: logistic over best score and margin) on the dev
    set + the calibration set, print it, and the precision/recall of "answered" on every set for the app's
    current model, the one just fitted, and the former fixed threshold (best score >= 0.5)."""
    import numpy as np

    from clubess.practices import answered

    def labelled(name):
        problems, modes = sets[name]
        ranked = [modes["matcher"][p["ref"]] for p in problems]
        truth = [bool(r) and r[0]["ref"] in p["relevant"] for r, p in zip(ranked, problems, strict=True)]
        return ranked, np.array([answered.features(r) for r in ranked]), np.array(truth, dtype=float)

    fitted = [name for name in ("dev", "calibration") if name in sets]
    parts = [labelled(name) for name in fitted]
    x = np.vstack([p[1] for p in parts])
    y = np.concatenate([p[2] for p in parts])
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(20000):  # plain gradient descent, L2 0.001: two features, a few dozen problems
        p = 1 / (1 + np.exp(-(x @ weights + bias)))
        weights -= 2.0 * (x.T @ (p - y) / len(y) + 0.001 * weights)
        bias -= 2.0 * float(np.mean(p - y))
    print(
        f"answered decision fitted on {' + '.join(fitted)} ({len(y)} problems, {int(y.sum())} answered): "
        f"P = sigmoid({weights[0]:.2f} * best + {weights[1]:.2f} * margin + {bias:.2f}) >= {answered.THRESHOLD}"
    )
    print(
        f"    the app's: sigmoid({answered.BEST_WEIGHT:.2f} * best + {answered.MARGIN_WEIGHT:.2f} * margin "
        f"+ {answered.BIAS:.2f})"
    )
    for name in sets:
        ranked, x, y = labelled(name)
        for rule, decided in (
            ("app", np.array([answered.is_answered(r) for r in ranked])),
            ("fitted", 1 / (1 + np.exp(-(x @ weights + bias))) >= answered.THRESHOLD),
            ("score >= 0.5", x[:, 0] >= 0.5),
        ):
            said = decided.sum()
            right = (decided & (y == 1)).sum()
            precision = right / said if said else 0.0
            recall = right / y.sum() if y.sum() else 0.0
            print(
                f"    {name:<14} {rule:<13} answered {int(said):>2}/{len(y)}: precision {precision:.2f}, "
                f"recall {recall:.2f} (truth: best candidate relevant, {int(y.sum())})"
            )


def check_sets(url: str) -> int:
    """Load the demo practices (words only: no embedding needed) and check both independent sets' hard marks."""
    app = make_app(url, semantic=False)
    empty_database(app)
    with app.app_context():
        from clubess.extensions import db
        from clubess.practices.demo.loader import load_practices

        load_practices()
        db.session.commit()
        texts = practice_texts()
    violations = 0
    for label, path in (("independent-1", INDEPENDENT), ("independent-2", INDEPENDENT_2)):
        problems = json.loads(path.read_text())["problems"]
        violations += len(mark_hard(problems, texts, label))
        hard = [p for p in problems if p.get("hard")]
        answerable = [p for p in problems if p["relevant"]]
        print(f"{label}: {len(answerable)} problems with answers, {len(problems) - len(answerable)} without, hard:")
        for p in hard:
            print(f"    {p['ref']} shares {sorted(shared_words(p['text'], p['relevant'], texts)) or 'nothing'}")
    return 1 if violations else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied first); SQLite if empty")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--latency-only", action="store_true", help="only the 5,000-practice latency")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the latency data between runs (bench/results/matching-SIZE-MODEL.db, or --database-url's)",
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the warm matches")
    parser.add_argument("--check-sets", action="store_true", help="only check the hard problems' marks")
    parser.add_argument("--set", action="append", default=[], help="a matcher setting, KEY=number")
    parser.add_argument("--model", default=None, help="embedding model (clubess.practices.search.semantic.MODELS)")
    args = parser.parse_args()
    global MODEL
    MODEL = args.model
    for setting in args.set:
        key, _, value = setting.partition("=")
        SETTINGS[key] = float(value)
    scratch = tempfile.TemporaryDirectory(prefix="clubess-matching-")
    url = args.database_url or f"sqlite:///{scratch.name}/matching.db"
    if args.check_sets:
        return check_sets(url)
    print(f"matching bench: {'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}")
    if not args.latency_only:
        calibration(quality(url))
    if not args.skip_latency:
        from bench.matching_latency import kept_url, latency, problem_texts
        from clubess.practices.search.semantic import MODEL_NAME

        if args.keep and not args.database_url:
            url = kept_url(args.size, MODEL or MODEL_NAME)
        texts = problem_texts(DEV, INDEPENDENT)
        latency(make_app, empty_database, url, args.size, args.rounds, texts, args.keep, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
