"""What every PDF of the platform needs (ReportLab): fonts that write French, and pages numbered « page 2 / 5 ».

Fonts: DejaVu Sans when Debian's `fonts-dejavu-core` is installed (`PDF_FONT_DIR`, thousands of glyphs:
Vietnamese, Hungarian… names come out right), else the Bitstream Vera fonts that ReportLab ships (French
accents, œ, « », ’ and most of Latin Extended). No font file is kept in this repository. A character the
chosen font lacks is written as its closest letter (ő → o) rather than as an empty box.
"""

import os
import unicodedata
from functools import lru_cache

import reportlab
from flask import current_app
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

REGULAR, BOLD = "ClubessSans", "ClubessSans-Bold"
#: (regular, bold) file names in PDF_FONT_DIR
DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
VERA = ("Vera.ttf", "VeraBd.ttf")
#: typographic spaces and hyphens a font may lack, and what stands in for them
STAND_INS = {"\u202f": "\u00a0", "\u2009": " ", "\u2007": "\u00a0", "\u2010": "-", "\u2011": "-", "\u2212": "-"}


def font_files(font_dir: str | None) -> tuple[str, str]:
    """The regular and bold font files to use: DejaVu from `font_dir` when both are there, else Vera."""
    if font_dir:
        found = tuple(os.path.join(font_dir, name) for name in DEJAVU)
        if all(os.path.isfile(path) for path in found):
            return found  # type: ignore[return-value]
    vera_dir = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return tuple(os.path.join(vera_dir, name) for name in VERA)  # type: ignore[return-value]


@lru_cache(maxsize=4)
def _register(regular: str, bold: str) -> tuple[str, str, frozenset[int]]:
    suffix = "-" + os.path.splitext(os.path.basename(regular))[0]
    names = (REGULAR + suffix, BOLD + suffix)
    for name, path in zip(names, (regular, bold), strict=True):
        pdfmetrics.registerFont(TTFont(name, path))
    glyphs = frozenset(pdfmetrics.getFont(names[0]).face.charToGlyph)
    return names[0], names[1], glyphs


class Fonts:
    """The registered regular and bold fonts of this app, and `text()` to keep a string within their glyphs."""

    def __init__(self, font_dir: str | None = None):
        self.regular, self.bold, self._glyphs = _register(*font_files(font_dir))

    @classmethod
    def of_app(cls) -> "Fonts":
        return cls(current_app.config.get("PDF_FONT_DIR"))

    def text(self, value) -> str:
        """The string with every character the font can draw (stand-ins for the others)."""
        text = "" if value is None else str(value)
        if all(ord(c) in self._glyphs or c in "\n\t" for c in text):
            return text
        return "".join(self._char(c) for c in text)

    def _char(self, c: str) -> str:
        if ord(c) in self._glyphs or c in "\n\t":
            return c
        if c in STAND_INS and ord(STAND_INS[c]) in self._glyphs:
            return STAND_INS[c]
        base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
        if base and all(ord(ch) in self._glyphs for ch in base):
            return base
        return "?"


def numbered_canvas(draw_page):
    """A canvas class that knows the page count when each page is drawn: `draw_page(canvas, number, total)`
    is called for every page once the document is laid out (for « page 2 / 5 » and repeated headers)."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_page(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
