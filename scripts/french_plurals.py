"""Fill the French catalogue's plural forms: French writes the singular for 0 and 1 (« 0 document », « 1 personne
inscrite »), English the plural for 0. Without a French catalogue, gettext applies the English rule to the
French source strings and pages said « 0 documents ». The catalogue holds no translation: each plural message
gets its own two forms (singular, plural) under French's rule `n > 1`; other messages stay empty (the source).

Run by `make messages` after `pybabel update`; `tests/core/test_i18n.py` checks every plural message is here.
"""

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
FRENCH = ROOT / "translations/fr/LC_MESSAGES/messages.po"


def french_catalogue(template: Catalog) -> Catalog:
    catalogue = Catalog(locale="fr", project="clubess", fuzzy=False)
    for message in template:
        if message.id and message.pluralizable:
            catalogue.add(message.id, string=tuple(message.id), locations=message.locations, flags=message.flags)
    return catalogue


def main(pot: str) -> None:
    with open(pot, "rb") as f:
        template = read_po(f)
    FRENCH.parent.mkdir(parents=True, exist_ok=True)
    with FRENCH.open("wb") as f:
        write_po(f, french_catalogue(template), width=120, omit_header=False, no_location=True)
    print(f"{FRENCH.relative_to(ROOT)}: {sum(1 for m in french_catalogue(template) if m.id)} plural messages")


if __name__ == "__main__":
    main(sys.argv[1])
