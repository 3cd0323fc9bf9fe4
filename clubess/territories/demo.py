"""The demo's ESS indicators: made-up figures for every territory of the region (scripts/build_indicator_demo.py),
flagged as demo data and sourced « Données fictives de démonstration (clubess) »."""

from clubess.members.territories import DATA_DIR
from clubess.territories.indicator_import import ImportReport, import_figures

DEMO_FILE = DATA_DIR / "indicateurs-demo.csv"


def load_indicators() -> ImportReport:
    """Import the demo figures (again: nothing changes); the lines of territories another reference lacks are
    skipped. Flushes, never commits."""
    report = import_figures(None, DEMO_FILE.read_bytes(), DEMO_FILE.name, demo=True, skip_unknown=True)
    if not report.ok:
        raise ValueError("; ".join(str(p) for p in report.problems[:5]))
    return report
