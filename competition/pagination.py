"""Page parameters of list endpoints: ``page`` from 1, ``per_page`` default 50, at most 500."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def fetch_page(stmt, page: PageRequest | None) -> Page:
    """Run ``stmt`` for one page of rows, with the total count of all of them."""
    from .extensions import db

    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return page_of(list(db.session.scalars(paginate(stmt, page))), total, page)
