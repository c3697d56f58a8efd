"""Page parameters of list endpoints: ``page`` from 1, ``per_page`` default 50, at most 500; one page of rows
with their count (``fetch_page``, which may stop counting at a limit); and the page numbers a pager shows
(``page_links``; the macro ``pager`` in ``templates/_macros.html`` draws them)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import func, literal_column, select

from .errors import ServiceError

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_request(args) -> PageRequest:
    """Read ``page``/``per_page``; a malformed value is a 400, never silently replaced."""
    try:
        page = int(args.get("page", 1))
        per_page = int(args.get("per_page", DEFAULT_PER_PAGE))
    except (TypeError, ValueError):
        raise ServiceError(_("page and per_page must be whole numbers."), code="bad_request") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ServiceError(
            _("page starts at 1; per_page is between 1 and %(m)d.", m=MAX_PER_PAGE), code="bad_request"
        )
    return PageRequest(page, per_page)


def paginate(stmt, page: PageRequest | None):
    """``stmt`` limited to one page; ``None`` means every row (exports)."""
    return stmt if page is None else stmt.offset(page.offset).limit(page.per_page)


def page_of(items: list, total: int, page: PageRequest | None) -> Page:
    if page is None:
        return Page(items=items, total=total, page=1, per_page=max(total, 1))
    return Page(items=items, total=total, page=page.page, per_page=page.per_page)


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int
    # The count stopped at a limit (``fetch_page(count_limit=...)``): there are more than ``total`` rows, and
    # the pages reach only the first ``total`` of them.
    more: bool = False

    @property
    def pages(self) -> int:
        return pages_for(self.total, self.per_page)


def pages_for(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill, at least one: ``pages_for(0, 50) == 1``, 101 rows fill 3."""
    return max(1, -(-total // per_page))


def within(page: PageRequest, total: int) -> PageRequest:
    """``page`` moved back to the last page when it lies beyond it (a bookmark after rows went away): pages
    show the last rows rather than an empty list. The API keeps the page asked for (an empty ``items``)."""
    last = pages_for(total, page.per_page)
    return page if page.page <= last else PageRequest(last, page.per_page)


def count_rows(stmt, *, at_most: int | None = None) -> int:
    """How many rows ``stmt`` gives, counting at most ``at_most + 1`` of them (``at_most + 1``: "more").

    The count runs over ``stmt`` without its ORDER BY, selecting a constant rather than the rows' columns
    (SQLite would build every column of every row it counts); the LIMIT inside lets it stop early, so a count
    over a year of rows costs what ``at_most`` rows cost.
    """
    from .extensions import db

    inner = stmt.order_by(None)
    # Over a constant, DISTINCT or GROUP BY would count otherwise (no public accessor for them in SQLAlchemy)
    if not (inner._distinct or inner._group_by_clauses):
        inner = inner.with_only_columns(literal_column("1"), maintain_column_froms=True)
    if at_most is not None:
        inner = inner.limit(at_most + 1)
    return db.session.scalar(select(func.count()).select_from(inner.subquery())) or 0


def fetch_page(
    stmt, page: PageRequest | None, *, clamp: bool = False, count_limit: int | None = None
) -> Page:
    """Run ``stmt`` for one page of rows, with the total count of all of them; ``clamp`` moves a page beyond
    the last one back to the last (``within``).

    ``count_limit`` bounds the count (``count_rows``) and so the pages: past it the page says ``more``, its
    ``total`` is the limit, the pages hold the first ``count_limit`` rows and a page asked for beyond them
    shows the last one. A first page that is not full needs no count at all: its rows are all there are.
    """
    from .extensions import db

    items = None
    if page is not None and page.page == 1:
        items = list(db.session.scalars(paginate(stmt, page)))
        if len(items) < page.per_page:
            return page_of(items, len(items), page)
    total = count_rows(stmt, at_most=count_limit)
    more = count_limit is not None and total > count_limit
    total = count_limit if more else total
    if page is not None and (clamp or more) and within(page, total) != page:
        page, items = within(page, total), None
    if items is None:
        items = list(db.session.scalars(paginate(stmt, page)))
    if more and page is not None:  # the last page within the limit ends at it
        items = items[: max(0, total - page.offset)]
    return replace(page_of(items, total, page), more=more)


def page_links(current: int, pages: int, *, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last, and ``around`` on each side of ``current``;
    ``None`` stands for the gap ("…") between them. A gap never hides a single page (it is shown instead).

    ``page_links(1, 1) == [1]``; ``page_links(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]``;
    ``page_links(4, 20) == [1, 2, 3, 4, 5, 6, None, 20]`` (page 2 is shown rather than a gap of one page);
    ``page_links(1, 7) == [1, 2, 3, None, 7]``. A current page outside 1..pages is brought within it.
    """
    pages = max(1, pages)
    current = min(max(1, current), pages)
    shown = {1, pages, *range(max(1, current - around), min(pages, current + around) + 1)}
    links: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous == 2:
            links.append(number - 1)  # a gap of one page: show that page instead of "…"
        elif number - previous > 2:
            links.append(None)
        links.append(number)
        previous = number
    return links
