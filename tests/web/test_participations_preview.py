"""The offline participation import: a preview (counts, events, rows to add, rows already imported, who
becomes covered) before anything is written; confirm writes exactly what was previewed; cancel writes
nothing."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, OfflineParticipation, Staff
from competition.services import participations as participations_service
from tests.web.test_api_coverage import YEAR, add_offline, participation_file, staff_no
from tests.web.test_roster_preview import counts, english, tables


def upload(client, token, data: bytes, name: str = "活动.xlsx"):
    return client.post(
        "/coverage/ZJU/participations",
        data={"file": (io.BytesIO(data), name), "csrf_token": token},
        content_type="multipart/form-data",
    )


def confirm(client, token, page: str):
    fields = dict(re.findall(r'<input id="(token|plan)" name="\1" type="hidden" value="([^"]*)"', page))
    return client.post("/coverage/ZJU/participations/confirm", data={"csrf_token": token, **fields})


def stored() -> list[tuple[str, str, date]]:
    rows = db.session.execute(
        select(Staff.staff_no, OfflineParticipation.event, OfflineParticipation.date)
        .join(Staff, OfflineParticipation.staff_id == Staff.id)
        .order_by(Staff.staff_no, OfflineParticipation.date)
    )
    return [tuple(r) for r in rows]


ROWS = [
    ("00123", "读书会", f"{YEAR}-03-05"),  # row 2: imported before, skipped
    ("00124", "读书会", f"{YEAR}-03-06"),  # row 3
    ("00124", "消防演练", f"{YEAR}-04-01"),  # row 4
]


def test_the_preview_lists_what_would_be_added_and_writes_nothing(client, world):
    add_offline(staff_no("00123"), event="读书会", on=date(YEAR, 3, 5))
    token = english(client)
    response = upload(client, token, participation_file(ROWS))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert stored() == [("00123", "读书会", date(YEAR, 3, 5))], "a preview writes nothing"
    # to add, already imported, staff, events
    assert counts(page) == ["2", "1", "1", "2"]
    found = tables(page)
    assert found["events-table"] == [
        ["读书会", f"Mar 6, {YEAR}", "1", "1"],
        ["消防演练", f"Apr 1, {YEAR}", "1", "1"],
    ]
    assert found["create-table"] == [
        ["3", "00124", "王会计", "财务处", "读书会", f"Mar 6, {YEAR}"],
        ["4", "00124", "王会计", "财务处", "消防演练", f"Apr 1, {YEAR}"],
    ]
    assert found["skipped-table"] == [["2", "00123", "李老师", "计算机学院", "读书会", f"Mar 5, {YEAR}"]]
    # 00124 had no counted participation that year: the import covers one more person.
    newly = page.split('data-testid="newly-covered"')[1].split("</ul>")[0]
    assert f"{YEAR}: 1 staff member without a counted participation yet will be counted as covered." in newly
    assert (
        db.session.scalar(select(func.count()).select_from(AuditLog).filter_by(action="participation.import"))
        == 0
    )


def test_confirm_writes_exactly_the_rows_previewed(client, world):
    add_offline(staff_no("00123"), event="读书会", on=date(YEAR, 3, 5))
    token = english(client)
    page = upload(client, token, participation_file(ROWS)).get_data(as_text=True)
    response = confirm(client, token, page)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/coverage/ZJU/participations"
    )
    assert stored() == [
        ("00123", "读书会", date(YEAR, 3, 5)),
        ("00124", "读书会", date(YEAR, 3, 6)),
        ("00124", "消防演练", date(YEAR, 4, 1)),
    ]
    assert "2 participations imported." in client.get(response.headers["Location"]).get_data(as_text=True)
    entry = db.session.scalars(select(AuditLog).filter_by(action="participation.import")).one()
    assert (entry.details["created"], entry.details["rows"]) == (2, 3)
    # The confirmation cannot be replayed: its file is gone.
    again = confirm(client, token, page)
    assert again.status_code == 302 and len(stored()) == 3


def test_rows_imported_since_the_preview_are_not_confirmed_blindly(client, world):
    token = english(client)
    page = upload(client, token, participation_file(ROWS)).get_data(as_text=True)
    assert counts(page) == ["3", "0", "2", "2"]
    add_offline(staff_no("00124"), event="读书会", on=date(YEAR, 3, 6))  # someone else imported a row
    response = confirm(client, token, page)
    again = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The participations stored have changed since this preview." in again
    assert counts(again) == ["2", "1", "2", "2"]
    assert len(stored()) == 1
    assert confirm(client, token, again).status_code == 302
    assert len(stored()) == 3


def test_cancel_writes_nothing(client, world):
    token = english(client)
    page = upload(client, token, participation_file(ROWS)).get_data(as_text=True)
    cancel = re.search(r'<a class="btn btn-outline-secondary btn-lg ms-auto" href="([^"]+)">', page).group(1)
    assert cancel == "/coverage/ZJU/participations"
    assert client.get(cancel).status_code == 200
    assert stored() == []


def test_a_file_already_imported_has_nothing_to_confirm(client, world):
    for no, event, day in ROWS:
        add_offline(staff_no(no), event=event, on=date.fromisoformat(day))
    token = english(client)
    page = upload(client, token, participation_file(ROWS)).get_data(as_text=True)
    assert counts(page) == ["0", "3", "0", "0"]
    assert 'data-testid="nothing-to-add"' in page
    assert re.search(r'<button class="btn btn-primary btn-lg" type="submit"[^>]*disabled', page)
    assert 'data-testid="newly-covered"' not in page


def test_long_files_show_the_first_rows_with_the_count(client, world, make, monkeypatch):
    monkeypatch.setattr(participations_service, "PREVIEW_LIMIT", 2)
    token = english(client)
    rows = [("00123", f"活动{i}", f"{YEAR}-05-{i:02d}") for i in range(1, 29)]
    page = upload(client, token, participation_file(rows)).get_data(as_text=True)
    assert counts(page) == ["28", "0", "1", "28"]
    assert len(tables(page)["create-table"]) == 2 and len(tables(page)["events-table"]) == 2
    more = re.findall(r'data-testid="more-rows">([^<]+)<', page)
    assert [m.strip() for m in more] == ["Only the first 2 of 28 are shown here."] * 2


def test_the_errors_of_a_file_are_listed_and_nothing_is_stashed(client, world, app):
    token = english(client)
    pending = Path(app.instance_path) / "pending"
    before = set(pending.glob("*.bin"))
    bad = participation_file([("NOPE", "读书会", f"{YEAR}-03-05")])
    response = upload(client, token, bad)
    assert response.status_code == 422
    assert 'data-testid="import-errors"' in response.get_data(as_text=True)
    assert set(pending.glob("*.bin")) == before


def test_the_page_names_every_format_it_reads(client, world):
    english(client)
    page = client.get("/coverage/ZJU/participations").get_data(as_text=True)
    assert "Participation file (.xlsx, .xls or .csv, at most 10 MB)" in page
    assert 'accept=".xlsx,.xls,.csv"' in page
    assert "Check the file" in page
