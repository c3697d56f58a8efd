"""The audit log (操作日志): who did what and when, in words, for organizers and for a university's admins;
filtered by who, action, object and dates, and exported to Excel."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..audit_words import COMMON_ACTIONS, OBJECT_KINDS, action_choices, label_of
from ..clock import local_today
from ..downloads import xlsx_response
from ..pagination import PageRequest, count_rows, page_request
from ..permissions import can_read_audit_log, require
from ..services import audit, audit_export
from ..services import audit_log as lines
from . import bp

# The quick date ranges above the log: (days back, including today; its words).
_RANGES = ((1, _l("Today")), (7, _l("Last 7 days")), (30, _l("Last 30 days")))


def _quick_links(filters: audit.AuditFilters) -> dict:
    """One-click filters that keep the others: date ranges ending today, and the common actions."""
    today = local_today()
    args = filters.args()
    dates = []
    for days, words in _RANGES:
        start = today - timedelta(days=days - 1)
        chosen = filters.date_from == start and filters.date_to == today
        target = {**args, "from": start.isoformat(), "to": today.isoformat()}
        if chosen:  # pressed again: every date
            target = {k: v for k, v in args.items() if k not in ("from", "to")}
        dates.append({"text": str(words), "url": url_for(".audit_log", **target), "on": chosen})
    actions = []
    for code in COMMON_ACTIONS:
        chosen = filters.action == code
        target = {k: v for k, v in args.items() if k != "action"} if chosen else {**args, "action": code}
        actions.append({"text": label_of(code), "url": url_for(".audit_log", **target), "on": chosen})
    return {"dates": dates, "actions": actions}


@bp.get("/audit")
@login_required
def audit_log():
    require(can_read_audit_log(current_user))
    filters = audit.read_filters(request.args)
    page = page_request(request.args)
    found = lines.page_of_lines(user=current_user, filters=filters, page=page)
    return render_template(
        "admin/audit.html",
        days=lines.by_day(found.items),
        total=found.total,
        more=found.more,  # the count stopped at ``total`` (the newest lines the pages reach)
        page=PageRequest(found.page, found.per_page),
        filters=filters,
        choices=action_choices(),
        kinds=OBJECT_KINDS,
        quick=_quick_links(filters),
        cap=audit_export.EXPORT_CAP,
        export_url=url_for(".export_audit_log", **filters.args()),
    )


@bp.get("/audit.xlsx")
@login_required
def export_audit_log():
    require(can_read_audit_log(current_user))
    filters = audit.read_filters(request.args)
    # Counted in full (the file says "20,000 of 370,000"): a few tens of ms beside the seconds of writing it.
    total = count_rows(audit.audit_query(user=current_user, filters=filters))
    data = audit_export.export_workbook(user=current_user, filters=filters, total=total)
    return xlsx_response(data, f"{_('Audit log')}-{local_today().isoformat()}.xlsx")
