"""Generated ESS actors for the matching bench: `size` published solutions of size/10 organisations, their index
rows and vectors written in bulk, as bench.search.generate does for practices (texts drawn from the demo)."""

import random
from datetime import UTC, datetime


def generate_solutions(db, size: int, seed: int = 11) -> int:
    """Replace every organisation and solution by `size` generated solutions; returns how many."""
    import sqlalchemy as sa

    from clubess.actors.demo import SOLUTIONS
    from clubess.actors.models import Organisation, Solution, SolutionTerm, SolutionVector
    from clubess.practices.search import semantic
    from clubess.practices.search.index import FIELD_WEIGHTS, REFERENCE_LENGTHS, term_weights

    rng = random.Random(seed)
    db.session.execute(sa.delete(Organisation))  # cascades to solutions, their rows and vectors
    db.session.commit()
    now = datetime.now(UTC)
    organisations = [
        {
            "id": i,
            "name": f"Structure générée {i}",
            "search_name": f"structure generee {i}",
            "kind": rng.choice(["association", "scop", "scic", "siae", "fondation"]),
            "status": "active",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, max(1, size // 10) + 1)
    ]
    db.session.execute(sa.insert(Organisation), organisations)
    summaries = [s[3] for s in SOLUTIONS]
    titles = [s[2] for s in SOLUTIONS]
    rows, terms = [], []
    for i in range(1, size + 1):
        base = SOLUTIONS[i % len(SOLUTIONS)]
        title = f"{rng.choice(titles)} ({i})"
        summary = " ".join(rng.sample(summaries, 2))
        themes = list(base[4])
        rows.append(
            {
                "id": i,
                "ref": f"GENSOL{i:06d}",
                "organisation_id": 1 + i % len(organisations),
                "title": title,
                "summary": summary,
                "description": summary,
                "lever": base[1],
                "themes": themes,
                "status": "published",
                "published_at": datetime(2021, 1, 1, tzinfo=UTC),
                "created_at": now,
                "updated_at": now,
            }
        )
        weights = term_weights(
            [
                (title, FIELD_WEIGHTS["t"], REFERENCE_LENGTHS["t"]),
                (" . ".join(themes), FIELD_WEIGHTS["h"], REFERENCE_LENGTHS["h"]),
                (summary, FIELD_WEIGHTS["s"], REFERENCE_LENGTHS["s"]),
                (summary, FIELD_WEIGHTS["d"], REFERENCE_LENGTHS["d"]),
            ]
        )
        terms += [{"solution_id": i, "term": t, "weight": w} for t, w in weights.items()]
    db.session.execute(sa.insert(Solution), rows)
    for start in range(0, len(terms), 20000):
        db.session.execute(sa.insert(SolutionTerm), terms[start : start + 20000])
    if semantic.enabled():
        for start in range(0, len(rows), 256):
            batch = rows[start : start + 256]
            matrix = semantic.embed([semantic.document_text(r["title"], r["summary"], r["themes"]) for r in batch])
            db.session.execute(
                sa.insert(SolutionVector),
                [
                    {"solution_id": r["id"], "model": semantic.model_name(), "vector": semantic.to_bytes(v)}
                    for r, v in zip(batch, matrix, strict=True)
                ],
            )
    db.session.commit()
    return size
