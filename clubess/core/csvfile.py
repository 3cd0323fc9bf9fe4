"""CSV exports that open cleanly in a French spreadsheet and cannot smuggle formulas.

Every export to a spreadsheet (CSV here, XLSX if one comes) writes its cells through `safe_cell`: a cell
that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a line break, after
spaces or not) gets a leading apostrophe, which spreadsheets show as text. `unescape_cell` takes it off
again, so a file that is also an import format (the practices CSV) goes round without a change.
"""

import csv
import io

from flask import Response, current_app

#: a cell starting with one of these is read as a formula by spreadsheets (CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def _is_escaped(text: str) -> bool:
    """A leading apostrophe that `neutralise` added: before a formula, or before another apostrophe."""
    return text.startswith("'") and (is_formula(text[1:]) or text[1:].startswith("'"))


def neutralise(text: str) -> str:
    """The text as a spreadsheet shows it, never run: an apostrophe before a formula (and before a text that
    already starts with an apostrophe that `unescape_cell` would take off)."""
    return "'" + text if is_formula(text) or _is_escaped(text) else text


def unescape_cell(text: str) -> str:
    """The text `neutralise` was given: unescape_cell(neutralise(t)) == t for every text."""
    return text[1:] if _is_escaped(text) else text


def safe_cell(value) -> str:
    return neutralise("" if value is None else str(value))


def csv_response(header: list[str], rows, filename: str) -> Response:
    """UTF-8 with a BOM and `;` separators: what Excel in French expects, and LibreOffice reads."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def csv_stream(header: list[str], chunks, filename: str) -> Response:
    """`csv_response`, written a chunk of rows at a time: `chunks` yields lists of rows (read from the database
    a few hundred at a time), so the export of 12,000 registrations never holds the whole file in memory.

    The chunks are read after the view has returned, each in an application context of its own (its own
    database session, closed after it), so that a chunk never holds ORM objects across two of them; what they
    need of the request (the language, the time zone) must be read before, in the view."""
    app = current_app._get_current_object()
    chunks = iter(chunks)

    def lines():
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        out.write("\ufeff")
        writer.writerow(header)
        while True:
            with app.app_context():
                rows = next(chunks, None)
                if rows is None:
                    break
                for row in rows:
                    writer.writerow([safe_cell(v) for v in row])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    return Response(
        lines(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
