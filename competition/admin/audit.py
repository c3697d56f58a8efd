"""The audit log (操作日志): who did what and when, for organizers and for a university's admins."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from ..pagination import page_request
from ..permissions import can_read_audit_log, require
from ..services import audit
from . import bp


@bp.get("/audit")
@login_required
def audit_log():
    require(can_read_audit_log(current_user))
    page = page_request(request.args)
    found = audit.list_entries(user=current_user, page=page)
    return render_template("admin/audit.html", entries=found.items, total=found.total, page=page)
