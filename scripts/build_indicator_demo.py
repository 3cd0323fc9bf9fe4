"""Rebuild clubess/data/indicateurs-demo.csv: made-up ESS figures for every territory of the region, loaded by
`flask demo load` as demo data (« données fictives de démonstration », never attributed to an observatory).

Deterministic: each commune's figures come from a random generator seeded by its code, scaled by its population;
every grouping (EPCI, EPT, Métropole, département, région) gets the sums of the communes it covers, so the sums
the pages compute agree with the figures shown. Usage: `python scripts/build_indicator_demo.py [--region 11]`.
"""

import argparse
import csv
import json
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "Données fictives de démonstration (clubess)"
YEARS = (2022, 2023)
FAMILIES = {
    "emplois_associations": 0.77,
    "emplois_cooperatives": 0.12,
    "emplois_mutuelles": 0.06,
    "emplois_fondations": 0.05,
}
SECTORS = {
    "emplois_action_sociale": 0.38,
    "emplois_enseignement": 0.13,
    "emplois_sante": 0.09,
    "emplois_sport_loisirs_culture": 0.08,
    "emplois_finance_assurance": 0.1,
    "emplois_commerce_industrie": 0.05,
    "emplois_hebergement_restauration": 0.03,
    "emplois_soutien_entreprises": 0.07,
    "emplois_autres_secteurs": 0.07,
}
#: the territories whose families and sectors are written
DETAILED = {"region", "departement", "ept"}
ORDER = ["region", "departement", "metropole", "ept", "epci", "commune"]


def split(total: int, weights: dict[str, float], rng: random.Random) -> dict[str, int]:
    """`total` shared out by jittered weights, in integers that add up to it (largest remainders)."""
    jittered = {key: weight * rng.uniform(0.7, 1.3) for key, weight in weights.items()}
    scale = total / sum(jittered.values())
    exact = {key: value * scale for key, value in jittered.items()}
    shares = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


def commune_figures(code: str, population: int) -> dict[int, dict[str, int]]:
    rng = random.Random(f"clubess-demo-{code}")
    private = max(5, round(population * rng.uniform(0.22, 0.45)))
    ess = round(private * rng.uniform(0.06, 0.17))
    figures = {}
    for year in sorted(YEARS, reverse=True):
        establishments = round(ess / rng.uniform(8, 16))
        values = {"etablissements_employeurs": establishments, "emplois_ess": ess, "emplois_prives": private}
        values |= split(ess, FAMILIES, rng) | split(ess, SECTORS, rng)
        figures[year] = values
        private = max(5, round(private * rng.uniform(0.95, 1.01)))
        ess = min(private, round(ess * rng.uniform(0.93, 1.02)))
    return figures


def coverage(territories: list[dict]) -> dict[str, list[str]]:
    """The codes of the communes each territory covers (the rules of clubess.members.hierarchy)."""
    by_code = {t["code"]: t for t in territories if t["kind"] != "commune"}
    covered: dict[str, list[str]] = defaultdict(list)
    for commune in (t for t in territories if t["kind"] == "commune"):
        covered[commune["code"]].append(commune["code"])
        for t in territories:
            if t["kind"] == "region":
                covered[t["code"]].append(commune["code"])
        departement = next(
            (t for t in territories if t["kind"] == "departement" and t["code"] == commune["department_code"]), None
        )
        if departement is not None:
            covered[departement["code"]].append(commune["code"])
        seen, grouping = set(), by_code.get(commune.get("parent_code") or "")
        while grouping is not None and grouping["code"] not in seen and grouping["kind"] != "region":
            seen.add(grouping["code"])
            covered[grouping["code"]].append(commune["code"])
            grouping = by_code.get(grouping.get("parent_code") or "")
    return covered


def share(ess: int, private: int) -> str:
    return f"{ess / private * 100:.1f}".replace(".", ",") if private else "0"


def build(region: str) -> list[list[str]]:
    data = json.loads((ROOT / "clubess" / "data" / f"territories-{region}.json").read_text(encoding="utf-8"))
    territories = sorted(data["territories"], key=lambda t: (ORDER.index(t["kind"]), t["code"]))
    communes = {t["code"]: commune_figures(t["code"], t["population"]) for t in territories if t["kind"] == "commune"}
    covered = coverage(territories)
    rows = []
    for territory in territories:
        codes = covered.get(territory["code"], [])
        if not codes:
            continue
        for year in YEARS:
            totals: dict[str, int] = defaultdict(int)
            for code in codes:
                for key, value in communes[code][year].items():
                    totals[key] += value
            keys = ["etablissements_employeurs", "emplois_ess", "emplois_prives"]
            if territory["kind"] in DETAILED and year == max(YEARS):
                keys += list(FAMILIES) + list(SECTORS)
            for key in keys:
                rows.append([territory["code"], str(year), key, str(totals[key]), SOURCE])
            part = share(totals["emplois_ess"], totals["emplois_prives"])
            rows.append([territory["code"], str(year), "part_ess_emploi_prive", part, SOURCE])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="11")
    args = parser.parse_args()
    path = ROOT / "clubess" / "data" / "indicateurs-demo.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["territoire", "annee", "indicateur", "valeur", "source"])
        writer.writerows(build(args.region))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
