"""Approving with its context: the quota use on the entries page, each entry's materials, approving several at
once (a confirmation with the count and the places left; all or nothing within the quota), the competition
page's table of every university with its totals, and who will be drawn before the draw.

The pages are read in English (``?lang=en``): the words are the msgids, whatever the state of the catalogue.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import event, func, select
from werkzeug.datastructures import FileStorage

from competition.extensions import db
from competition.models import AuditLog, Entry
from competition.services import materials
from tests.builders import advance, approve_entry, login_as, make_competition, make_entry, staff, user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# ZJU's young teachers besides 00123 李老师 (the world's), for quotas to fill.
ZJU_MORE = (("00200", "周老师"), ("00201", "吴老师"), ("00202", "郑老师"))


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def flashes(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', page, re.S)
    ]


def squeeze(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def section(page: str, testid: str) -> str:
    """The element marked ``data-testid=testid`` up to its closing tag (tables and sections here)."""
    marker = page.index(f'data-testid="{testid}"')
    tag = page[page.rindex("<", 0, marker) + 1 :].split(None, 1)[0]
    start = page.index(">", marker) + 1
    return page[start : page.index(f"</{tag}>", start)]


def english(client, username: str) -> str:
    token = login_as(client, username)
    client.get("/competitions/?lang=en")
    return token


def statuses(*entries: Entry) -> list[str]:
    db.session.expire_all()
    return [db.session.get(Entry, e.id).status for e in entries]


def approvals() -> list[tuple[str, str]]:
    """(object id, username) of every entry.approve audit row, in order."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "entry.approve").order_by(AuditLog.id)
    )
    return [(r.object_id, r.username) for r in rows]


@pytest.fixture
def contest(world, make):
    """Open, provincial, three places per university; ZJU has four young teachers, HZU one."""
    competition = make_competition(quota_per_university=3, requires_materials=True)
    for no, name in ZJU_MORE:
        make.staff(world["zju"], no, name)
    return competition


@pytest.fixture
def zju_pending(contest):
    """The four ZJU teachers' pending entries, in staff-number order."""
    return [make_entry(contest, staff(no)) for no in ("00123", *(no for no, _ in ZJU_MORE))]


# --- the quota beside the entries -------------------------------------------------------------------------


def test_an_admin_sees_their_universitys_quota_use_while_approving(client, contest, zju_pending):
    approve_entry(zju_pending[0])
    english(client, "zju_admin")
    page = text_of(client.get(f"/competitions/{contest.id}/entries"))
    card = squeeze(section(page, "quota-use"))
    assert "Quota of 浙江大学" in card
    assert "Approved 1 / quota 3, 2 left" in card
    assert "Pending: 3" in card
    assert '<meter class="quota-meter" min="0" max="3" value="1"' in page
    assert 'data-testid="quota-summary"' not in page  # one university: no table of universities


def test_a_full_quota_is_said_so(client, contest, zju_pending):
    for entry in zju_pending[:3]:
        approve_entry(entry)
    english(client, "zju_admin")
    card = squeeze(section(text_of(client.get(f"/competitions/{contest.id}/entries")), "quota-use"))
    assert "Approved 3 / quota 3, 0 left" in card and "no more entries can be approved" in card


def test_the_organizer_sees_every_university_and_the_filtered_ones_quota(client, make, contest, zju_pending):
    make.university("NBU", "宁波大学")  # no entries at all
    approve_entry(zju_pending[0])
    make_entry(contest, staff("H001"))
    english(client, "org")
    base = f"/competitions/{contest.id}/entries"
    page = text_of(client.get(base))
    assert 'data-testid="quota-use"' not in page  # all universities: no single one in focus
    table = section(page, "quota-summary")
    rows = [squeeze(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)][1:]
    # by pinyin: 杭州 (hang), 宁波 (ning), 浙江 (zhe); each with its pending count and quota use
    assert rows == [
        "杭州大学 1 Approved 0 / quota 3, 3 left",
        "宁波大学 0 Approved 0 / quota 3, 3 left",
        "浙江大学 3 Approved 1 / quota 3, 2 left",
        "Total 4 Approved: 1",
    ]
    assert f'href="{base}?university=ZJU&status=pending"' in section(page, "quota-summary")
    focused = text_of(client.get(f"{base}?university=ZJU"))
    assert "Approved 1 / quota 3, 2 left" in squeeze(section(focused, "quota-use"))


def test_without_a_quota_the_count_says_so(client, world):
    competition = make_competition()
    make_entry(competition, staff("00123"), status="approved")
    english(client, "zju_admin")
    card = squeeze(section(text_of(client.get(f"/competitions/{competition.id}/entries")), "quota-use"))
    assert "Approved 1 (no quota)" in card


# --- materials ----------------------------------------------------------------------------------------------


def test_each_entrys_materials_are_linked_and_download(client, app, contest, zju_pending):
    entry = zju_pending[0]
    upload = FileStorage(io.BytesIO(PDF), filename="教学设计.pdf")
    material = materials.add_material(entry=entry, upload=upload, by=user("zju_staff"))
    db.session.commit()
    english(client, "zju_admin")
    page = text_of(client.get(f"/competitions/{contest.id}/entries"))
    row = page[page.index(f'<tr data-entry="{entry.id}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/my/materials/{material.id}"' in row and "教学设计.pdf" in row
    other = page[page.index(f'<tr data-entry="{zju_pending[1].id}"') :]
    assert "Not uploaded yet" in other[: other.index("</tr>")]
    download = client.get(f"/my/materials/{material.id}")
    try:
        assert download.status_code == 200 and download.data == PDF
    finally:
        download.close()
    outsider = app.test_client()
    login_as(outsider, "hzu_admin")
    assert outsider.get(f"/my/materials/{material.id}").status_code == 404


# --- approving several at once ------------------------------------------------------------------------------


def test_bulk_approval_within_the_quota_confirms_then_approves_exactly_those(client, contest, zju_pending):
    token = english(client, "zju_admin")
    base = f"/competitions/{contest.id}/entries"
    page = text_of(client.get(f"{base}?status=pending"))
    assert page.count('name="entry_id"') == 4 and 'form="bulk-approve"' in page
    assert "Select all pending on this page (4)" in page
    chosen = zju_pending[:3]
    form = {"csrf_token": token, "entry_id": [str(e.id) for e in chosen], "next": f"{base}?status=pending"}
    confirm = text_of(client.post(f"{base}/approve", data=form))
    assert "Entries to approve: 3." in confirm
    quota = [squeeze(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", section(confirm, "bulk-quota"), re.S)][1:]
    assert quota == ["浙江大学 3 Approved 0 / quota 3, 3 left Places left: 0"]
    assert "Confirm and approve (3)" in confirm
    assert squeeze(section(confirm, "bulk-selected")).count("Pending") == 3
    assert statuses(*zju_pending) == ["pending"] * 4 and approvals() == []  # nothing before the confirmation
    done = client.post(f"{base}/approve", data={**form, "confirm": "yes"})
    assert done.headers["Location"] == f"{base}?status=pending"
    assert flashes(text_of(client.get(done.headers["Location"]))) == [
        "Approved at once: 3. 浙江大学: Approved 3 / quota 3, 0 left"
    ]
    assert statuses(*zju_pending) == ["approved", "approved", "approved", "pending"]
    assert approvals() == [(str(e.id), "zju_admin") for e in chosen]
    details = db.session.scalars(select(AuditLog.details).where(AuditLog.action == "entry.approve")).all()
    assert details == [{"competition_id": contest.id}] * 3  # as a single approval records it


def test_bulk_approval_beyond_the_quota_is_refused_with_the_numbers(client, contest, zju_pending):
    approve_entry(zju_pending[0])
    before = approvals()
    token = english(client, "zju_admin")
    base = f"/competitions/{contest.id}/entries"
    form = {"csrf_token": token, "entry_id": [str(e.id) for e in zju_pending[1:]]}
    confirm = text_of(client.post(f"{base}/approve", data=form))
    reason = "浙江大学: selected 3, places left 2 (approved 1 of a quota of 3)."
    assert squeeze(section(confirm, "bulk-problems")) == reason
    assert "Nothing has been approved" in confirm and 'name="confirm"' not in confirm
    assert "Over the quota by 1" in squeeze(section(confirm, "bulk-quota"))
    forced = client.post(f"{base}/approve", data={**form, "confirm": "yes"}, follow_redirects=True)
    assert flashes(text_of(forced)) == [f"Nothing was approved: {reason}"]
    assert statuses(*zju_pending) == ["approved", "pending", "pending", "pending"]
    assert approvals() == before


def test_an_entry_decided_meanwhile_makes_the_whole_selection_refused(client, contest, zju_pending):
    approve_entry(zju_pending[0])
    token = english(client, "zju_admin")
    form = {
        "csrf_token": token,
        "entry_id": [str(zju_pending[0].id), str(zju_pending[1].id)],
        "confirm": "yes",
    }
    done = client.post(f"/competitions/{contest.id}/entries/approve", data=form, follow_redirects=True)
    assert flashes(text_of(done)) == ["Nothing was approved: No longer pending (1 of the selection): 李老师."]
    assert statuses(*zju_pending[:2]) == ["approved", "pending"]


def test_another_universitys_entries_cannot_be_bulk_approved(client, contest, zju_pending):
    theirs = make_entry(contest, staff("H001"))
    token = english(client, "zju_admin")
    url = f"/competitions/{contest.id}/entries/approve"
    for confirm in ("", "yes"):
        form = {"csrf_token": token, "entry_id": [str(zju_pending[0].id), str(theirs.id)], "confirm": confirm}
        assert client.post(url, data=form).status_code == 404
    assert statuses(zju_pending[0], theirs) == ["pending", "pending"] and approvals() == []
    # an entry of another competition is not reached through this one either
    elsewhere = make_competition(name="另一个竞赛")
    stray = make_entry(elsewhere, staff("00123"))
    form = {"csrf_token": token, "entry_id": [str(stray.id)], "confirm": "yes"}
    assert client.post(url, data=form).status_code == 404
    assert statuses(stray) == ["pending"]


def test_an_empty_selection_approves_nothing(client, contest, zju_pending):
    token = english(client, "zju_admin")
    done = client.post(
        f"/competitions/{contest.id}/entries/approve", data={"csrf_token": token}, follow_redirects=True
    )
    assert flashes(text_of(done)) == ["Select at least one pending entry."]
    assert approvals() == []


def test_bulk_approval_needs_the_csrf_token(client, contest, zju_pending):
    english(client, "zju_admin")
    form = {"entry_id": [str(zju_pending[0].id)], "confirm": "yes"}
    assert client.post(f"/competitions/{contest.id}/entries/approve", data=form).status_code == 400
    assert statuses(zju_pending[0]) == ["pending"]


def test_many_pending_entries_come_in_pages_and_select_all_is_per_page(client, make, world):
    competition = make_competition()
    for i in range(60):
        make_entry(competition, make.staff(world["zju"], f"9{i:04d}", f"教师{i:02d}"))
    english(client, "zju_admin")
    base = f"/competitions/{competition.id}/entries?status=pending"
    first = text_of(client.get(base))
    assert first.count('name="entry_id"') == 50 and "Select all pending on this page (50)" in first
    second = text_of(client.get(f"{base}&page=2"))
    assert second.count('name="entry_id"') == 10 and "Select all pending on this page (10)" in second
    bigger = text_of(client.get(f"{base}&per_page=100"))
    assert bigger.count('name="entry_id"') == 60


def _selects(client, url: str) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_the_entries_page_asks_the_same_number_of_queries_for_3_or_30_entries(client, make, world):
    small, large = make_competition(name="小"), make_competition(name="大")
    for i in range(30):
        member = make.staff(world["zju" if i % 2 else "hzu"], f"8{i:04d}", f"老师{i:02d}")
        make_entry(large, member)
        if i < 3:
            make_entry(small, member)
    make.university("NBU", "宁波大学")
    login_as(client, "org")
    assert _selects(client, f"/competitions/{small.id}/entries") == _selects(
        client, f"/competitions/{large.id}/entries"
    )


# --- the competition page's table of universities -----------------------------------------------------------


def test_the_table_lists_every_university_with_the_totals(client, make, contest, zju_pending):
    make.university("NBU", "宁波大学")
    approve_entry(zju_pending[0])
    make_entry(contest, staff("H001"))
    english(client, "org")
    page = text_of(client.get(f"/competitions/{contest.id}"))
    table = section(page, "quota-table")
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = [squeeze(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    assert rows == ["杭州大学 1 0 0 0 0 / 3", "宁波大学 0 0 0 0 0 / 3", "浙江大学 3 1 0 0 1 / 3"]
    totals = squeeze(table[table.index("<tfoot") :])
    assert totals.startswith("Total 4 1 0 0")  # pending 1 + 0 + 3, approved 0 + 0 + 1


def test_a_school_level_competitions_table_has_its_university_only(client, world):
    competition = make_competition(level="school", university="ZJU", name="浙江大学校赛")
    make_entry(competition, staff("00123"))
    english(client, "zju_admin")
    table = section(text_of(client.get(f"/competitions/{competition.id}")), "quota-table")
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    assert [squeeze(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)] == ["浙江大学 1 0 0 0 —"]


# --- the draw -----------------------------------------------------------------------------------------------


def test_the_draw_page_lists_who_will_be_drawn_before_the_draw(client, contest, zju_pending):
    for entry in zju_pending[:2]:
        approve_entry(entry)
    make_entry(contest, staff("H001"), group=1, status="approved")
    advance(contest, "registration_closed")
    english(client, "org")
    page = text_of(client.get(f"/competitions/{contest.id}/draw"))
    assert "Approved entries to be drawn: 3 (groups: 2)" in squeeze(section(page, "draw-summary"))
    groups = [squeeze(t) for t in re.findall(r'data-testid="entrants">(.*?)</table>', page, re.S)]
    assert groups == [
        "# Name University Department 1 李老师 浙江大学 计算机学院 2 周老师 浙江大学 计算机学院",
        "# Name University Department 1 赵老师 杭州大学 计算机学院",
    ]
    assert "To be drawn: 2 · universities: 1" in page
    assert "To be drawn: 1 · universities: 1" in page
    assert "data-confirm=" in page and 'class="num draw-no"' not in page  # no numbers yet
    assert db.session.scalar(select(func.count()).select_from(Entry).where(Entry.draw_no.is_not(None))) == 0
