"""Finds stored codes (statuses, kinds, roles…) shown to people instead of their labels."""

import re

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
#: elements whose text nobody reads as prose (code samples are shown as such on purpose)
SKIPPED = {"script", "style", "code", "pre", "textarea"}
SEPARATORS = re.compile(r"[\n·,;:()\[\]—–/|«»\"“”]")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+")


def known_codes() -> set[str]:
    """Every code of every registered vocabulary whose label is not the code itself."""
    from clubess.core.labels import vocabularies

    codes, texts = set(), set()
    for labels in vocabularies().values():
        for code, text in labels.items():
            texts.add(str(text))
            if isinstance(code, str):
                codes.add(code)
    return codes - texts  # a word that is also a label somewhere (« membre ») proves nothing


def _texts(root):
    def walk(el, skipped):
        tag = el.tag.replace(NS, "") if isinstance(el.tag, str) else ""
        inside = skipped or tag in SKIPPED
        if not inside and el.text:
            yield el.text
        for child in el:
            yield from walk(child, inside)
            if not inside and child.tail:
                yield child.tail

    yield from walk(root, False)


def raw_codes_in_html(html: str, codes: set[str]) -> set[str]:
    """The codes that appear as a whole piece of visible text, or as an identifier_with_underscores."""
    root = html5lib.parse(html, namespaceHTMLElements=True)
    found = set()
    for text in _texts(root):
        text = ADDRESSES.sub(" ", text)
        for chunk in SEPARATORS.split(text):
            if chunk.strip() in codes:
                found.add(chunk.strip())
        found |= {word for word in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text) if word in codes}
    return found


def raw_codes_in_csv(text: str, codes: set[str]) -> set[str]:
    return {cell.strip() for line in text.splitlines() for cell in line.split(";") if cell.strip() in codes}
