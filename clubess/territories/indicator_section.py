"""The `indicateurs` section of a territory page: its latest ESS figures with year and source, the trend, the
comparison with its département(s) and the région, jobs by family and by sector (see figures.territory_figures)."""

from flask import g, has_request_context
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from clubess.territories import catalogue, sections
from clubess.territories.figures import COMPUTED, IMPORTED, SUMMED, Figure, Line, territory_figures
from clubess.territories.indicator_import import DEMO_SOURCE

KEY = "indicateurs"
#: the bars of a chart are this wide at most (the SVG's units)
BAR_WIDTH = 260


def number(value: float | None, unit: str = "count") -> str:
    """`1 234` for a count, `11,8 %` for a share (French digits and spaces)."""
    if value is None:
        return "—"
    if unit == "percent":
        return format_decimal(value, format="#,##0.0") + "\u00a0%"
    return format_decimal(value, format="#,##0" if float(value).is_integer() else "#,##0.#")


def change(line: Line) -> str:
    """« +15,4 % depuis 2022 (1 300) », « −1,2 point depuis 2022 (12,0 %) », "" without a previous figure."""
    delta = line.change
    if delta is None:
        return ""
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    amount = format_decimal(abs(delta), format="#,##0.0")
    previous = number(line.previous.value, line.indicator.unit)
    if line.indicator.unit == "percent":
        text = ngettext(
            "%(sign)s%(amount)s point depuis %(year)d (%(previous)s)",
            "%(sign)s%(amount)s points depuis %(year)d (%(previous)s)",
            2 if abs(delta) >= 2 else 1,
            sign=sign,
            amount=amount,
            year=line.previous.year,
            previous=previous,
        )
        return text
    return _(
        "%(sign)s%(amount)s %% depuis %(year)d (%(previous)s)",
        sign=sign,
        amount=amount,
        year=line.previous.year,
        previous=previous,
    )


def origin(figure: Figure, line: Line) -> str:
    """What a figure is when it is not imported as is: « somme des communes », « part calculée »."""
    if figure.origin == SUMMED:
        return _("somme des communes")
    if figure.origin == COMPUTED:
        numerator, denominator = (catalogue.BY_KEY[key].label for key in line.indicator.ratio_of)
        return _("calculée : %(num)s / %(den)s", num=numerator, den=denominator)
    return ""


def sources(figure: Figure) -> str:
    return " ; ".join(figure.sources)


def bars(lines: list[Line]) -> list[dict]:
    """A bar per line with a figure: its label, value, share of the group's total and width in the chart."""
    shown = [line for line in lines if line.latest is not None]
    total = sum(line.latest.value for line in shown)
    largest = max((line.latest.value for line in shown), default=0)
    return [
        {
            "line": line,
            "share": (line.latest.value / total * 100) if total else None,
            "width": round(line.latest.value / largest * BAR_WIDTH, 1) if largest else 0,
        }
        for line in shown
    ]


def context(territory, viewer, args) -> dict | None:
    """The figures are public: every viewer sees the same. None when the territory has none."""
    figures = territory_figures(territory)
    if not figures:
        return None
    if figures.demo and has_request_context():
        g.fictitious_loaded = True  # the page's own notice (core.fictitious): these rows are read as columns
    groups = [(group, catalogue.GROUP_LABELS[group], lines) for group, lines in figures.groups.items()]
    return {
        "figures": figures,
        #: some figure is a sum, a recomputed share or a partial: the rules are said once
        "rolled_up": any(line.partial or line.latest.origin != IMPORTED for line in figures.lines),
        "headline": figures.groups.get("", []),
        "charts": [(group, label, lines, bars(lines)) for group, label, lines in groups if group],
        "number": number,
        "change": change,
        "origin": origin,
        "sources": sources,
        "demo_source": DEMO_SOURCE,
        "bar_width": BAR_WIDTH,
    }


def register_sections() -> None:
    sections.register(sections.Section(KEY, "territories/_indicators.html", context, order=60))
