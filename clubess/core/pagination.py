"""The pagination macro's interface (as Flask-SQLAlchemy's `Pagination`) for results paged in Python: a search
engine's ranked list knows its `total`, `page` and `per_page`, and this gives it the rest."""

import math

import sqlalchemy as sa


class PageWindow:
    """Mixed into a result that has `total`, `page` and `per_page` attributes."""

    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=1, right_edge=1, left_current=2, right_current=2):
        """Page numbers around the current one and at both ends; None where numbers are skipped (an ellipsis)."""
        last = 0
        for n in range(1, self.pages + 1):
            if (
                n <= left_edge
                or self.page - left_current <= n <= self.page + right_current
                or n > self.pages - right_edge
            ):
                if last + 1 != n:
                    yield None
                yield n
                last = n


def page_links(build_url, page: int, pages: int) -> dict[str, str]:
    """The links of a paged API answer or feed (`self`, `first`, `last`, and `prev`/`next` when there are);
    `build_url(page)` gives a page's absolute URL with the request's other arguments."""
    links = {"self": build_url(page), "first": build_url(1), "last": build_url(pages)}
    if page > 1:
        links["prev"] = build_url(min(page - 1, pages))
    if page < pages:
        links["next"] = build_url(page + 1)
    return links


def link_header(links: dict[str, str]) -> str:
    """RFC 8288 `Link` header of the same links."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())


class Page(PageWindow):
    """One page of rows that Flask-SQLAlchemy's `paginate` cannot give (rows of several columns or entities)."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        self.items, self.total, self.page, self.per_page = items, total, page, per_page


def paginate_rows(session, stmt, page: int, per_page: int, total: int | None = None) -> Page:
    """A page of `stmt`'s rows (two queries: the count, the page; one when the caller knows `total`), as
    `db.paginate` does for one entity: a page past the last is empty, never an error."""
    page = max(1, page)
    if total is None:
        total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.execute(stmt.limit(per_page).offset((page - 1) * per_page))) if total else []
    return Page(items, total, page, per_page)
