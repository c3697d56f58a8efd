"""The home page of each role: the to-do first (entries to decide, nominations, sheets to fill,
registrations), the competitions by state, the coverage against the target, each line linking to its list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import event, select

from competition.clock import local_today
from competition.extensions import db
from competition.models import Department, Entry, Staff, User
from competition.services import home as home_service
from competition.services import settings
from tests.builders import (
    PASSWORD,
    advance,
    approve_entry,
    in_days,
    login_as,
    make_competition,
    make_entry,
    make_sheet,
    staff,
    user,
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


class _Finder(HTMLParser):
    """Every element carrying ``data-testid``, with its text and the links inside it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[tuple[str, Element | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        element = Element(tag, attrs) if "data-testid" in attrs else None
        if element:
            self.found.append(element)
        if tag == "a" and attrs.get("href"):
            for _, outer in self.open:
                if outer:
                    outer.links.append(attrs["href"])
            if element:
                element.links.append(attrs["href"])
        if tag not in VOID:
            self.open.append((tag, element))

    def handle_endtag(self, tag):
        while self.open:
            name, _ = self.open.pop()
            if name == tag:
                break

    def handle_data(self, data):
        for _, element in self.open:
            if element:
                element.parts.append(data)


def found(page: str, testid: str) -> list[Element]:
    finder = _Finder()
    finder.feed(page)
    return [e for e in finder.found if e.attrs["data-testid"] == testid]


def one(page: str, testid: str) -> Element:
    [element] = found(page, testid)
    return element


def home(client, lang: str = "en") -> str:
    response = client.get(f"/?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def year() -> int:
    return local_today().year


def entry_of(competition, staff_no: str) -> Entry:
    return db.session.scalar(
        select(Entry).join(Staff).where(Entry.competition_id == competition.id, Staff.staff_no == staff_no)
    )


def to_review(line: Element) -> str:
    """The count a to-do line shows."""
    [count] = re.findall(r"([\d,]+) to review", line.text)
    return count


def teachers(make, university, prefix: str, n: int) -> list[Staff]:
    return [make.staff(university, f"{prefix}{i:03d}", f"教师{prefix}{i}") for i in range(n)]


@pytest.fixture
def admin_world(world, make):
    """Pending entries for ZJU's admin: two in a provincial contest with a quota of 3 (one of ZJU already
    approved), one in a ZJU school-level contest; HZU's in both kinds, which ZJU's admin never sees."""
    zju, hzu = world["zju"], world["hzu"]
    z = teachers(make, zju, "ZT", 3)
    h = teachers(make, hzu, "HT", 2)
    provincial = make_competition(name="全省青年教师教学竞赛", year=year(), quota_per_university=3)
    make_entry(provincial, z[0], status="approved")
    make_entry(provincial, z[1])
    make_entry(provincial, z[2])
    make_entry(provincial, h[0])
    ours = make_competition(name="浙大校赛", year=year(), level="school", university="ZJU")
    make_entry(ours, staff("00123"))
    theirs = make_competition(name="杭大校赛", year=year(), level="school", university="HZU")
    make_entry(theirs, h[1])
    return {"provincial": provincial, "ours": ours, "theirs": theirs}


# --- the university admin -----------------------------------------------------------------------------------


def test_an_admin_sees_their_pending_entries_per_competition_with_filtered_links(client, admin_world):
    provincial, ours = admin_world["provincial"], admin_world["ours"]
    login_as(client, "zju_admin")
    page = home(client)
    lines = {int(e.attrs["data-competition"]): e for e in found(page, "pending-line")}
    assert set(lines) == {provincial.id, ours.id}  # HZU's school contest is not there
    assert one(page, "admin-pending-total").text == "3"
    assert [to_review(lines[provincial.id]), to_review(lines[ours.id])] == ["2", "1"]
    assert lines[provincial.id].links == [f"/competitions/{provincial.id}/entries?status=pending"]
    assert lines[ours.id].links == [f"/competitions/{ours.id}/entries?status=pending"]
    assert "Quota: 1 of 3 approved, 2 left" in lines[provincial.id].text
    assert "全省青年教师教学竞赛" in lines[provincial.id].text and "Registration closes on" in page
    # the link leads to the list of exactly those entries
    listed = client.get(lines[provincial.id].links[0]).get_data(as_text=True)
    assert "教师ZT1" in listed and "教师ZT2" in listed and "教师ZT0" not in listed and "教师HT0" not in listed


def test_an_admin_never_sees_another_universitys_pending_entries(client, admin_world):
    login_as(client, "hzu_admin")
    page = home(client)
    lines = {int(e.attrs["data-competition"]): e for e in found(page, "pending-line")}
    assert set(lines) == {admin_world["provincial"].id, admin_world["theirs"].id}
    assert one(page, "admin-pending-total").text == "2"
    assert "浙大校赛" not in page and "教师ZT" not in page
    assert to_review(lines[admin_world["provincial"].id]) == "1"


def test_decided_and_frozen_entries_leave_the_to_do(client, admin_world, make):
    provincial, ours = admin_world["provincial"], admin_world["ours"]
    make_entry(ours, make.staff(staff("00123").university, "ZT009", "迟到者"))  # left pending
    approve_entry(entry_of(provincial, "ZT001"), by="zju_admin")
    advance(ours, "registration_closed")
    login_as(client, "zju_admin")
    lines = {int(e.attrs["data-competition"]): e for e in found(home(client), "pending-line")}
    assert to_review(lines[provincial.id]) == "1"
    assert "Decide before scoring starts" in lines[ours.id].text  # closed, still deciding
    assert to_review(lines[ours.id]) == "2"
    # once scoring starts no decision can be taken: the line goes, though an entry is still pending
    decided = entry_of(ours, "00123")
    approve_entry(decided, by="zju_admin")
    decided.draw_no = 1
    db.session.commit()
    advance(ours, "scoring")
    assert entry_of(ours, "ZT009").status == "pending"
    lines = {int(e.attrs["data-competition"]): e for e in found(home(client), "pending-line")}
    assert set(lines) == {provincial.id}


def test_an_admin_sees_their_school_competitions_by_state(client, admin_world):
    make_competition(
        name="浙大草稿", year=year(), level="school", university="ZJU", status="draft", by="zju_admin"
    )
    login_as(client, "zju_admin")
    page = home(client)
    tiles = {e.attrs["data-status"]: e for e in found(page, "state")}
    assert list(tiles) == ["draft", "registration_open", "registration_closed", "scoring", "published"]
    counts = {s: re.match(r"[\d,]+", e.text).group(0) for s, e in tiles.items()}
    assert counts == {
        "draft": "1",
        "registration_open": "1",
        "registration_closed": "0",
        "scoring": "0",
        "published": "0",
    }
    assert tiles["registration_open"].links == [
        "/competitions/?level=school&status=registration_open&university=ZJU"
    ]
    assert tiles["published"].links == [
        f"/competitions/?level=school&status=published&year={year()}&university=ZJU"
    ]
    assert f"Published in {year()}" in tiles["published"].text
    listed = client.get(tiles["registration_open"].links[0]).get_data(as_text=True)
    assert "浙大校赛" in listed and "浙大草稿" not in listed and "杭大校赛" not in listed


def test_an_admin_sees_the_coverage_and_the_gap_in_people(client, admin_world):
    # ZJU: 00123, 00124 and ZT000–ZT002 active (5); covered: ZT000 (approved) → 20%; 90% of 5 needs 5: 4 more
    login_as(client, "zju_admin")
    page = home(client)
    card = one(page, "admin-coverage")
    assert card.attrs["data-university"] == "ZJU"
    assert one(page, "admin-coverage-rate").text == "20.0%"
    assert "1 of 5 staff took part this year." in card.text
    assert one(page, "admin-coverage-gap").text == "People still to reach for the target of 90.0%: 4"
    assert "✗ Far from the target" in card.text
    assert one(page, "link-uncovered").links == ["/coverage/ZJU/uncovered"]
    assert one(page, "link-roster").links == ["/staff/ZJU/"]


def test_the_gap_follows_the_organizers_target(client, admin_world, app):
    settings.set_thresholds(target=Decimal("0.2"), warning=Decimal("0.1"), by=user("org"))
    db.session.commit()
    login_as(client, "zju_admin")
    page = home(client)
    assert one(page, "admin-coverage-gap").text == "The target of 20.0% is reached."
    assert "✓ Meets the target" in one(page, "admin-coverage").text


def test_an_admin_with_nothing_to_do_reads_so(client, world):
    login_as(client, "zju_admin")
    page = home(client)
    assert one(page, "admin-pending-empty").text == "No entries are waiting for approval today."
    assert not found(page, "pending-line")
    zh = home(client, "zh_Hans_CN")
    assert 'data-testid="admin-pending-empty"' in zh


# --- the organizer ------------------------------------------------------------------------------------------


def test_the_organizer_sees_pending_nominations_per_provincial_competition(client, admin_world):
    provincial = admin_world["provincial"]
    login_as(client, "org")
    page = home(client)
    lines = {int(e.attrs["data-competition"]): e for e in found(page, "pending-line")}
    assert set(lines) == {provincial.id}  # school-level entries are the universities' own business
    assert to_review(lines[provincial.id]) == "3"
    assert "Universities with entries waiting: 2" in lines[provincial.id].text
    assert lines[provincial.id].links == [f"/competitions/{provincial.id}/entries?status=pending"]
    assert one(page, "org-pending-total").text == "3"


def test_beyond_the_first_lines_the_rest_is_one_click_away(client, world, make, monkeypatch):
    monkeypatch.setattr(home_service, "SHOWN", 2)
    for n, closes in enumerate((9, 3, 6)):
        make_entry(
            make_competition(name=f"省赛{n}", year=year(), registration_closes=in_days(closes)),
            staff("00123"),
        )
    login_as(client, "org")
    page = home(client)
    names = [line.text.split(" ")[0] for line in found(page, "pending-line")]
    assert names == ["省赛1", "省赛2", "省赛0"]  # closing soonest first
    more = one(page, "pending-more")
    assert (
        "Show the other competitions (1)" in more.text and "省赛0" in more.text and "省赛1" not in more.text
    )


def test_the_organizer_sees_states_of_both_levels(client, admin_world):
    login_as(client, "org")
    page = home(client)
    provincial, school = one(page, "states-provincial"), one(page, "states-school")
    assert re.findall(r"(\d+) ", provincial.text)[:5] == ["0", "1", "0", "0", "0"]
    assert re.findall(r"(\d+) ", school.text)[:5] == ["0", "2", "0", "0", "0"]
    assert provincial.links[1] == "/competitions/?level=provincial&status=registration_open"
    assert school.links[1] == "/competitions/?level=school&status=registration_open"
    assert school.links[4] == f"/competitions/?level=school&status=published&year={year()}"


def test_the_organizer_sees_universities_below_the_warning_line(client, admin_world, make):
    # ZJU 1 of 5 (20%), HZU 0 of 3; a third university meets the target; a fourth has no roster
    ok = make.university("NBU", "宁波大学")
    person = make.staff(ok, "N001", "钱老师")
    nominated = make_competition(name="宁大校赛", year=year(), level="school", university="NBU")
    make_entry(nominated, person, status="approved")
    make.university("WZU", "温州大学")
    login_as(client, "org")
    page = home(client)
    below = found(page, "below-line")
    assert [b.attrs["data-university"] for b in below] == ["HZU", "ZJU"]  # worst first
    assert below[0].links == ["/coverage/HZU"] and "0.0%" in below[0].text and "3 to reach" in below[0].text
    assert "20.0%" in below[1].text and "4 to reach" in below[1].text
    assert one(page, "below-count").text == "2"
    assert one(page, "without-roster").text == "Universities without a roster yet: 1"
    # the province: 2 of 9 covered (22.2%); 90% of 9 needs 9: 7 more
    assert one(page, "org-coverage-rate").text == "22.2%"
    assert one(page, "org-coverage-gap").text == "People still to reach for the target of 90.0%: 7"
    assert one(page, "link-province").links == ["/coverage/"]


def test_the_organizer_with_nothing_to_decide_reads_so(client, world):
    contest = make_competition(name="全省比赛", year=year())
    make_entry(contest, staff("00123"), status="approved")
    make_entry(contest, staff("H001"), status="approved")
    settings.set_thresholds(target=Decimal("0.5"), warning=Decimal("0.01"), by=user("org"))
    db.session.commit()
    login_as(client, "org")
    page = home(client)
    assert one(page, "org-pending-empty").text == "No nominations are waiting for a decision today."
    assert one(page, "below-count").text == "0"
    assert one(page, "below-empty").text == "No university is below the warning line."


def test_numbers_have_thousands_separators(client, world):
    department = db.session.get(Department, staff("00123").department_id)
    db.session.add_all(
        Staff(
            university=world["zju"],
            staff_no=f"B{i:05d}",
            name=f"员工{i}",
            department=department,
            category="teaching_research",
            active=True,
        )
        for i in range(1230)
    )
    db.session.commit()
    login_as(client, "org")
    page = home(client)
    assert "0 of 1,233 staff took part this year." in one(page, "org-coverage").text
    assert one(page, "org-coverage-gap").text.endswith("90.0%: 1,110")
    admin = client.application.test_client()
    login_as(admin, "zju_admin")
    assert "1,232 active staff" in home(admin)


def test_the_organizers_home_does_not_query_per_competition_or_university(client, world, make):
    def selects() -> int:
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            home(client)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    login_as(client, "org")
    make_entry(make_competition(name="省赛1", year=year()), staff("00123"))
    few = selects()
    for n in range(4):
        university = make.university(f"U{n}", f"大学{n}")
        person = make.staff(university, f"U{n}01", f"老师{n}")
        contest = make_competition(name=f"省赛{n + 2}", year=year())
        make_entry(contest, person)
        make_competition(name=f"校赛{n}", year=year(), level="school", university=university.code)
    many = selects()
    assert many == few, (few, many)
    assert len(found(home(client), "pending-line")) == 5


# --- the judge, the staff member, and everyone else --------------------------------------------------------


def test_a_judge_sees_their_queue_with_sheets_done_and_to_do(client, contest):
    competition, entries = contest
    login_as(client, "judge_zju")  # recused from ZJU's entry: HZU's in two rounds
    page = home(client)
    [line] = found(page, "judge-line")
    assert int(line.attrs["data-competition"]) == competition.id
    assert one(page, "judge-done").text == "Submitted: 0 of 2"
    assert one(page, "judge-left").text == "Still to do: 2"
    first = competition.rounds[0]
    make_sheet(user("judge_zju"), first, entries[1], [30, 50])
    page = home(client)
    assert one(page, "judge-done").text == "Submitted: 1 of 2"
    assert one(page, "judge-left").text == "Still to do: 1"
    assert one(page, "open-tablet").links == ["/judge/"]
    assert "文科组" in line.text


def test_a_judge_with_nothing_to_score_reads_so(client, world):
    login_as(client, "zju_judge")
    page = home(client)
    assert "No competition you judge is being scored right now." in one(page, "judge-empty").text
    assert one(page, "open-tablet").links == ["/judge/"]
    assert not found(page, "admin-pending") and not found(page, "org-pending")


def test_staff_see_what_my_shows(client, world):
    competition = make_competition(name="开放中的比赛", year=year())
    login_as(client, "zju_staff")
    page = home(client)
    [offer] = found(page, "home-offer")
    assert "开放中的比赛" in offer.text and offer.links == [f"/my/competitions/{competition.id}/register"]
    entry = make_entry(competition, staff("00123"))
    page = home(client)
    assert not found(page, "home-offer")
    [mine] = found(page, "home-entry")
    assert mine.links == [f"/my/entries/{entry.id}"] and "Pending review" in mine.text
    assert one(page, "registration-summary").text == (
        "Competitions you can register for now: 0 · your entries: 1"
    )
    assert 'href="/my/"' in page
    assert not found(page, "admin-pending") and not found(page, "judge-queue")


def test_anonymous_visitors_are_asked_to_log_in(client, world):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="password"' in page


def test_an_account_without_a_role_is_told_what_to_do(client, world, make):
    account = User(username="newbie", display_name="新来的")
    account.set_password(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.add(account)
    db.session.commit()
    login_as(client, "newbie")
    page = home(client)
    assert "Your account has no role yet" in one(page, "no-role").text


@pytest.mark.parametrize("username", ["org", "zju_admin", "hzu_admin", "zju_judge", "zju_staff"])
def test_every_role_gets_its_home_in_both_languages(client, admin_world, username):
    login_as(client, username)
    for lang in ("en", "zh_Hans_CN"):
        page = home(client, lang)
        assert "<script>" not in page and "style=" not in page
        assert "/static/css/home.css" in page


def test_an_admin_whose_roster_is_empty_is_told_to_import_it(client, world, make):
    empty = make.university("NBU", "宁波大学")
    make.user("nbu_admin", "university_admin", empty)
    login_as(client, "nbu_admin")
    page = home(client)
    assert "No staff on the roster yet" in one(page, "admin-coverage-none").text
    assert not found(page, "admin-coverage-gap")
    assert one(page, "admin-states").links[0] == "/competitions/new"
