"""The top navigation: the section of the page shown is highlighted and marked aria-current, for every role;
it stays expanded from 992 px (navbar-expand-lg); the brand has a short form for phones."""

from __future__ import annotations

import re

import pytest

from competition import navigation
from competition.navigation import section_for
from tests.builders import login_as, make_competition

NAV = re.compile(r'<nav class="navbar[^"]*".*?</nav>', re.S)
SECTION_LINK = re.compile(
    r'<a class="nav-link( active)?" href="([^"]*)" data-section="([^"]+)"([^>]*)>(.*?)</a>', re.S
)


def menu_of(html: str) -> list[tuple[str, bool, str]]:
    """The sections of the top menu: (section, marked current, words shown), in order."""
    nav = NAV.search(html)
    assert nav, "the page has no top navigation"
    items = []
    for active, _href, section, rest, inner in SECTION_LINK.findall(nav.group(0)):
        current = 'aria-current="page"' in rest
        assert bool(active) == current, f"{section}: highlighted and aria-current must go together"
        items.append((section, current, re.sub(r"<[^>]+>", "", inner).strip()))
    return items


def current_of(html: str) -> list[str]:
    return [section for section, current, _words in menu_of(html) if current]


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


# --- which section a route belongs to ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blueprint", "endpoint", "rule", "section"),
    [
        ("main", "main.index", "/", navigation.HOME),
        ("competitions", "competitions.list_entries", "/competitions/<int:id>/entries", "competitions"),
        ("judging", "judging.show_console", "/judging/<int:competition_id>/console", "competitions"),
        ("results", "results.leaderboard", "/results/<int:competition_id>/", "competitions"),
        ("registration", "registration.show_entry", "/my/entries/<int:entry_id>", "registrations"),
        ("judge", "judge.show_tablet", "/judge/", "score-sheets"),
        ("staff", "staff.import_roster", "/staff/<code>/import", "staff"),
        ("coverage", "coverage.show_university", "/coverage/<code>", "coverage"),
        ("coverage", "coverage.list_uncovered", "/coverage/<code>/uncovered", "coverage"),
        ("coverage", "coverage.show_mine", "/coverage/me", "participation"),
        ("admin", "admin.universities", "/admin/universities", "universities"),
        ("admin", "admin.users", "/admin/users", "accounts"),
        ("admin", "admin.disable_user", "/admin/users/<int:user_id>/disable", "accounts"),
        ("admin", "admin.audit_log", "/admin/audit", "audit"),
        ("admin", "admin.export_audit_log", "/admin/audit.xlsx", "audit"),
        ("auth", "auth.change_password", "/auth/password", None),
        ("main", "main.healthz", "/healthz", None),
        (None, None, None, None),  # a 404 page matched no route
    ],
)
def test_the_section_of_a_route(blueprint, endpoint, rule, section):
    assert section_for(blueprint, endpoint, rule) == section


def test_a_prefix_matches_whole_path_segments_only():
    assert section_for("admin", "admin.x", "/admin/usersettings") is None
    assert section_for("coverage", "coverage.x", "/coverage/meetings") == "coverage"


def test_every_page_route_belongs_to_a_section(app):
    """A new blueprint must say where it sits in the menu (api, auth and static files are outside it)."""
    outside = {"api", "auth", None}
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and rule.endpoint.split(".")[0] not in outside
        and section_for(rule.endpoint.split(".")[0], rule.endpoint, rule.rule) is None
        and rule.endpoint not in navigation.NO_SECTION_ENDPOINTS
    ]
    assert missing == []


# --- the menu on the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "path", "section"),
    [
        ("org", "/", "home"),
        ("org", "/competitions/", "competitions"),
        ("org", "/staff/ZJU/", "staff"),
        ("org", "/coverage/", "coverage"),
        ("org", "/coverage/ZJU", "coverage"),
        ("org", "/admin/universities", "universities"),
        ("org", "/admin/users", "accounts"),
        ("org", "/admin/audit", "audit"),
        ("zju_admin", "/", "home"),
        ("zju_admin", "/staff/ZJU/import", "staff"),
        ("zju_admin", "/coverage/ZJU", "coverage"),
        ("zju_admin", "/admin/users", "accounts"),
        ("zju_staff", "/my/", "registrations"),
        ("zju_staff", "/coverage/me", "participation"),
        ("zju_staff", "/competitions/", "competitions"),
        ("zju_judge", "/", "home"),
        ("zju_judge", "/competitions/", "competitions"),
    ],
)
def test_the_current_section_is_marked(client, world, username, path, section):
    login_as(client, username)
    assert current_of(get(client, path)) == [section]


def test_each_role_sees_its_own_sections(client, world):
    expected = {
        "org": ["home", "competitions", "staff", "coverage", "universities", "accounts", "audit"],
        "zju_admin": ["home", "competitions", "staff", "coverage", "accounts", "audit"],
        "zju_staff": ["home", "competitions", "registrations", "participation"],
        "zju_judge": ["home", "competitions", "score-sheets"],
    }
    for username, sections in expected.items():
        other = client.application.test_client()
        login_as(other, username)
        assert [section for section, _c, _w in menu_of(get(other, "/"))] == sections, username


def test_a_competitions_pages_are_in_competitions(client, world, contest):
    competition, _entries = contest
    login_as(client, "org")
    for path in (
        f"/competitions/{competition.id}",
        f"/competitions/{competition.id}/entries",
        f"/judging/{competition.id}/progress",
        f"/judging/{competition.id}/panel",
        f"/results/{competition.id}/",
    ):
        assert current_of(get(client, path)) == ["competitions"], path


def test_a_staff_members_registration_form_is_in_their_registrations(client, world):
    competition = make_competition(name="2026年青年教师教学竞赛")
    login_as(client, "zju_staff")
    assert current_of(get(client, f"/my/competitions/{competition.id}/register")) == ["registrations"]


def test_the_marked_item_speaks_the_pages_language(client, world):
    login_as(client, "org")
    menu = menu_of(get(client, "/admin/audit?lang=en"))
    assert ("audit", True, "Audit log") in menu
    assert ("home", False, "Home") in menu
    menu = menu_of(get(client, "/admin/audit?lang=zh_Hans_CN"))
    assert ("audit", True, "操作日志") in menu


def test_pages_outside_the_menu_mark_no_section(client, world):
    login_as(client, "zju_staff")
    html = get(client, "/auth/password")
    assert current_of(html) == []
    # the user menu's own item is the current one instead
    assert re.search(r'<a class="dropdown-item active" href="/auth/password"\s+aria-current="page">', html)
    login_page = client.application.test_client().get("/auth/login").get_data(as_text=True)
    assert menu_of(login_page) == []  # no sections before logging in
    assert "aria-current" not in NAV.search(login_page).group(0)


def test_only_one_item_is_ever_current(client, world):
    login_as(client, "org")
    html = get(client, "/coverage/ZJU")
    assert NAV.search(html).group(0).count('aria-current="page"') == 1


# --- layout -------------------------------------------------------------------------------------------------


def test_the_menu_stays_expanded_from_992_px(client, world):
    login_as(client, "org")
    nav = NAV.search(get(client, "/")).group(0)
    classes = re.match(r'<nav class="([^"]*)"', nav).group(1).split()
    assert "navbar-expand-lg" in classes
    assert not {"navbar-expand-xl", "navbar-expand-xxl", "navbar-expand-md"} & set(classes)
    assert "is-long" in classes  # the organizer's seven sections: app.css makes room for them
    assert 'aria-label="主菜单"' in nav or 'aria-label="Main menu"' in nav
    staff = client.application.test_client()
    login_as(staff, "zju_staff")
    assert "is-long" not in re.match(r'<nav class="([^"]*)"', NAV.search(get(staff, "/")).group(0)).group(1)


def test_the_brand_has_a_short_form_for_phones(client, world):
    html = client.get("/auth/login?lang=en").get_data(as_text=True)
    brand = re.search(r'<a class="navbar-brand".*?</a>', html, re.S).group(0)
    assert 'title="Staff Skills Competitions"' in brand
    assert '<span class="brand-long">Staff Skills Competitions</span>' in brand
    assert '<span class="brand-short">Skills Competitions</span>' in brand
    # the menu button follows the brand, inside the same bar (app.css keeps them on one line at 375 px)
    assert html.index('class="navbar-brand"') < html.index('class="navbar-toggler"')


def test_a_skip_link_leads_to_the_content(client, world):
    login_as(client, "org")
    html = get(client, "/")
    assert re.search(r'<a class="visually-hidden-focusable skip-link" href="#main">', html)
    assert '<main class="container-xl py-3" id="main" tabindex="-1">' in html
    assert html.index("skip-link") < html.index("<nav")
