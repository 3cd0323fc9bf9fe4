"""The diagnostic sheet's layout: two A4 pages a coordinator brings to an élu (ReportLab, like the sign-in sheet).

Page 1: who the territory is (kind, population, where it lies), its ESS figures with year and source, and a
chart. Page 2: the club on this territory: its members and their participation, practices, commitments and
meetings. Every list is cut
to what fits (« et 12 autres ») so the sheet never runs past two pages; `render` takes plain values
(`Diagnostic`), built from the pages' own readers by `diagnostic.build`.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clubess.core.pdf import Fonts, numbered_canvas

MARGIN = 16 * mm
FOOTER_HEIGHT = 10 * mm
#: what each list of page 2 shows at most (the rest is counted)
LIST_LIMITS = {"members": 14, "practices": 7, "commitments": 7, "meetings": 7}
#: rows of the figures table at most (page 1 holds them with the chart)
MAX_FIGURES = 12
#: bars in the chart at most
MAX_BARS = 8
INK = colors.HexColor("#1d2a3a")
ACCENT = colors.HexColor("#0b6e4f")
MUTED = colors.HexColor("#4a5563")
RULE = colors.HexColor("#c9d1d9")


@dataclass
class Figure:
    label: str
    #: the value as shown (« 1 234 », « 12,5 % »)
    value: str
    year: int | None = None
    source: str = ""
    #: trend and comparison, in words (« +4 % depuis 2022 ; département : 9,8 % »)
    note: str = ""


@dataclass
class Line:
    """One entry of a list: its title and a muted detail."""

    title: str
    detail: str = ""


@dataclass
class Diagnostic:
    name: str
    kind_label: str
    code: str
    population: str
    #: « Seine-Saint-Denis (département) », largest first
    parents: list[str]
    url: str
    generated_on: date
    figures: list[Figure] = field(default_factory=list)
    #: the figures are demo data: said on the sheet
    figures_demo: bool = False
    chart_title: str = ""
    #: (label, value) for the chart
    bars: list[tuple[str, float]] = field(default_factory=list)
    #: « 4 collectivités membres ; 12 élus, 9 agents »
    members_summary: str = ""
    members: list[Line] = field(default_factory=list)
    members_total: int = 0
    practices: list[Line] = field(default_factory=list)
    practices_total: int = 0
    commitments: list[Line] = field(default_factory=list)
    commitments_total: int = 0
    meetings: list[Line] = field(default_factory=list)
    meetings_total: int = 0
    participation: str = ""
    #: anything on the sheet is demo data
    demo: bool = False


class _Styles:
    def __init__(self, fonts: Fonts):
        base = ParagraphStyle("base", fontName=fonts.regular, fontSize=9, leading=11.5, textColor=INK)
        self.body = base
        self.muted = ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=18, leading=22)
        self.kicker = ParagraphStyle("kicker", parent=base, textColor=ACCENT, fontName=fonts.bold, fontSize=9)
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=fonts.bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
        )
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=fonts.bold)
        self.warning = ParagraphStyle(
            "warning", parent=base, fontName=fonts.bold, textColor=colors.HexColor("#8a1c00"), fontSize=9
        )


def _cut(text: str, limit: int) -> str:
    """The text, cut at a word to `limit` characters with « … » (a line of the sheet never wraps twice)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _p(fonts: Fonts, text: str, style) -> Paragraph:
    return Paragraph(escape(fonts.text(text)), style)


def _chart(fonts: Fonts, title: str, bars: list[tuple[str, float]], width: float) -> Drawing:
    bars = bars[:MAX_BARS]
    height = 22 + 16 * len(bars)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 4
    chart.width, chart.height = width - 200, height - 24
    # top to bottom in the given order
    chart.data = [[value for _label, value in reversed(bars)]]
    chart.categoryAxis.categoryNames = [fonts.text(label)[:34] for label, _value in reversed(bars)]
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: f"{v:,.0f}".replace(",", "\u00a0")
    chart.barLabels.fontName = fonts.regular
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(String(0, height - 10, fonts.text(title), fontName=fonts.bold, fontSize=9, fillColor=INK))
    return drawing


def _figures_table(fonts: Fonts, styles: _Styles, figures: list[Figure], width: float) -> Table:
    rows = [
        [
            _p(fonts, _("Indicateur"), styles.cell_bold),
            _p(fonts, _("Valeur"), styles.cell_bold),
            _p(fonts, _("Année, source"), styles.cell_bold),
            _p(fonts, _("Évolution, comparaison"), styles.cell_bold),
        ]
    ]
    for figure in figures[:MAX_FIGURES]:
        when = ", ".join(x for x in (str(figure.year or ""), figure.source) if x)
        rows.append(
            [
                _p(fonts, _cut(figure.label, 56), styles.cell),
                _p(fonts, _cut(figure.value, 20), styles.cell_bold),
                _p(fonts, _cut(when, 44), styles.muted),
                _p(fonts, _cut(figure.note, 60), styles.muted),
            ]
        )
    table = Table(rows, colWidths=[width * 0.34, width * 0.14, width * 0.24, width * 0.28], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _list(fonts: Fonts, styles: _Styles, title: str, lines: list[Line], total: int, limit: int, empty: str):
    flow = [_p(fonts, title, styles.h2)]
    if not lines:
        return [*flow, _p(fonts, empty, styles.muted)]
    for line in lines[:limit]:
        text = f"<b>{escape(fonts.text(_cut(line.title, 80)))}</b>"
        if line.detail:
            text += f" — <font color='#4a5563'>{escape(fonts.text(_cut(line.detail, 40)))}</font>"
        flow.append(Paragraph(text, styles.body))
    rest = total - min(len(lines), limit)
    if rest > 0:
        flow.append(_p(fonts, ngettext("et %(num)s autre", "et %(num)s autres", rest), styles.muted))
    return [KeepTogether(flow)]


def render(sheet: Diagnostic, font_dir: str | None = None) -> bytes:
    """The sheet as PDF bytes: two pages at most."""
    fonts = Fonts(font_dir)
    styles = _Styles(fonts)
    buffer = io.BytesIO()
    width, height = A4
    frame = Frame(MARGIN, MARGIN + FOOTER_HEIGHT, width - 2 * MARGIN, height - 2 * MARGIN - FOOTER_HEIGHT, id="body")
    inner = width - 2 * MARGIN

    def footer(canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        left = _(
            "Diagnostic du territoire %(name)s, établi le %(date)s — %(url)s",
            name=sheet.name,
            date=sheet.generated_on.strftime("%d/%m/%Y"),
            url=sheet.url,
        )
        left = fonts.text(left)
        canvas.drawString(MARGIN, MARGIN, left[:150])
        canvas.drawRightString(width - MARGIN, MARGIN, fonts.text(_("page %(n)s / %(total)s", n=number, total=total)))
        canvas.restoreState()

    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=fonts.text(_("Diagnostic ESS : %(name)s", name=sheet.name)),
        author="clubess",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    story = [
        _p(fonts, _("Diagnostic ESS du territoire"), styles.kicker),
        _p(fonts, _cut(sheet.name, 60), styles.title),
        _p(
            fonts,
            " · ".join(x for x in (sheet.kind_label, _("code %(code)s", code=sheet.code), sheet.population) if x),
            styles.body,
        ),
    ]
    if sheet.parents:
        places = _cut(", ".join(sheet.parents), 220)
        story.append(_p(fonts, _("Se situe dans : %(list)s", list=places), styles.muted))
    if sheet.demo:
        story += [
            Spacer(1, 4),
            _p(fonts, _("Exemple fictif (données de démonstration) : ne pas diffuser."), styles.warning),
        ]
    story.append(_p(fonts, _("L'économie sociale et solidaire sur le territoire"), styles.h2))
    if sheet.figures:
        story.append(_figures_table(fonts, styles, sheet.figures, inner))
        if sheet.figures_demo:
            story.append(_p(fonts, _("Données fictives de démonstration."), styles.warning))
    else:
        story.append(_p(fonts, _("Aucun indicateur n'a encore été importé pour ce territoire."), styles.muted))
    if sheet.bars:
        story += [Spacer(1, 8), _chart(fonts, sheet.chart_title, sheet.bars, inner)]
    story.append(PageBreak())
    story.append(_p(fonts, _("Le territoire dans le club"), styles.h2))
    story.append(_p(fonts, _cut(sheet.members_summary, 200), styles.body))
    if sheet.participation:
        story.append(_p(fonts, _cut(sheet.participation, 200), styles.body))
    story += _list(
        fonts,
        styles,
        _("Collectivités membres"),
        sheet.members,
        sheet.members_total,
        LIST_LIMITS["members"],
        _("Aucune collectivité membre sur ce territoire pour l'instant."),
    )
    story += _list(
        fonts,
        styles,
        _("Bonnes pratiques"),
        sheet.practices,
        sheet.practices_total,
        LIST_LIMITS["practices"],
        _("Aucune bonne pratique publiée sur ce territoire pour l'instant."),
    )
    story += _list(
        fonts,
        styles,
        _("Engagements"),
        sheet.commitments,
        sheet.commitments_total,
        LIST_LIMITS["commitments"],
        _("Aucun engagement pris sur ce territoire pour l'instant."),
    )
    story += _list(
        fonts,
        styles,
        _("Rencontres"),
        sheet.meetings,
        sheet.meetings_total,
        LIST_LIMITS["meetings"],
        _("Aucune rencontre tenue sur ce territoire ou à son sujet pour l'instant."),
    )
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()
