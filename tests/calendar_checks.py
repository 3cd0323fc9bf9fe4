"""Helpers for registration and invitation tests: the calendar parts of a delivered mail, read by ical.js."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ical_js(body: bytes) -> dict:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "ical_check.mjs")],
        input=body,
        capture_output=True,
        cwd=ROOT,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)


def calendar_part(message):
    """The text/calendar part of a delivered mail (inside multipart/alternative), or None."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    return None


def ics_file(message):
    for part in message.walk():
        if part.get_content_type() == "application/ics":
            return part
    return None
