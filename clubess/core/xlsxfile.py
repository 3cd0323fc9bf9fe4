"""Spreadsheet exports in CSV or XLSX, by the same rules: formula-safe cells, French dates, one download.

CSV goes through `core/csvfile.py`. XLSX is written by XlsxWriter with every text cell stored as text
(`write_string`: never a formula, whatever it starts with) and, when a spreadsheet would read it as a
formula once edited, with Excel's *quote prefix* style, so it stays text there too. Dates are real dates
(and datetimes, moved to the club's time zone, real date-times): a spreadsheet sorts and filters them.
"""

import io
from datetime import date, datetime

import xlsxwriter
from flask import Response

from clubess.core.csvfile import csv_response, is_formula
from clubess.core.timezone import tz

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _local(value: datetime) -> datetime:
    """A naive local date-time (XLSX has no time zone); aware values are moved to the club's zone first."""
    return value.astimezone(tz()).replace(tzinfo=None) if value.tzinfo else value


def csv_value(value):
    """How a CSV cell shows a date (dd/mm/yyyy) or a date-time (dd/mm/yyyy hh:mm, club's time)."""
    if isinstance(value, datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def xlsx_bytes(header: list[str], rows, sheet: str = "Export") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = book.add_format({"bold": True})
    text = book.add_format({"quote_prefix": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    ws = book.add_worksheet(sheet[:31])
    widths = [min(max(len(str(h)), 10), 40) for h in header]
    for col, name in enumerate(header):
        ws.write_string(0, col, str(name), bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                ws.write_datetime(count, col, _local(value), moment)
            elif isinstance(value, date):
                ws.write_datetime(count, col, value, day)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(count, col, value)
            else:
                value = str(value)
                ws.write_string(count, col, value, text if is_formula(value) else None)
                if col < len(widths):
                    widths[col] = min(max(widths[col], len(value)), 40)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width + 2)
    ws.freeze_panes(1, 0)
    if header:
        ws.autofilter(0, 0, count, len(header) - 1)
    book.close()
    return out.getvalue()


def spreadsheet_response(fmt: str, header: list[str], rows, basename: str) -> Response:
    """`basename.csv` or `basename.xlsx` as an attachment; `fmt` is one of FORMATS (the view checks it)."""
    if fmt == "csv":
        return csv_response(header, ([csv_value(v) for v in row] for row in rows), f"{basename}.csv")
    return Response(
        xlsx_bytes(header, rows),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{basename}.xlsx"', "Cache-Control": "no-store"},
    )
