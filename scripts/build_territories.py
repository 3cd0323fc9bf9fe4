"""Rebuild clubess/data/territories-<region>.json from the official open dataset.

Source: the npm package @etalab/decoupage-administratif (communes, EPCI, EPT, départements and régions
from the INSEE Code officiel géographique and the DGCL's list of groupings), installed by
`npm ci` into node_modules/. Usage: `python scripts/build_territories.py [--region 11]`.
"""

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "@etalab" / "decoupage-administratif"
GROUPING_KINDS = {"METRO": "metropole", "EPT": "ept"}


def load(name: str) -> list[dict]:
    return json.loads((SOURCE / "data" / f"{name}.json").read_text(encoding="utf-8"))


def build(region: str) -> dict:
    version = json.loads((SOURCE / "package.json").read_text())["version"]
    regions = {r["code"]: r for r in load("regions")}
    departements = [d for d in load("departements") if d["region"] == region]
    dep_codes = {d["code"] for d in departements}
    communes = {c["code"]: c for c in load("communes") if c["type"] == "commune-actuelle" and c.get("region") == region}
    groupings = [g for g in load("epci") + load("ept") if any(m["code"] in communes for m in g["membres"])]

    # A commune's direct grouping: its EPT inside the Métropole du Grand Paris, else its EPCI; the
    # Métropole itself for a member commune in no EPT (Paris).
    parent_of: dict[str, str] = {}
    metropole = next((g for g in groupings if g["type"] == "METRO"), None)
    for grouping in sorted(groupings, key=lambda g: {"METRO": 0, "EPT": 2}.get(g["type"], 1)):
        for member in grouping["membres"]:
            parent_of[member["code"]] = grouping["code"]

    territories = [
        {
            "code": region,
            "kind": "region",
            "name": regions[region]["nom"],
            "department_code": None,
            "parent_code": None,
            "population": sum(c.get("population") or 0 for c in communes.values()),
        }
    ]
    for dep in sorted(departements, key=lambda d: d["code"]):
        territories.append(
            {
                "code": dep["code"],
                "kind": "departement",
                "name": dep["nom"],
                "department_code": dep["code"],
                "parent_code": region,
                "population": sum(
                    c.get("population") or 0 for c in communes.values() if c["departement"] == dep["code"]
                ),
            }
        )
    for g in sorted(groupings, key=lambda g: g["code"]):
        deps = sorted({communes[m["code"]]["departement"] for m in g["membres"] if m["code"] in communes})
        kind = GROUPING_KINDS.get(g["type"], "epci")
        territories.append(
            {
                "code": g["code"],
                "kind": kind,
                "name": g["nom"],
                "department_code": deps[0] if len(deps) == 1 else None,
                "parent_code": metropole["code"] if kind == "ept" and metropole else None,
                "population": g.get("populationMunicipale")
                or sum(communes[m["code"]].get("population") or 0 for m in g["membres"] if m["code"] in communes),
                "grouping_type": g["type"],
            }
        )
    for code, c in sorted(communes.items()):
        territories.append(
            {
                "code": code,
                "kind": "commune",
                "name": c["nom"],
                "department_code": c["departement"],
                "parent_code": parent_of.get(code),
                "population": c.get("population") or 0,
                "postal_codes": c.get("codesPostaux", []),
            }
        )
    assert all(t["department_code"] in dep_codes or t["department_code"] is None for t in territories)
    return {
        "source": f"@etalab/decoupage-administratif {version}",
        "region": region,
        "territories": territories,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="11")
    args = parser.parse_args()
    data = build(args.region)
    out = ROOT / "clubess" / "data" / f"territories-{args.region}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    counts = {}
    for t in data["territories"]:
        counts[t["kind"]] = counts.get(t["kind"], 0) + 1
    print(f"{out.relative_to(ROOT)}: {counts}")


if __name__ == "__main__":
    main()
