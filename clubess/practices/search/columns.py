"""The corpus as columns: every searchable document numbered 0..N-1, its facet data in numpy arrays.

One index version's documents (engine.Corpus.meta) are numbered in the order of their keys (kinds: a practice by
its id, a solution by its id negated), so that scoring, filtering, facet counts and ordering are whole-array
operations whose cost per matching document is a few nanoseconds, not a Python loop: at 50,000 practices a long
problem statement holds a word of almost every document. Built once per index version and worker, with the corpus.
"""

from dataclasses import dataclass

import numpy as np

#: facets counted over every matching document, in the order SearchResult.facets lists them
FACETS = ("lever", "territory_kind", "department", "year", "theme")


@dataclass
class Columns:
    #: document keys, ascending: position -> key
    keys: np.ndarray
    #: per position: lever, territory kind (codes into `values`), year (0: none), published timestamp, the rank
    #: of its ref among all refs (the tie-break), practice or solution
    lever: np.ndarray
    territory_kind: np.ndarray
    year: np.ndarray
    published: np.ndarray
    ref_rank: np.ndarray
    is_practice: np.ndarray
    #: multi-valued facets as (positions, codes) pairs: one pair per document and département or theme
    department: tuple[np.ndarray, np.ndarray]
    theme: tuple[np.ndarray, np.ndarray]
    #: facet -> code -> value (code 0 of lever and territory kind is "none")
    values: dict[str, list]

    def __len__(self) -> int:
        return len(self.keys)

    def positions(self, keys) -> np.ndarray:
        """The positions of `keys` (an array of document keys), -1 for a key not in the corpus."""
        keys = np.asarray(keys, dtype=np.int64)
        if not len(self.keys):
            return np.full(len(keys), -1, dtype=np.int64)
        found = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[found] == keys, found, -1)

    def code(self, facet: str, value) -> int:
        """A value's code in a facet, -1 if no document has it (a filter then keeps nothing)."""
        try:
            return self.values[facet].index(value)
        except ValueError:
            return -1

    def holders(self, facet: str, value) -> np.ndarray:
        """Boolean mask of the documents with `value` among their départements or themes."""
        positions, codes = getattr(self, facet)
        mask = np.zeros(len(self), dtype=bool)
        mask[positions[codes == self.code(facet, value)]] = True
        return mask

    def order(self, selected: np.ndarray, scores: np.ndarray | None) -> np.ndarray:
        """Positions of the selected documents, best first: by score rounded to 1e-9 (so that float noise from
        the row order never changes a tie between databases), else newest first; then by ref."""
        chosen = np.flatnonzero(selected)
        if scores is None:
            first = -self.published[chosen]
        else:
            first = -np.trunc(scores[chosen] * 1e9)
        return chosen[np.lexsort((self.ref_rank[chosen], first))]

    def facets(self, selected: np.ndarray) -> dict[str, list[tuple]]:
        """Facet counts over the selected documents: (value, count), most frequent first (years newest first,
        the 20 most frequent themes)."""
        out = {}
        for name in FACETS:
            if name in ("department", "theme"):
                positions, codes = getattr(self, name)
                counts = np.bincount(codes[selected[positions]], minlength=len(self.values[name]))
            else:
                counts = np.bincount(getattr(self, name)[selected], minlength=len(self.values[name]))
            found = [(self.values[name][c], int(n)) for c, n in enumerate(counts) if n and self.values[name][c]]
            out[name] = sorted(found, key=lambda kv: (-kv[1], str(kv[0])))
        out["year"] = sorted(out["year"], reverse=True)
        out["theme"] = out["theme"][:20]
        return out


def build(meta: dict[int, tuple]) -> Columns:
    """The columns of a corpus' metadata (key -> (lever, territory kind, départements, year, ref, published
    timestamp, themes), as engine.Corpus.meta holds it)."""
    keys = sorted(meta)
    values: dict[str, list] = {name: [None] if name != "year" else [] for name in FACETS}
    codes: dict[str, dict] = {name: {} for name in FACETS}

    def code(name: str, value) -> int:
        found = codes[name].get(value)
        if found is None:
            found = codes[name][value] = len(values[name])
            values[name].append(value)
        return found

    codes["lever"][None] = codes["territory_kind"][None] = 0
    lever, kind, department, theme = [], [], ([], []), ([], [])
    for position, key in enumerate(keys):
        row = meta[key]
        lever.append(code("lever", row[0]) if row[0] else 0)
        kind.append(code("territory_kind", row[1]) if row[1] else 0)
        for value in row[2]:
            department[0].append(position)
            department[1].append(code("department", value))
        for value in row[6]:
            theme[0].append(position)
            theme[1].append(code("theme", value))
    years = sorted({meta[k][3] or 0 for k in keys} | {0})
    values["year"] = years
    year_code = {y: i for i, y in enumerate(years)}
    refs = sorted(range(len(keys)), key=lambda i: meta[keys[i]][4] or "")
    ref_rank = np.empty(len(keys), dtype=np.int64)
    ref_rank[refs] = np.arange(len(keys))
    # years are stored as codes too (facets count them with bincount); `year_value` filters them
    values["year"] = [y or None for y in years]
    return Columns(
        keys=np.array(keys, dtype=np.int64),
        lever=np.array(lever, dtype=np.int32),
        territory_kind=np.array(kind, dtype=np.int32),
        year=np.array([year_code[meta[k][3] or 0] for k in keys], dtype=np.int32),
        published=np.array([meta[k][5] for k in keys], dtype=np.float64),
        ref_rank=ref_rank,
        is_practice=np.array(keys, dtype=np.int64) > 0,
        department=(np.array(department[0], dtype=np.int64), np.array(department[1], dtype=np.int64)),
        theme=(np.array(theme[0], dtype=np.int64), np.array(theme[1], dtype=np.int64)),
        values=values,
    )
