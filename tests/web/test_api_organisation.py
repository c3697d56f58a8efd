"""The API's universities, roster import and staff list: scoping, validation, what reaches the database."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from competition.extensions import db
from competition.models import AuditLog, Department, Staff, University
from tests.builders import api_login_as
from tests.web.api_checks import check_error

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CJK = re.compile(r"[\u4e00-\u9fff]")
MB = 1024 * 1024
STAFF_FIELDS = ("staff_no", "name", "department", "category", "gender", "birth_date", "active")
HEADER = ("工号", "姓名", "部门", "岗位类别", "性别", "出生日期")
# The world's ZJU staff as a roster: importing these changes nothing.
ZJU_ROWS = [
    ("00123", "李老师", "计算机学院", "教学科研岗", "男", "1990-05-01"),
    ("00124", "王会计", "财务处", "行政后勤岗", "女", "1990-05-01"),
]


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        pd.DataFrame(list(rows), columns=list(header)).to_excel(writer, index=False)
    return buffer.getvalue()


def upload(client, token: str, code: str = "ZJU", data: bytes | None = None, filename="roster.csv", **form):
    """POST a roster as multipart (built in memory: the test client would spool a big body to a temp file)."""
    headers = {"X-CSRFToken": token}
    if "accept_language" in form:
        headers["Accept-Language"] = form.pop("accept_language")
    fields = dict(form)
    if data is not None:
        fields["file"] = FileStorage(io.BytesIO(data), filename=filename)
    boundary, body = encode_multipart(fields)
    return client.post(
        f"/api/v1/universities/{code}/roster",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )


def result(created=0, updated=0, deactivated=0, unchanged=0, dry_run=False) -> dict:
    return {
        "created": created,
        "updated": updated,
        "deactivated": deactivated,
        "unchanged": unchanged,
        "dry_run": dry_run,
    }


def stored(code: str) -> dict[str, tuple]:
    """A university's staff in the database: 工号 → (name, department, category, gender, birth, active)."""
    db.session.rollback()
    rows = db.session.execute(
        select(
            Staff.staff_no,
            Staff.name,
            Department.name,
            Staff.category,
            Staff.gender,
            Staff.birth_date,
            Staff.active,
        )
        .join(Department, Staff.department_id == Department.id)
        .join(University, Staff.university_id == University.id)
        .where(University.code == code)
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def audit_rows(action: str) -> list[AuditLog]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def staff_page(client, code: str = "ZJU", **params):
    response = client.get(f"/api/v1/universities/{code}/staff", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def staff_nos(page: dict) -> list[str]:
    return [item["staff_no"] for item in page["items"]]


# --- universities ------------------------------------------------------------------------------------------

ZJU = {"code": "ZJU", "name": "浙江大学"}
HZU = {"code": "HZU", "name": "杭州大学"}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("org", [HZU, ZJU]),
        ("zju_admin", [ZJU]),
        ("hzu_admin", [HZU]),
        ("zju_judge", [ZJU]),
        ("zju_staff", [ZJU]),
    ],
)
def test_university_list_is_scoped(client, world, username, expected):
    api_login_as(client, username)
    response = client.get("/api/v1/universities")
    assert response.status_code == 200
    assert response.get_json() == expected


def test_organizer_creates_a_university(client, world):
    token = api_login_as(client, "org")
    response = client.post(
        "/api/v1/universities", json={"code": " NBU ", "name": " 宁波大学 "}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    assert response.get_json() == {"code": "NBU", "name": "宁波大学"}
    assert client.get("/api/v1/universities").get_json() == [HZU, {"code": "NBU", "name": "宁波大学"}, ZJU]
    db.session.rollback()
    assert db.session.scalar(select(University.name).where(University.code == "NBU")) == "宁波大学"
    [entry] = audit_rows("university.create")
    assert (entry.username, entry.object_id, entry.details["name"]) == ("org", "NBU", "宁波大学")


def test_duplicate_university_code_is_409(client, world):
    token = api_login_as(client, "org")
    response = client.post(
        "/api/v1/universities", json={"code": "ZJU", "name": "另一所大学"}, headers={"X-CSRFToken": token}
    )
    error = check_error(response, 409, "duplicate")
    assert "ZJU" in error["message"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(University)) == 2
    assert db.session.scalar(select(University.name).where(University.code == "ZJU")) == "浙江大学"
    assert audit_rows("university.create") == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"code": "", "name": "宁波大学"}, {"code"}),
        ({"code": "N", "name": "宁波大学"}, {"code"}),
        ({"code": "N BU", "name": "宁波大学"}, {"code"}),
        ({"code": "宁大", "name": "宁波大学"}, {"code"}),
        ({"code": "N" * 33, "name": "宁波大学"}, {"code"}),
        ({"code": "NB/U", "name": "宁波大学"}, {"code"}),
        ({"name": "宁波大学"}, {"code"}),
        ({"code": 123, "name": "宁波大学"}, {"code"}),
        ({"code": "NBU", "name": ""}, {"name"}),
        ({"code": "NBU", "name": "   "}, {"name"}),
        ({"code": "NBU", "name": "宁" * 101}, {"name"}),
        ({"code": "NBU"}, {"name"}),
        ({"code": "NBU", "name": ["宁波大学"]}, {"name"}),
        ({}, {"code", "name"}),
    ],
    ids=lambda v: repr(v)[:40] if isinstance(v, dict) else None,
)
def test_invalid_university_is_422_with_field_details(client, world, body, fields):
    token = api_login_as(client, "org")
    response = client.post("/api/v1/universities", json=body, headers={"X-CSRFToken": token})
    error = check_error(response, 422, "validation_failed")
    assert {d["field"] for d in error["details"]} == fields
    assert all(isinstance(d["message"], str) and d["message"] for d in error["details"])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(University)) == 2


def test_university_body_must_be_a_json_object(client, world):
    token = api_login_as(client, "org")
    response = client.post("/api/v1/universities", json=["NBU", "宁波大学"], headers={"X-CSRFToken": token})
    check_error(response, 400, "bad_request")


def test_valid_code_shapes_are_accepted(client, world):
    token = api_login_as(client, "org")
    for code in ("ab", "A-1_b", "X" * 32):
        response = client.post(
            "/api/v1/universities", json={"code": code, "name": "某大学"}, headers={"X-CSRFToken": token}
        )
        assert response.status_code == 201, code
    assert len(client.get("/api/v1/universities").get_json()) == 5


@pytest.mark.parametrize("username", ["zju_admin", "zju_judge", "zju_staff"])
def test_only_organizers_create_universities(client, world, username):
    token = api_login_as(client, username)
    response = client.post(
        "/api/v1/universities", json={"code": "NBU", "name": "宁波大学"}, headers={"X-CSRFToken": token}
    )
    check_error(response, 403, "forbidden")
    db.session.rollback()
    assert db.session.scalar(select(University.id).where(University.code == "NBU")) is None


# --- roster: who may import --------------------------------------------------------------------------------

NEW_ROWS = [
    ("N001", "新同事", "外国语学院", "其他", "女", "1985-03-04"),
    ("N002", "新老师", "外国语学院", "专任教师", "", ""),
]


@pytest.mark.parametrize(
    ("username", "code", "status", "error"),
    [
        ("org", "ZJU", 200, None),
        ("zju_admin", "ZJU", 200, None),
        ("hzu_admin", "ZJU", 404, "not_found"),
        ("zju_judge", "ZJU", 403, "forbidden"),
        ("zju_staff", "ZJU", 403, "forbidden"),
        ("org", "NOPE", 404, "not_found"),
        ("zju_admin", "NOPE", 404, "not_found"),
        ("zju_judge", "NOPE", 403, "forbidden"),
    ],
)
def test_roster_import_permissions(client, world, username, code, status, error):
    token = api_login_as(client, username)
    response = upload(client, token, code, csv_bytes(NEW_ROWS))
    if error is None:
        assert response.status_code == 200
        assert response.get_json() == result(created=2)
        assert set(stored("ZJU")) == {"00123", "00124", "N001", "N002"}
        [entry] = audit_rows("roster.import")
        assert (entry.username, entry.object_id, entry.details["created"]) == (username, "ZJU", 2)
    else:
        check_error(response, status, error)
        assert set(stored("ZJU")) == {"00123", "00124"}
        assert audit_rows("roster.import") == []
    assert set(stored("HZU")) == {"H001"}


# --- roster: the sample files ------------------------------------------------------------------------------

SAMPLES = [
    (
        "roster-hr-export.xlsx",
        120,
        {
            "staff_no": "000001",
            "name": "张丽娟",
            "department": "图书馆",
            "category": "other",
            "gender": "male",
            "birth_date": "1974-07-01",
            "active": True,
        },
    ),
    (
        "roster-english-dates.xlsx",
        40,
        {
            "staff_no": "E0001",
            "name": "吴娜",
            "department": "School of Law",
            "category": "teaching_research",
            "gender": "female",
            "birth_date": "1983-02-18",
            "active": True,
        },
    ),
    (
        "roster-gbk.csv",
        3,
        {
            "staff_no": "G001",
            "name": "赵海燕",
            "department": "机械工程学院",
            "category": "teaching_research",
            "gender": "female",
            "birth_date": "1988-07-03",
            "active": True,
        },
    ),
]


@pytest.mark.parametrize(("filename", "count", "first"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_rosters_import_completely(client, make, filename, count, first):
    make.university("NBU", "宁波大学")
    make.user("org", "organizer")
    token = api_login_as(client, "org")
    response = upload(client, token, "NBU", (FIXTURES / filename).read_bytes(), filename)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == result(created=count)
    page = staff_page(client, "NBU", per_page=500)
    assert page["total"] == count == len(stored("NBU"))
    item = next(i for i in page["items"] if i["staff_no"] == first["staff_no"])
    assert {k: item[k] for k in STAFF_FIELDS} == first
    for member in page["items"]:
        assert member["active"] is True
        assert member["category"] in {"teaching_research", "admin_logistics", "other"}
        assert member["name"] == member["name"].strip() and "\u3000" not in member["name"]
        if CJK.search(member["name"]):
            assert " " not in member["name"], member["name"]
    by_category = sum(
        staff_page(client, "NBU", category=c)["total"]
        for c in ("teaching_research", "admin_logistics", "other")
    )
    assert by_category == count
    [entry] = audit_rows("roster.import")
    assert (entry.details["filename"], entry.details["created"], entry.details["mode"]) == (
        filename,
        count,
        "merge",
    )


def test_hr_export_keeps_leading_zeros_and_maps_every_category(client, make):
    make.university("NBU", "宁波大学")
    make.user("org", "organizer")
    token = api_login_as(client, "org")
    upload(client, token, "NBU", (FIXTURES / "roster-hr-export.xlsx").read_bytes(), "hr.xlsx")
    numbers = sorted(stored("NBU"))
    assert numbers[0] == "000001"
    assert all(len(n) == 6 and n.isdigit() for n in numbers)
    categories = {row[2] for row in stored("NBU").values()}
    assert categories == {"teaching_research", "admin_logistics", "other"}
    assert all(row[4] is None or row[4].day == 1 for row in stored("NBU").values())  # 出生年月 1990.05


def test_gbk_sample_reimported_is_unchanged(client, world):
    token = api_login_as(client, "zju_admin")
    data = (FIXTURES / "roster-gbk.csv").read_bytes()
    assert upload(client, token, data=data, filename="gbk.csv").get_json() == result(created=3)
    assert upload(client, token, data=data, filename="gbk.csv").get_json() == result(unchanged=3)
    assert stored("ZJU")["G001"][:2] == ("赵海燕", "机械工程学院")


# --- roster: all or nothing --------------------------------------------------------------------------------

ERRORS_EXPECTED = [
    (3, "出生日期", "1993-02-30 does not exist in the calendar."),
    (4, "姓名", "姓名 is empty; it is required."),
    (5, "岗位类别", "Unknown post category “宇航员”: use 教学科研岗, 行政后勤岗 or 其他."),
    (6, "工号", "The same staff number is already on row 2."),
    (7, "出生日期", "The date 2031-01-01 is in the future."),
]


def test_roster_with_errors_lists_every_problem_in_chinese_and_writes_nothing(client, world):
    token = api_login_as(client, "zju_admin")
    data = (FIXTURES / "roster-with-errors.xlsx").read_bytes()
    error = check_error(upload(client, token, data=data, filename="errors.xlsx"), 422, "validation_failed")
    details = error["details"]
    assert [(d["row"], d["column"]) for d in details] == [(r, c) for r, c, _ in ERRORS_EXPECTED]
    assert all(set(d) == {"row", "column", "message"} for d in details)
    for detail, (_, _, english) in zip(details, ERRORS_EXPECTED, strict=True):
        assert isinstance(detail["message"], str) and detail["message"].strip()
        assert CJK.search(detail["message"]) and detail["message"] != english
    assert CJK.search(error["message"]) and "5" in error["message"]
    assert set(stored("ZJU")) == {"00123", "00124"}
    assert staff_page(client)["total"] == 2
    assert audit_rows("roster.import") == []


def test_roster_errors_in_english_on_request(client, world):
    token = api_login_as(client, "zju_admin")
    data = (FIXTURES / "roster-with-errors.xlsx").read_bytes()
    response = upload(client, token, data=data, filename="errors.xlsx", accept_language="en")
    error = check_error(response, 422, "validation_failed")
    assert [(d["row"], d["column"], d["message"]) for d in error["details"]] == ERRORS_EXPECTED
    assert error["message"] == "The file was not imported: 5 problems were found. Nothing was changed."


def test_one_bad_row_rejects_the_good_ones_too(client, world):
    token = api_login_as(client, "zju_admin")
    rows = [*NEW_ROWS, ("N003", "坏数据", "外国语学院", "教学科研岗", "未知", "1980-13-01")]
    error = check_error(upload(client, token, data=csv_bytes(rows, encoding="gbk")), 422, "validation_failed")
    assert [(d["row"], d["column"]) for d in error["details"]] == [(4, "性别"), (4, "出生日期")]
    assert set(stored("ZJU")) == {"00123", "00124"}


# --- roster: merge, replace, dry run -----------------------------------------------------------------------


def test_merge_adds_and_keeps_staff_not_in_the_file(client, world):
    token = api_login_as(client, "zju_admin")
    rows = [ZJU_ROWS[0], NEW_ROWS[0]]
    response = upload(client, token, data=csv_bytes(rows), mode="merge")
    assert response.get_json() == result(created=1, unchanged=1)
    db_staff = stored("ZJU")
    assert set(db_staff) == {"00123", "00124", "N001"}
    assert all(row[-1] is True for row in db_staff.values())
    assert db_staff["N001"] == ("新同事", "外国语学院", "other", "female", date(1985, 3, 4), True)


def test_replace_deactivates_staff_not_in_the_file_without_deleting_them(client, world):
    token = api_login_as(client, "zju_admin")
    rows = [ZJU_ROWS[0], NEW_ROWS[0]]
    response = upload(client, token, data=csv_bytes(rows), mode="replace")
    assert response.get_json() == result(created=1, deactivated=1, unchanged=1)
    db_staff = stored("ZJU")
    assert set(db_staff) == {"00123", "00124", "N001"}  # nobody deleted
    assert db_staff["00124"][-1] is False
    assert db_staff["00123"][-1] is True
    inactive = staff_page(client, active="false")
    assert inactive["total"] == 1
    [item] = inactive["items"]
    assert (item["staff_no"], item["name"], item["active"]) == ("00124", "王会计", False)
    assert staff_nos(staff_page(client, active="true")) == ["00123", "N001"]
    assert stored("HZU")["H001"][-1] is True  # another university is never touched
    [entry] = audit_rows("roster.import")
    assert (entry.details["mode"], entry.details["deactivated"]) == ("replace", 1)

    # Listed again, the person is re-activated (an update), not created twice.
    response = upload(client, token, data=csv_bytes([*ZJU_ROWS, NEW_ROWS[0]]), mode="merge")
    assert response.get_json() == result(updated=1, unchanged=2)
    assert stored("ZJU")["00124"][-1] is True


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("merge", result(created=2, unchanged=1, dry_run=True)),
        ("replace", result(created=2, deactivated=1, unchanged=1, dry_run=True)),
    ],
)
def test_dry_run_reports_and_writes_nothing(client, world, mode, expected):
    token = api_login_as(client, "org")
    rows = [ZJU_ROWS[0], *NEW_ROWS]
    before = stored("ZJU")
    response = upload(client, token, data=csv_bytes(rows), mode=mode, dry_run="true")
    assert response.status_code == 200
    assert response.get_json() == expected
    assert stored("ZJU") == before
    assert staff_page(client)["total"] == 2
    assert audit_rows("roster.import") == []
    db.session.rollback()
    assert db.session.scalar(select(Department.id).where(Department.name == "外国语学院")) is None
    # The same file for real does what the dry run said.
    response = upload(client, token, data=csv_bytes(rows), mode=mode, dry_run="false")
    assert response.get_json() == {**expected, "dry_run": False}
    assert len(stored("ZJU")) == 4


def test_reimport_is_unchanged_and_a_changed_department_is_an_update(client, world):
    token = api_login_as(client, "zju_admin")
    data = xlsx_bytes(ZJU_ROWS)
    assert upload(client, token, data=data, filename="r.xlsx").get_json() == result(unchanged=2)
    moved = [(*ZJU_ROWS[0][:2], "人工智能学院", *ZJU_ROWS[0][3:]), ZJU_ROWS[1]]
    response = upload(client, token, data=xlsx_bytes(moved), filename="r.xlsx")
    assert response.get_json() == result(updated=1, unchanged=1)
    assert stored("ZJU")["00123"][1] == "人工智能学院"
    [item] = staff_page(client, q="00123")["items"]
    assert item["department"] == "人工智能学院"
    assert staff_page(client, department="人工智能学院")["total"] == 1
    assert upload(client, token, data=xlsx_bytes(moved), filename="r.xlsx").get_json() == result(unchanged=2)


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (csv_bytes(NEW_ROWS), "r.csv"),
        (csv_bytes(NEW_ROWS, encoding="gbk"), "r.csv"),
        (csv_bytes(NEW_ROWS, encoding="utf-8-sig"), "r.csv"),
        (xlsx_bytes(NEW_ROWS), "r.xlsx"),
        (xlsx_bytes(NEW_ROWS), "no-extension"),
        (
            csv_bytes(
                [(no, name, dept, cat) for no, name, dept, cat, *_ in NEW_ROWS],
                header=("staff_no", "name", "department", "category"),
            ),
            "english.csv",
        ),
    ],
    ids=["utf8", "gbk", "utf8-bom", "xlsx", "xlsx-without-extension", "english-headers"],
)
def test_encodings_and_formats(client, world, data, filename):
    token = api_login_as(client, "zju_admin")
    response = upload(client, token, data=data, filename=filename)
    assert response.get_json() == result(created=2)
    assert stored("ZJU")["N001"][:3] == ("新同事", "外国语学院", "other")
    assert stored("ZJU")["N002"][:3] == ("新老师", "外国语学院", "teaching_research")


def test_same_staff_number_in_another_university_is_another_person(client, world):
    token = api_login_as(client, "org")
    response = upload(client, token, "ZJU", csv_bytes([("H001", "新人", "体育部", "其他", "", "")]))
    assert response.get_json() == result(created=1)
    assert stored("ZJU")["H001"][0] == "新人"
    assert stored("HZU")["H001"][0] == "赵老师"


# --- roster: bad files and parameters ----------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


NOT_SPREADSHEET = "This is not a spreadsheet: upload an Excel (.xlsx) or CSV file."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


@pytest.mark.parametrize(
    ("data", "filename", "column", "message"),
    [
        (PNG, "x.xlsx", None, NOT_SPREADSHEET),
        (b"%PDF-1.7\n" + bytes(64), "roster.csv", None, NOT_SPREADSHEET),
        (_zip_without_workbook(), "roster.xlsx", None, NOT_SPREADSHEET),
        (b"\x00\x01\x02\x03" * 100, "roster.csv", None, NOT_SPREADSHEET),
        (b"", "empty.xlsx", None, "The file is empty."),
        (b"\r\n \r\n", "blank.csv", None, "The file is empty."),
        (csv_bytes([]), "header-only.csv", None, "The file has a header row but no data rows."),
        (
            csv_bytes([r[:3] for r in NEW_ROWS], header=HEADER[:3]),
            "no-category.csv",
            "岗位类别",
            "The required column 岗位类别 is missing.",
        ),
    ],
    ids=[
        "png-named-xlsx",
        "pdf",
        "zip-not-workbook",
        "binary",
        "empty",
        "blank",
        "header-only",
        "missing-column",
    ],
)
def test_unreadable_files_are_422_with_a_file_level_detail(client, world, data, filename, column, message):
    token = api_login_as(client, "zju_admin")
    response = upload(client, token, data=data, filename=filename, accept_language="en")
    error = check_error(response, 422, "validation_failed")
    assert error["details"] == [{"row": None, "column": column, "message": message}]
    assert set(stored("ZJU")) == {"00123", "00124"}


@pytest.mark.parametrize(
    "form",
    [{}, {"mode": "merge"}, {"file": FileStorage(io.BytesIO(b""), filename="")}],
    ids=["nothing", "no-file", "no-filename"],
)
def test_missing_file_is_422(client, world, form):
    token = api_login_as(client, "zju_admin")
    boundary, body = encode_multipart(form)
    response = client.post(
        "/api/v1/universities/ZJU/roster",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"X-CSRFToken": token, "Accept-Language": "en"},
    )
    error = check_error(response, 422, "validation_failed")
    assert error["details"] == [{"field": "file", "message": "Choose a file to import."}]


def test_roster_over_10_mb_is_422_and_over_the_request_limit_is_413(client, world):
    token = api_login_as(client, "zju_admin")
    response = upload(client, token, data=b"x" * (11 * MB), filename="big.csv", accept_language="en")
    error = check_error(response, 422, "validation_failed")
    assert error["details"] == [{"row": None, "column": None, "message": "The file is larger than 10 MB."}]
    response = upload(client, token, data=b"x" * (11 * MB), filename="big.csv")
    assert CJK.search(check_error(response, 422, "validation_failed")["details"][0]["message"])
    response = upload(client, token, data=b"x" * (13 * MB), filename="huge.csv", accept_language="en")
    error = check_error(response, 413, "too_large")
    assert error["message"] == "The upload is too large."
    assert set(stored("ZJU")) == {"00123", "00124"}


@pytest.mark.parametrize(
    ("form", "status", "code", "field"),
    [
        ({"mode": "bogus"}, 422, "validation_failed", "mode"),
        ({"mode": "MERGE"}, 422, "validation_failed", "mode"),
        ({"dry_run": "perhaps"}, 400, "bad_request", None),
    ],
)
def test_bad_roster_parameters(client, world, form, status, code, field):
    token = api_login_as(client, "zju_admin")
    error = check_error(upload(client, token, data=csv_bytes(NEW_ROWS), **form), status, code)
    if field:
        assert [d["field"] for d in error["details"]] == [field]
    assert set(stored("ZJU")) == {"00123", "00124"}


# --- staff list --------------------------------------------------------------------------------------------


@pytest.fixture
def staff_world(world, make):
    zju = world["zju"]
    make.staff(zju, "00125", "李明", active=False)
    make.staff(zju, "00200", "张三", department="图书馆", category="other", birth_date=None, gender=None)
    make.staff(zju, "10123", "王五", department="财务处", category="admin_logistics")
    return world


ALL_ZJU = ["00123", "00124", "00125", "00200", "10123"]


def test_staff_page_shape_and_item_fields(client, staff_world):
    api_login_as(client, "zju_admin")
    page = staff_page(client)
    assert set(page) == {"items", "total", "page", "per_page"}
    assert (page["total"], page["page"], page["per_page"]) == (5, 1, 50)
    assert staff_nos(page) == ALL_ZJU
    items = {i["staff_no"]: i for i in page["items"]}
    assert {k: items["00123"][k] for k in STAFF_FIELDS} == {
        "staff_no": "00123",
        "name": "李老师",
        "department": "计算机学院",
        "category": "teaching_research",
        "gender": "male",
        "birth_date": "1990-05-01",
        "active": True,
    }
    assert {k: items["00200"][k] for k in STAFF_FIELDS} == {
        "staff_no": "00200",
        "name": "张三",
        "department": "图书馆",
        "category": "other",
        "gender": None,
        "birth_date": None,
        "active": True,
    }
    assert items["00125"]["active"] is False
    assert items["00124"]["gender"] == "female"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL_ZJU),
        ({"category": "teaching_research"}, ["00123", "00125"]),
        ({"category": "admin_logistics"}, ["00124", "10123"]),
        ({"category": "other"}, ["00200"]),
        ({"department": "财务处"}, ["00124", "10123"]),
        ({"department": "不存在的部门"}, []),
        ({"department": "计算机学院", "category": "teaching_research", "active": "true"}, ["00123"]),
        ({"q": "李"}, ["00123", "00125"]),
        ({"q": "老师"}, ["00123"]),
        ({"q": " 李明 "}, ["00125"]),
        ({"q": "00123"}, ["00123"]),
        ({"q": "001"}, ["00123", "00124", "00125"]),
        ({"q": "10"}, ["10123"]),
        ({"q": "%"}, []),
        ({"q": "_"}, []),
        ({"q": "赵老师"}, []),  # HZU's
        ({"active": "true"}, ["00123", "00124", "00200", "10123"]),
        ({"active": "false"}, ["00125"]),
        ({"active": "0"}, ["00125"]),
        ({"active": "false", "q": "李"}, ["00125"]),
        ({"category": "", "department": "", "q": ""}, ALL_ZJU),
    ],
)
def test_staff_filters(client, staff_world, params, expected):
    api_login_as(client, "org")
    page = staff_page(client, **params)
    assert staff_nos(page) == expected
    assert page["total"] == len(expected)
    if params.get("active") in ("false", "0"):
        assert all(item["active"] is False for item in page["items"])


@pytest.mark.parametrize(
    ("params", "expected", "total"),
    [
        ({"per_page": 2}, ["00123", "00124"], 5),
        ({"per_page": 2, "page": 2}, ["00125", "00200"], 5),
        ({"per_page": 2, "page": 3}, ["10123"], 5),
        ({"per_page": 2, "page": 4}, [], 5),
        ({"per_page": 500}, ALL_ZJU, 5),
        ({"per_page": 1, "page": 2, "active": "true"}, ["00124"], 4),
    ],
)
def test_staff_pagination(client, staff_world, params, expected, total):
    api_login_as(client, "zju_admin")
    page = staff_page(client, **params)
    assert staff_nos(page) == expected
    assert (page["total"], page["page"], page["per_page"]) == (
        total,
        params.get("page", 1),
        params["per_page"],
    )


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"page": 0}, 400, "bad_request"),
        ({"page": -1}, 400, "bad_request"),
        ({"page": "abc"}, 400, "bad_request"),
        ({"per_page": 0}, 400, "bad_request"),
        ({"per_page": 501}, 400, "bad_request"),
        ({"per_page": "2.5"}, 400, "bad_request"),
        ({"per_page": "lots"}, 400, "bad_request"),
        ({"active": "maybe"}, 400, "bad_request"),
        ({"category": "astronaut"}, 422, "validation_failed"),
    ],
)
def test_bad_staff_parameters(client, staff_world, params, status, code):
    api_login_as(client, "zju_admin")
    error = check_error(client.get("/api/v1/universities/ZJU/staff", query_string=params), status, code)
    if status == 422:
        assert [d["field"] for d in error["details"]] == ["category"]


@pytest.mark.parametrize(
    ("username", "code", "status", "expected"),
    [
        ("org", "ZJU", 200, ALL_ZJU),
        ("org", "HZU", 200, ["H001"]),
        ("zju_admin", "ZJU", 200, ALL_ZJU),
        ("hzu_admin", "HZU", 200, ["H001"]),
        ("zju_admin", "HZU", 404, "not_found"),
        ("hzu_admin", "ZJU", 404, "not_found"),
        ("org", "NOPE", 404, "not_found"),
        ("zju_admin", "NOPE", 404, "not_found"),
        ("zju_judge", "ZJU", 403, "forbidden"),
        ("zju_judge", "HZU", 403, "forbidden"),
        ("zju_staff", "ZJU", 403, "forbidden"),
    ],
)
def test_staff_list_scoping(client, staff_world, username, code, status, expected):
    api_login_as(client, username)
    response = client.get(f"/api/v1/universities/{code}/staff")
    if status == 200:
        assert response.status_code == 200
        assert staff_nos(response.get_json()) == expected
    else:
        error = check_error(response, status, expected)
        assert "李老师" not in response.get_data(as_text=True)
        assert error["details"] == []
