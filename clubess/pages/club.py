"""The club's identity (mission, founding partners, sponsor), configured in one place, in every language.

A text of the profile is either a plain string (shown as is in every language: names, addresses) or an
object with one text per locale, e.g. {"fr": "…", "en": "…"}; a missing locale falls back to French.
The publisher of the site comes from the LEGAL_* settings (see legal_notice()).
"""

import json
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

DEFAULT_PROFILE = Path(__file__).resolve().parent.parent / "data" / "club.json"

#: keys whose value is a text the club shows, which must exist in every language (names and URLs are not)
TRANSLATED_KEYS = {"mission", "objectives", "full_name", "role", "membership"}


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _is_translations(value, locales) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(locales)


def localize(value, locale: str, locales, default: str):
    """The profile with each per-locale text replaced by the text of `locale` (else `default`)."""
    if _is_translations(value, locales):
        return value.get(locale) or value.get(default) or next(iter(value.values()))
    if isinstance(value, dict):
        return {key: localize(item, locale, locales, default) for key, item in value.items()}
    if isinstance(value, list):
        return [localize(item, locale, locales, default) for item in value]
    return value


def untranslated(profile, locales, path: str = "") -> list[str]:
    """The paths of the texts that do not exist in every locale (a test holds the shipped profile to it)."""
    missing = []
    if isinstance(profile, dict):
        for key, value in profile.items():
            where = f"{path}.{key}" if path else key
            if key in TRANSLATED_KEYS:
                items = value if isinstance(value, list) else [value]
                for index, item in enumerate(items):
                    if not (_is_translations(item, locales) and all(item.get(loc) for loc in locales)):
                        missing.append(f"{where}[{index}]" if isinstance(value, list) else where)
            else:
                missing += untranslated(value, locales, where)
    elif isinstance(profile, list):
        for index, item in enumerate(profile):
            missing += untranslated(item, locales, f"{path}[{index}]")
    return missing


@lru_cache(maxsize=16)
def _localized(path: str, locale: str, locales: tuple, default: str) -> dict:
    return localize(_load(path), locale, locales, default)


def legal_notice() -> dict:
    """The deployment's legal facts (LEGAL_* settings): publisher, director of publication, host, contact."""
    config = current_app.config
    return {
        "name": config["LEGAL_PUBLISHER"],
        "form": config["LEGAL_PUBLISHER_FORM"],
        "address": config["LEGAL_ADDRESS"],
        "phone": config["LEGAL_PHONE"],
        "siret": config["LEGAL_SIRET"],
        "director": config["LEGAL_PUBLICATION_DIRECTOR"],
        "host": config["LEGAL_HOST"],
        "host_address": config["LEGAL_HOST_ADDRESS"],
        "host_phone": config["LEGAL_HOST_PHONE"],
        "email": config["LEGAL_CONTACT_EMAIL"] or config["CLUB_CONTACT_EMAIL"],
    }


def club_profile() -> dict:
    """The club profile in the reader's language: CLUB_PROFILE_FILE if set, else the shipped clubess/data/club.json."""
    config = current_app.config
    path = config.get("CLUB_PROFILE_FILE") or str(DEFAULT_PROFILE)
    profile = dict(_localized(path, str(get_locale()), tuple(config["LOCALES"]), config["DEFAULT_LOCALE"]))
    profile["publisher"] = legal_notice()
    return profile
