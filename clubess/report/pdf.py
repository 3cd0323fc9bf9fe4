"""The bilan as a PDF (ReportLab, like the territory diagnostic): the texts, then each section's figures as tables.

`render` takes plain values: the figures (live for coordinators, the published snapshot for the public) and
the texts; it never reads the database, so the public PDF shows exactly the frozen version.
"""

import io
import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle

from clubess.core.labels import label
from clubess.core.pdf import Fonts, numbered_canvas
from clubess.core.templating import format_dt, render_markdown
from clubess.core.timezone import today
from clubess.core.vocabulary import LEVERS
from clubess.report.figures import Figures, from_dict

MARGIN = 16 * mm
FOOTER_HEIGHT = 10 * mm
INK = colors.HexColor("#1d2a3a")
ACCENT = colors.HexColor("#0b6e4f")
MUTED = colors.HexColor("#4a5563")
RULE = colors.HexColor("#c9d1d9")


@dataclass
class Sheet:
    club: str
    figures: Figures
    introduction: str
    highlights: str
    #: the public page's address, or the coordinators' page's
    url: str
    generated_on: date
    #: « Version publiée le 3 février 2027 » or « Chiffres du 15 novembre 2026 (brouillon) »
    status: str


def plain_paragraphs(text: str) -> list[str]:
    """The Markdown's text as paragraphs (a list item starting with « • »), markup dropped: sanitised first."""
    html = str(render_markdown(text))
    html = re.sub(r"<li[^>]*>", "• ", html)
    html = re.sub(r"</(p|li|h\d|blockquote|pre)>|<br\s*/?>", "\n", html)
    plain = unescape(re.sub(r"<[^>]+>", "", html))
    return [line.strip() for line in plain.split("\n") if line.strip()]


class _Styles:
    def __init__(self, fonts: Fonts):
        base = ParagraphStyle("base", fontName=fonts.regular, fontSize=9.5, leading=12.5, textColor=INK)
        self.body = base
        self.muted = ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=20, leading=24)
        self.kicker = ParagraphStyle("kicker", parent=base, textColor=ACCENT, fontName=fonts.bold, fontSize=9.5)
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=fonts.bold, fontSize=12.5, leading=15, spaceBefore=10, spaceAfter=4
        )
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=fonts.bold)


def _num(value: int) -> str:
    return format_decimal(value)


class _Builder:
    def __init__(self, fonts: Fonts, width: float):
        self.fonts, self.styles, self.width = fonts, _Styles(fonts), width

    def p(self, text: str, style=None) -> Paragraph:
        return Paragraph(escape(self.fonts.text(text)), style or self.styles.body)

    def table(self, header: list[str], rows: list[list], widths: list[float], total: list | None = None) -> Table:
        cells = [[self.p(h, self.styles.cell_bold) for h in header]]
        cells += [[self.p(str(v), self.styles.cell) for v in row] for row in rows]
        if total:
            cells.append([self.p(str(v), self.styles.cell_bold) for v in total])
        table = Table(cells, colWidths=[self.width * w for w in widths], repeatRows=1)
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if total:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
        table.setStyle(TableStyle(style))
        return table

    def section(self, title: str, *flow) -> KeepTogether:
        return KeepTogether([self.p(title, self.styles.h2), *flow])


def _story(sheet: Sheet, b: _Builder) -> list:
    f = sheet.figures
    s = b.styles
    story = [
        b.p(sheet.club, s.kicker),
        b.p(_("Bilan %(year)d", year=f.year), s.title),
        b.p(sheet.status, s.muted),
    ]
    for title, text in ((_("Introduction"), sheet.introduction), (_("Temps forts de l’année"), sheet.highlights)):
        if text.strip():
            story += [b.p(title, s.h2), *(b.p(para) for para in plain_paragraphs(text))]
    meetings = [[m.day.strftime("%d/%m/%Y"), m.name, _num(m.registered), _num(m.present)] for m in f.meetings]
    story.append(
        b.section(
            _("Rencontres tenues"),
            b.table(
                [_("Date"), _("Rencontre"), _("Inscrits"), _("Présents")],
                meetings,
                [0.14, 0.58, 0.14, 0.14],
                [
                    _("Total"),
                    ngettext("%(num)s rencontre", "%(num)s rencontres", len(f.meetings)),
                    _num(f.registered),
                    _num(f.present),
                ],
            )
            if f.meetings
            else b.p(_("Aucune rencontre tenue cette année."), s.muted),
        )
    )
    story.append(
        b.section(
            _("Collectivités impliquées"),
            b.p(
                _(
                    "Collectivités membres pendant l’année : %(members)s ; venues à au moins une rencontre : %(came)s.",
                    members=_num(f.members),
                    came=_num(f.came),
                )
            ),
            b.table(
                [_("Département"), _("Collectivités membres"), _("Venues à une rencontre")],
                [[f"{d.code} {d.name}", _num(d.members), _num(d.came)] for d in f.departments],
                [0.5, 0.25, 0.25],
            )
            if f.departments
            else b.p(_("Aucune collectivité membre cette année."), s.muted),
            b.p(_("Une collectivité sur deux départements est comptée dans chacun."), s.muted),
        )
    )
    story.append(
        b.section(
            _("Bonnes pratiques publiées par levier"),
            b.table(
                [_("Levier"), _("Pratiques publiées")],
                [[str(LEVERS[lever]), _num(n)] for lever, n in f.lever_rows],
                [0.75, 0.25],
                [_("Total"), _num(f.practices_total)],
            ),
        )
    )
    story.append(
        b.section(
            _("Problématiques"),
            b.p(
                _(
                    "Problématiques exprimées : %(stated)s ; ayant reçu une réponse utile : %(answered)s.",
                    stated=_num(f.problems_stated),
                    answered=_num(f.problems_answered),
                )
            ),
        )
    )
    story.append(
        b.section(
            _("Engagements des collectivités"),
            b.table(
                [_("Engagements pris dans l’année, par état aujourd’hui"), _("Nombre")],
                [[label(status, "commitment_status"), _num(n)] for status, n in f.commitment_rows],
                [0.75, 0.25],
                [_("Total"), _num(f.commitments_made)],
            ),
        )
    )
    story.append(
        b.section(
            _("Documents publiés"),
            b.table(
                [_("Type de document"), _("Nombre")],
                [[label(kind, "document_kind"), _num(n)] for kind, n in f.document_rows],
                [0.75, 0.25],
                [_("Total"), _num(f.documents_total)],
            ),
        )
    )
    press = [
        [_("Communiqués envoyés"), _num(f.press_sent)],
        [_("Adresses atteintes"), _num(f.press_reach)],
        [_("Envois refusés par le serveur destinataire"), _num(f.press_bounces)],
        [_("Désabonnements"), _num(f.press_unsubscribes)],
    ]
    story.append(b.section(_("Presse"), b.table([_("Indicateur"), _("Nombre")], press, [0.75, 0.25])))
    return story


def published(report, url: str) -> bytes:
    """The public PDF of a published bilan (an AnnualReport): its frozen texts and figures, nothing live."""
    snapshot = report.snapshot
    sheet = Sheet(
        club=current_app.config["CLUB_NAME"],
        figures=from_dict(snapshot["figures"]),
        introduction=snapshot.get("introduction", ""),
        highlights=snapshot.get("highlights", ""),
        url=url,
        generated_on=today(),
        status=_("Version publiée le %(day)s.", day=format_dt(report.published_at, "d MMMM y")),
    )
    return render(sheet, current_app.config.get("PDF_FONT_DIR"))


def render(sheet: Sheet, font_dir: str | None = None) -> bytes:
    """The bilan as PDF bytes."""
    fonts = Fonts(font_dir)
    buffer = io.BytesIO()
    width, height = A4
    frame = Frame(MARGIN, MARGIN + FOOTER_HEIGHT, width - 2 * MARGIN, height - 2 * MARGIN - FOOTER_HEIGHT, id="body")
    builder = _Builder(fonts, width - 2 * MARGIN)

    def footer(canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        left = _("Bilan %(year)d, %(club)s — %(url)s", year=sheet.figures.year, club=sheet.club, url=sheet.url)
        canvas.drawString(MARGIN, MARGIN, fonts.text(left)[:150])
        canvas.drawRightString(width - MARGIN, MARGIN, fonts.text(_("page %(n)s / %(total)s", n=number, total=total)))
        canvas.restoreState()

    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=fonts.text(_("Bilan %(year)d", year=sheet.figures.year)),
        author=fonts.text(sheet.club),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = _story(sheet, builder)
    story.insert(3, Spacer(1, 4))
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()
