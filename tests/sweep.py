"""Tools of the bad-input sweep: the forms of a page, the query parameters a page reads, hostile values."""

from html.parser import HTMLParser

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

#: what the sweep sends in query parameters, path segments and form fields
CONTROL = "a\x00b\x01c\x1b[31m\x7fd\x85e\u2028f"
HOSTILE = [
    CONTROL,
    "²",  # a digit for str.isdigit(), not for int()
    "٣",  # an Arabic-Indic digit: int() reads it as 3
    "2147483648",  # one more than a PostgreSQL integer holds
    "99999999999999999999",  # more than a 64-bit integer
    "x" * 100_000,  # 100 KB
]
#: in the fields people type text in (numbers go to the fields that hold ids, choices and numbers)
HOSTILE_TEXT = [CONTROL, "²", "x" * 100_000]
TEXT_KINDS = {"text", "textarea", "email", "password", "tel", "url", "search"}
#: path segments: NUL, huge numbers
HOSTILE_PATH = ["a%00b", "99999999999999999999", "2147483648"]
#: more for the fields of dates and times
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "00:00:60"]


class Form:
    def __init__(self, method: str, action: str):
        self.method = method
        self.action = action
        self.fields: list[dict] = []  # {name, kind, value, checked, options, maxlength}

    @property
    def names(self) -> list[str]:
        return sorted({f["name"] for f in self.fields})

    def field_kinds(self) -> dict[str, str]:
        return {f["name"]: f["kind"] for f in self.fields}


class FormParser(HTMLParser):
    """Every <form> of a page with its fields (inputs, textareas, selects, named buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            self._form.fields.append(
                {
                    "name": a["name"],
                    "kind": kind,
                    "value": a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                    "checked": "checked" in a,
                    "maxlength": int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
                    "required": "required" in a,
                }
            )
        elif tag == "button" and a.get("name"):
            self._form.fields.append({"name": a["name"], "kind": "button", "value": a.get("value", "")})
        elif tag == "textarea" and a.get("name"):
            self._textarea = {
                "name": a["name"],
                "kind": "textarea",
                "value": "",
                "maxlength": int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
                "required": "required" in a,
            }
            self._form.fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "kind": "select", "options": [], "value": None}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["value"] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# --- what a page reads from its query string ----------------------------------------------------

READ: set[str] = set()


class RecordingArgs(ImmutableMultiDict):
    """Request arguments that remember the names the page asked for."""

    def get(self, key, default=None, type=None):  # noqa: A002 - the MultiDict signature
        READ.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        READ.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs
