"""Territory reference data: loading the shipped file and searching names and codes."""

import json
import re
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from unidecode import unidecode

from clubess.core.db import refresh_statistics
from clubess.extensions import db
from clubess.members.hierarchy import refresh_links
from clubess.members.models import Territory, TerritoryKind, TerritoryLink

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_WORD = re.compile(r"[a-z0-9]+")


def normalize(text: str) -> str:
    """`Saint-Ouen-sur-Seine` and `st ouen` both become `saint ouen sur seine` / `saint ouen`."""
    words = _WORD.findall(unidecode(text or "").lower())
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def data_file(region: str | None = None) -> Path:
    return DATA_DIR / f"territories-{region or current_app.config['CLUB_REGION_CODE']}.json"


def load_territories(path: Path | None = None) -> dict[str, int]:
    """Insert or update every territory of the file (idempotent). Returns counts."""
    data = json.loads((path or data_file()).read_text(encoding="utf-8"))
    existing = {(t.kind, t.code): t for t in db.session.scalars(sa.select(Territory))}
    created = updated = 0
    for row in data["territories"]:
        values = {
            "name": row["name"],
            "search_name": normalize(row["name"]),
            "department_code": row.get("department_code"),
            "parent_code": row.get("parent_code"),
            "population": row.get("population") or 0,
            "postal_codes": " ".join(row.get("postal_codes", [])),
        }
        territory = existing.get((row["kind"], row["code"]))
        if territory is None:
            db.session.add(Territory(kind=row["kind"], code=row["code"], **values))
            created += 1
        elif any(getattr(territory, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(territory, key, value)
            updated += 1
    db.session.flush()
    links = refresh_links()
    refresh_statistics(db.session, Territory.__tablename__, TerritoryLink.__tablename__)
    return {"created": created, "updated": updated, "total": len(data["territories"]), "links": links["links"]}


def search_territories(query: str, limit: int = 10, kinds: list[str] | None = None) -> list[Territory]:
    """Territories whose name words start with the query's words, or whose code/postal code starts with it.

    Accent-, case- and hyphen-insensitive; "st" means "saint". Best first: exact name, then name
    prefix, then the most populated.
    """
    limit = max(1, min(limit, 50))
    q = normalize(query)[:100]
    if not q:
        return []
    stmt = sa.select(Territory)
    if kinds:
        stmt = stmt.where(Territory.kind.in_(kinds))
    if q.replace(" ", "").isdigit():
        digits = q.replace(" ", "")
        stmt = stmt.where(sa.or_(Territory.code.startswith(digits), Territory.postal_codes.contains(digits)))
        rank = sa.case((Territory.code == digits, 0), else_=1)
    else:
        padded = sa.literal(" ") + Territory.search_name
        for word in q.split():
            stmt = stmt.where(padded.contains(" " + word, autoescape=True))
        rank = sa.case(
            (Territory.search_name == q, 0),
            (Territory.search_name.startswith(q, autoescape=True), 1),
            else_=2,
        )
    stmt = stmt.order_by(rank, Territory.population.desc(), Territory.name).limit(limit)
    return list(db.session.scalars(stmt))


#: what a territory code looks like (INSEE: 75056, 2A004, 93; SIREN: 200057875)
CODE = re.compile(r"^[0-9][0-9AB][0-9]{0,10}$")


def find_by_code(code: str) -> Territory | None:
    """The territory with this INSEE or SIREN code, None for an unknown or malformed one (1 query, none for a
    malformed code). Codes are unique across kinds in the shipped data; were one shared, the larger territory
    (région, then département, Métropole, EPT, EPCI, commune) would win, always the same."""
    code = (code or "").strip().upper()
    if len(code) > 12 or not CODE.match(code):
        return None
    order = sa.case({k.value: i for i, k in enumerate(TerritoryKind)}, value=Territory.kind)
    return db.session.scalar(sa.select(Territory).where(Territory.code == code).order_by(order).limit(1))
