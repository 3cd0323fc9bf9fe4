"""Languages: French first, English complete, dates in Europe/Paris."""

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale

from clubess.core.templating import format_dt

ROOT = Path(__file__).resolve().parents[2]


def test_english_catalog_has_no_missing_or_fuzzy_entry(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            # babel skips folders starting with "_" by default: templates/_macros holds strings too
            "--ignore-dirs",
            ".* node_modules __pycache__",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        template = read_po(f)
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        english = read_po(f)
    missing = [m.id for m in template if m.id and (m.id not in english or not english[m.id].string)]
    fuzzy = [m.id for m in english if m.id and m.fuzzy]
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_french_is_the_default_and_english_follows_the_browser(client):
    assert '<html lang="fr"' in client.get("/connexion").get_data(as_text=True)
    english = client.get("/connexion", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en"' in english
    assert "Log in" in english or "Sign in" in english


def test_language_switch_sticks_for_the_session(client):
    client.choose_language("en", "/connexion")
    page = client.get("/connexion", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en"' in page
    client.choose_language("fr", "/connexion")
    assert '<html lang="fr"' in client.get("/connexion").get_data(as_text=True)


def test_dates_are_shown_in_paris_time_with_french_formats(app):
    summer = datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
    winter = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("fr"):
        assert format_dt(summer) == "mercredi 1 juillet 2026 à 09:30"
        assert format_dt(winter) == "mardi 1 décembre 2026 à 09:00"


def test_french_writes_the_singular_for_zero_and_english_the_plural(client, db):
    french = client.get("/ressources?q=introuvablexyz").get_data(as_text=True)
    assert "0 document pour « introuvablexyz »" in french
    english = client.get("/ressources?q=introuvablexyz", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "0 documents for" in english


def test_every_plural_message_has_its_french_forms(tmp_path):
    """French plurals come from the French catalogue (scripts/french_plurals.py, run by `make messages`)."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l"]
        + ["--ignore-dirs", ".* node_modules __pycache__", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        template = read_po(f)
    with (ROOT / "translations/fr/LC_MESSAGES/messages.po").open("rb") as f:
        french = read_po(f)
    assert french.plural_expr == "(n > 1)"
    plurals = [m.id for m in template if m.id and m.pluralizable]
    missing = [ids for ids in plurals if ids[0] not in french or tuple(french[ids[0]].string) != tuple(ids)]
    assert plurals and not missing, f"{len(missing)} plural messages without their French forms: {missing[:5]}"


def test_a_constant_label_in_a_template_follows_each_reader_s_language(app):
    """Jinja folds a filter on constants when it compiles a template: `'solution' | label('match_kind')` must
    not be frozen in the language of the request that happened to compile it."""
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        template = app.jinja_env.from_string("{{ 'solution' | label('match_kind') }}")
        assert template.render() == "Solution d’un acteur de l’ESS"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert template.render() == "An SSE actor&#39;s solution"  # escaped by autoescape
