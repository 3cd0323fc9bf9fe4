"""Plain-text mail keeps its line breaks: with `trim_blocks` on, the newline after a block tag is removed, so a
line of text that ends with `{% endif %}` or `{% endfor %}` runs into the next one ("… (Achats responsables)2.
Visiter …"). Such a line must end with `+%}` (or its tag move to a line of its own)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "templates"
TAG = re.compile(r"\{%.*?%\}")
#: a block ends the text it belongs to (a subject, a footer): what follows is another block
ENDBLOCK = re.compile(r"\{% *endblock *%\}$")


def lines_that_lose_their_break(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.rstrip()
        if not stripped.endswith("%}") or stripped.endswith(("+%}", "-%}")) or ENDBLOCK.search(stripped):
            continue
        if TAG.sub("", stripped).strip():  # text or an expression before the final tag: its newline goes
            found.append(f"{path.relative_to(ROOT)}:{number}: {stripped[:100]}")
    return found


def test_no_text_mail_line_runs_into_the_next():
    found = [line for path in sorted(ROOT.rglob("*.txt")) for line in lines_that_lose_their_break(path)]
    assert found == []
