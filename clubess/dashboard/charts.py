"""Bar charts drawn on the server as accessible SVG: a title, a description, and the same figures as a table.

No script and no chart library: the SVG is a picture (`role="img"`) named by its `<title>` and described by
its `<desc>`, and the page shows the figures in a table next to it for screen readers and for copying.
The bar colours reach 3:1 against white (WCAG 1.4.11), the text 4.5:1 (1.4.3).
"""

from dataclasses import dataclass, field

from markupsafe import Markup

#: bar colours, one per series: dark blue, dark orange, dark green (each ≥ 4.5:1 on white)
COLOURS = ("#1d4f91", "#a34700", "#2e6b30")
TEXT = "#1a1a1a"
LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 210, 300, 60
BAR_HEIGHT, GAP, LEGEND = 16, 10, 22


@dataclass
class Series:
    name: str
    values: list[int]


@dataclass
class Chart:
    """One chart: `categories` down the side, one bar per series and category."""

    id: str
    title: str
    description: str
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    #: what the first column of the table is (e.g. « trimestre »)
    category_header: str = ""

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        return [(c, [s.values[i] for s in self.series]) for i, c in enumerate(self.categories)]

    def svg(self) -> Markup:
        """The chart as inline SVG (every text escaped by Markup.format)."""
        top = LEGEND if len(self.series) > 1 else 0
        group = BAR_HEIGHT * len(self.series) + GAP
        height = top + group * max(1, len(self.categories)) + GAP
        width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
        peak = max([v for s in self.series for v in s.values] or [0]) or 1
        parts = [
            Markup(
                '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}"'
                ' width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
                '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
            ).format(id=self.id, w=width, h=height, title=self.title, desc=self.description)
        ]
        if top:
            x = LABEL_WIDTH
            for n, series in enumerate(self.series):
                parts.append(
                    Markup(
                        '<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
                        '<text x="{tx}" y="15" font-size="12" fill="{text}">{name}</text>'
                    ).format(x=x, tx=x + 16, colour=COLOURS[n % len(COLOURS)], text=TEXT, name=series.name)
                )
                x += 20 + 8 * len(series.name)
        for i, category in enumerate(self.categories):
            y = top + GAP + i * group
            parts.append(
                Markup('<text x="{x}" y="{y}" font-size="12" text-anchor="end" fill="{text}">{name}</text>').format(
                    x=LABEL_WIDTH - 6,
                    y=round(y + BAR_HEIGHT * len(self.series) / 2 + 4),
                    text=TEXT,
                    name=_shorten(category),
                )
            )
            for n, series in enumerate(self.series):
                value = series.values[i]
                length = round(BAR_WIDTH * value / peak)
                by = y + n * BAR_HEIGHT
                parts.append(
                    Markup(
                        '<rect x="{x}" y="{y}" width="{length}" height="{height}" fill="{colour}"/>'
                        '<text x="{tx}" y="{ty}" font-size="12" fill="{text}">{value}</text>'
                    ).format(
                        x=LABEL_WIDTH,
                        y=by,
                        length=length,
                        height=BAR_HEIGHT - 2,
                        colour=COLOURS[n % len(COLOURS)],
                        tx=LABEL_WIDTH + length + 4,
                        ty=by + BAR_HEIGHT - 4,
                        text=TEXT,
                        value=value,
                    )
                )
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    chart_id: str, title: str, description: str, rows: list[tuple[str, int]], header: str = "", value_header: str = ""
) -> Chart:
    """A chart of one series from (label, value) rows; `value_header` names the figures' column."""
    series = Series(value_header or title, [r[1] for r in rows])
    return Chart(chart_id, title, description, [r[0] for r in rows], [series], category_header=header)
