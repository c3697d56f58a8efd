"""Which item of the top navigation the page being served belongs to, so base.html can highlight it and mark
it ``aria-current``.

A page's section follows the blueprint that served it (every judging console and leaderboard is part of
"Competitions"); a few URL rules inside a blueprint belong to another item: the admin blueprint holds three
menu items, and a staff member's own participation (/coverage/me) is not the coverage dashboards. Rules are
matched on the route's pattern (``request.url_rule.rule``), never on the address typed, and a prefix matches
only whole path segments, so new routes under /admin/users/... join "Accounts" without changing this file.
"""

from __future__ import annotations

from flask import request

HOME = "home"
COMPETITIONS = "competitions"
REGISTRATIONS = "registrations"
SCORE_SHEETS = "score-sheets"
STAFF = "staff"
COVERAGE = "coverage"
PARTICIPATION = "participation"
UNIVERSITIES = "universities"
ACCOUNTS = "accounts"
AUDIT = "audit"

# Route patterns whose section is not their blueprint's; checked first.
RULE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("/coverage/me", PARTICIPATION),
    ("/exams/<int:round_id>", REGISTRATIONS),  # a staff member sitting a test: their own registrations
    ("/exams/attempts", REGISTRATIONS),
    ("/admin/universities", UNIVERSITIES),
    ("/admin/users", ACCOUNTS),
    ("/admin/audit", AUDIT),
)

BLUEPRINT_SECTIONS: dict[str, str] = {
    "main": HOME,
    "competitions": COMPETITIONS,
    "judging": COMPETITIONS,
    "results": COMPETITIONS,
    "registration": REGISTRATIONS,
    "judge": SCORE_SHEETS,
    "staff": STAFF,
    "coverage": COVERAGE,
    "exams": COMPETITIONS,
}

# Pages of a blueprint that are no section of the menu (the health check is not a page).
NO_SECTION_ENDPOINTS = frozenset({"main.healthz"})


def _under(rule: str, prefix: str) -> bool:
    """``rule`` is ``prefix`` or a route below it: /admin/users/<int:user_id>/disable, /admin/audit.xlsx."""
    return rule == prefix or rule.startswith((prefix + "/", prefix + "."))


def section_for(blueprint: str | None, endpoint: str | None, rule: str | None) -> str | None:
    """The menu item of a page served by ``endpoint`` of ``blueprint`` under the route pattern ``rule``;
    None for pages outside the menu (log-in, change password, errors, static files)."""
    if endpoint in NO_SECTION_ENDPOINTS:
        return None
    if rule:
        for prefix, section in RULE_SECTIONS:
            if _under(rule, prefix):
                return section
    return BLUEPRINT_SECTIONS.get(blueprint or "")


def current_section() -> str | None:
    """The section of the request being served (a template global: ``nav_section()``)."""
    rule = request.url_rule.rule if request.url_rule is not None else None
    return section_for(request.blueprint, request.endpoint, rule)
