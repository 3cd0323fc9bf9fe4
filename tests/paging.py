"""Checks shared by the paged lists' tests: one page shown, the count of the whole, an accessible pager whose
links keep the filters, and a number of queries that does not grow with the number of rows."""

from urllib.parse import parse_qs, urlsplit

import html5lib

from tests.pages import NS, get_page


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def read_list(client, url: str, rows_xpath: str):
    """(the page's rows, its count line, the pager's links {label: query}, the current page's label)."""
    html = get_page(client, url).get_data(as_text=True)
    doc = html5lib.HTMLParser(namespaceHTMLElements=True).parse(html)
    rows = doc.findall(rows_xpath.replace("{ns}", NS))
    counts = [el for el in doc.iter(f"{NS}p") if "result-count" in (el.get("class") or "")]
    count = _text(counts[0]) if counts else ""
    navs = [el for el in doc.iter(f"{NS}nav") if el.get("aria-label") == "Pagination"]
    links, current = {}, None
    for nav in navs:
        for a in nav.iter(f"{NS}a"):
            query = {k: v[0] for k, v in parse_qs(urlsplit(a.get("href")).query).items()}
            links[_text(a)] = query
            if a.get("aria-current") == "page":
                current = _text(a)
    return rows, count, links, current


def assert_flat(count_queries, client, url: str, add_rows, n: int) -> int:
    """The page costs as many queries with `n` rows as with `3 n` (`add_rows(k)` adds k rows): returns it."""
    add_rows(n)
    get_page(client, url)  # warm what is kept per process
    with count_queries() as few:
        get_page(client, url)
    add_rows(2 * n)
    get_page(client, url)
    with count_queries() as many:
        get_page(client, url)
    assert few.count == many.count, (few.statements, many.statements)
    return few.count


def row_adder(db, make):
    """A fixture's `add(n, **fields)` for a list's rows: `make(k, **fields)` builds the k-th row (or a list of
    rows that go with it), k counting from 1 across calls; each call's rows are committed together."""
    made = 0

    def add(n: int, **fields) -> list:
        nonlocal made
        rows = []
        for k in range(made + 1, made + n + 1):
            built = make(k, **fields)
            rows.extend(built if isinstance(built, list) else [built])
        made += n
        db.session.add_all(rows)
        db.session.commit()
        return rows

    return add


def row_text(row) -> str:
    """A table row's text, as one string."""
    return "".join(row.itertext())
