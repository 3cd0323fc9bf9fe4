"""The sign-in sheet (feuille d'émargement) of a meeting: an A4 portrait PDF to print and sign.

Who is on it: the registered people (status registered: not the waiting list, not an offer awaiting an
answer, not an unconfirmed guest, not a cancellation), members grouped by collectivity, guests by their
organisation, each group and each person in French alphabetical order. A hybrid meeting's online
participants cannot sign a sheet in the room: they are left out, and the sheet says how many. Walk-ins
already noted are left out too (they sign one of the empty lines at the end).

Built with ReportLab (see the README for why): the header (title, date, place) and the footer (total, « page
2 / 5 ») are drawn on every page once the page count is known.
"""

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import selectinload

from clubess.core.pdf import Fonts, numbered_canvas
from clubess.core.permissions import Role, require_role
from clubess.core.templating import format_dt
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings.attendance import group_name, person_sort_key, sort_text
from clubess.meetings.models import AttendMode, Meeting, MeetingFormat, Registration, RegistrationStatus

#: the empty lines for walk-ins: a tenth of the registrants, at least this many, at most MAX_BLANK_LINES
MIN_BLANK_LINES = 10
MAX_BLANK_LINES = 200
MARGIN = 15 * mm
HEADER_HEIGHT = 27 * mm
FOOTER_HEIGHT = 12 * mm
#: a row high enough to sign in
ROW_HEIGHT = 11 * mm
#: a function longer than this is cut (the row keeps its height)
MAX_FUNCTION = 110


@dataclass
class SheetPerson:
    name: str
    function: str
    collectivity: str


@dataclass
class SheetGroup:
    title: str
    people: list[SheetPerson] = field(default_factory=list)


@dataclass
class Sheet:
    meeting: Meeting
    members: list[SheetGroup]
    guests: list[SheetGroup]
    #: a hybrid meeting's registrants following online, not on the sheet
    online_left_out: int
    blank_lines: int

    @property
    def total(self) -> int:
        return sum(len(g.people) for g in self.members + self.guests)


def default_blank_lines(total: int) -> int:
    return min(MAX_BLANK_LINES, max(MIN_BLANK_LINES, -(-total // 10)))


def _function(registration: Registration) -> str:
    member = registration.member
    text = member.function if member is not None else ""
    if registration.on_behalf_of is not None:
        stand_in = _("pour %(name)s", name=registration.on_behalf_of.full_name)
        text = f"{text} · {stand_in}" if text else stand_in
    return text if len(text) <= MAX_FUNCTION else text[: MAX_FUNCTION - 1] + "…"


def _groups(rows: list[Registration], untitled: str) -> list[SheetGroup]:
    groups: dict[str, SheetGroup] = {}
    for r in sorted(rows, key=lambda r: (sort_text(group_name(r)), person_sort_key(r))):
        title = group_name(r) or untitled
        group = groups.setdefault(title, SheetGroup(title))
        group.people.append(SheetPerson(r.name, _function(r), group_name(r)))
    return list(groups.values())


def build_sheet(actor, meeting: Meeting, blank_lines: int | None = None) -> Sheet:
    """Who goes on the sheet (4 queries whatever the number of registrants)."""
    require_role(actor, Role.COORDINATOR)
    rows = db.session.scalars(
        sa.select(Registration)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.is_walk_in.is_(False),
        )
        .options(
            selectinload(Registration.member),
            selectinload(Registration.collectivity),
            selectinload(Registration.on_behalf_of),
        )
    ).all()
    hybrid = meeting.format == MeetingFormat.HYBRID
    online = [r for r in rows if hybrid and r.mode == AttendMode.ONLINE]
    in_room = [r for r in rows if not (hybrid and r.mode == AttendMode.ONLINE)]
    members = [r for r in in_room if not r.is_guest]
    guests = [r for r in in_room if r.is_guest]
    total = len(in_room)
    if blank_lines is None:
        blank_lines = default_blank_lines(total)
    return Sheet(
        meeting=meeting,
        members=_groups(members, _("Collectivité non renseignée")),
        guests=_groups(guests, _("Sans organisation")),
        online_left_out=len(online),
        blank_lines=max(0, min(MAX_BLANK_LINES, blank_lines)),
    )


def _place(meeting: Meeting) -> str:
    if meeting.format == MeetingFormat.ONLINE:
        return _("En ligne")
    place = ", ".join(p for p in (meeting.venue, meeting.address) if p)
    if meeting.format == MeetingFormat.HYBRID:
        return _("%(place)s, et en ligne", place=place) if place else _("En ligne et sur place")
    return place


def _when(meeting: Meeting) -> str:
    day = format_dt(meeting.starts_at, "EEEE d MMMM y")
    return f"{day}, {format_dt(meeting.starts_at, 'HH:mm')}–{format_dt(meeting.ends_at, 'HH:mm')}"


def _count(total: int) -> str:
    return ngettext("%(num)d personne inscrite", "%(num)d personnes inscrites", total)


class _Layout:
    """The page furniture and styles of one sheet."""

    def __init__(self, sheet: Sheet, fonts: Fonts):
        self.sheet, self.fonts = sheet, fonts
        self.club = current_app.config.get("CLUB_NAME", "")
        self.title = fonts.text(sheet.meeting.title)
        self.when = fonts.text(_when(sheet.meeting))
        self.place = fonts.text(_place(sheet.meeting))
        self.heading = fonts.text(_("Feuille d’émargement"))
        self.total = fonts.text(_("Total : %(count)s", count=_count(sheet.total)))
        base = {"fontName": fonts.regular, "fontSize": 9, "leading": 11}
        self.cell = ParagraphStyle("cell", **base)
        self.small = ParagraphStyle("small", **{**base, "fontSize": 8, "leading": 9.5})
        self.head = ParagraphStyle("head", **{**base, "fontName": fonts.bold})
        self.h2 = ParagraphStyle(
            "h2", fontName=fonts.bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4, keepWithNext=1
        )
        self.h3 = ParagraphStyle(
            "h3", fontName=fonts.bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2, keepWithNext=1
        )
        self.intro = ParagraphStyle("intro", **{**base, "fontSize": 10, "leading": 13, "spaceAfter": 3})

    def p(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(self.fonts.text(text)), style)

    def draw_page(self, canvas, number: int, total: int) -> None:
        width, height = A4
        f = self.fonts
        canvas.saveState()
        top = height - MARGIN
        canvas.setFont(f.regular, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, top, f.text(self.club))
        canvas.setFont(f.bold, 9)
        canvas.drawRightString(width - MARGIN, top, self.heading)
        canvas.setFillColor(colors.black)
        canvas.setFont(f.bold, 13)
        y = top - 6 * mm
        for line in simpleSplit(self.title, f.bold, 13, width - 2 * MARGIN)[:2]:
            canvas.drawString(MARGIN, y, line)
            y -= 5.5 * mm
        canvas.setFont(f.regular, 9)
        details = f"{self.when} · {self.place}" if self.place else self.when
        canvas.drawString(MARGIN, y, simpleSplit(details, f.regular, 9, width - 2 * MARGIN)[0])
        canvas.setStrokeColor(colors.grey)
        canvas.line(
            MARGIN, height - MARGIN - HEADER_HEIGHT + 3 * mm, width - MARGIN, height - MARGIN - HEADER_HEIGHT + 3 * mm
        )
        canvas.line(MARGIN, MARGIN + FOOTER_HEIGHT - 4 * mm, width - MARGIN, MARGIN + FOOTER_HEIGHT - 4 * mm)
        canvas.setFont(f.regular, 8)
        canvas.drawString(MARGIN, MARGIN, self.total)
        canvas.drawRightString(width - MARGIN, MARGIN, f.text(_("page %(n)d / %(total)d", n=number, total=total)))
        canvas.restoreState()

    def table(self, header: list[str], rows: list[list], widths: list[float]) -> Table:
        data = [[self.p(h, self.head) for h in header]] + rows
        table = Table(data, colWidths=widths, rowHeights=[None] + [ROW_HEIGHT] * len(rows), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#666666")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return table

    def group_table(self, group: SheetGroup, organisation: bool) -> Table:
        header = [_("Nom"), _("Fonction"), _("Organisation") if organisation else _("Collectivité"), _("Signature")]
        rows = [
            [
                self.p(person.name, self.cell),
                self.p(person.function, self.small),
                self.p(person.collectivity, self.small),
                "",
            ]
            for person in group.people
        ]
        return self.table(header, rows, [52 * mm, 48 * mm, 40 * mm, 40 * mm])

    def story(self) -> list:
        sheet = self.sheet
        story = [self.p(_("Total : %(count)s.", count=_count(sheet.total)), self.intro)]
        if sheet.online_left_out:
            story.append(
                self.p(
                    ngettext(
                        "%(num)d personne inscrite suit la rencontre en ligne : elle ne figure pas sur cette feuille.",
                        "%(num)d personnes inscrites suivent la rencontre en ligne : elles ne figurent pas sur "
                        "cette feuille.",
                        sheet.online_left_out,
                    ),
                    self.intro,
                )
            )
        if not sheet.total:
            story.append(self.p(_("Aucune personne inscrite à émarger."), self.intro))
        for groups, title, organisation in (
            (sheet.members, _("Collectivités membres"), False),
            (sheet.guests, _("Inscriptions publiques, par organisation"), True),
        ):
            if not groups:
                continue
            story.append(self.p(title, self.h2))
            for group in groups:
                story.append(self.p(f"{group.title} ({_count(len(group.people))})", self.h3))
                story.append(self.group_table(group, organisation))
        if sheet.blank_lines:
            story.append(self.p(_("Personnes venues sans inscription"), self.h2))
            story.append(self.p(_("Merci d’écrire lisiblement ; l’adresse électronique est facultative."), self.small))
            story.append(Spacer(1, 2 * mm))
            header = [_("Nom"), _("Fonction"), _("Organisation"), _("Adresse électronique"), _("Signature")]
            rows = [["", "", "", "", ""] for _i in range(sheet.blank_lines)]
            story.append(self.table(header, rows, [42 * mm, 33 * mm, 37 * mm, 38 * mm, 30 * mm]))
        return story


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as PDF bytes (A4 portrait)."""
    fonts = Fonts.of_app()
    layout = _Layout(sheet, fonts)
    out = io.BytesIO()
    width, height = A4
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=fonts.text(f"{layout.heading} — {sheet.meeting.title}"),
        author=fonts.text(layout.club),
        subject=layout.heading,
        creator="clubess",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame])])
    doc.build(layout.story(), canvasmaker=numbered_canvas(layout.draw_page))
    return out.getvalue()


def filename(meeting: Meeting) -> str:
    return f"emargement-rencontre-{meeting.id}-{meeting.starts_at.astimezone(tz()):%Y-%m-%d}.pdf"
