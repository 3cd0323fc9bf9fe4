"""The club's identity (mission, founding partners, sponsor), configured in one place."""

import json
from functools import lru_cache
from pathlib import Path

from flask import current_app

DEFAULT_PROFILE = Path(__file__).resolve().parent.parent / "data" / "club.json"


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def club_profile() -> dict:
    """The club profile: CLUB_PROFILE_FILE if set, else the shipped clubess/data/club.json."""
    return _load(current_app.config.get("CLUB_PROFILE_FILE") or str(DEFAULT_PROFILE))
