"""The change plan of a roster import: create, update, unchanged and (replace only) deactivate."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain.roster import (
    FieldChange,
    ParseResult,
    RosterPlan,
    RosterRow,
    RosterUpdate,
    RowError,
    StaffSnapshot,
    describe_updates,
    parse_roster,
    plan_digest,
    plan_roster,
)

REQUIRED_COLUMNS = frozenset({"staff_no", "name", "department", "category"})
ALL_COLUMNS = REQUIRED_COLUMNS | {"gender", "birth_date", "title", "phone"}
BASE = {
    "name": "张三",
    "department": "文学院",
    "category": "teaching_research",
    "gender": "male",
    "birth_date": date(1990, 5, 1),
    "title": "讲师",
    "phone": "13912345678",
}


def row(staff_no: str, n: int = 2, **changes) -> RosterRow:
    return RosterRow(row=n, staff_no=staff_no, **{**BASE, **changes})


def snap(staff_no: str, active: bool = True, **changes) -> StaffSnapshot:
    return StaffSnapshot(staff_no=staff_no, **{**BASE, **changes}, active=active)


def parsed(*rows: RosterRow, columns=ALL_COLUMNS) -> ParseResult:
    return ParseResult(list(rows), [], frozenset(columns))


@pytest.mark.parametrize(
    ("stored", "file_row", "outcome"),
    [
        (None, row("A1"), "create"),
        (snap("A1"), row("A1"), "unchanged"),
        (snap("A1"), row("A1", department="化学学院"), "update"),
        (snap("A1"), row("A1", name="张叁"), "update"),
        (snap("A1"), row("A1", category="other"), "update"),
        (snap("A1"), row("A1", birth_date=date(1990, 5, 2)), "update"),
        (snap("A1"), row("A1", phone=None), "update"),  # present but empty cell clears the phone
        (snap("A1", active=False), row("A1"), "update"),  # re-activated even though nothing else changed
        (snap("A1", gender=None), row("A1", gender="female"), "update"),
    ],
)
def test_each_row_gets_one_outcome(stored, file_row, outcome):
    existing = {} if stored is None else {"A1": stored}
    plan = plan_roster(existing, parsed(file_row), "merge")
    got = {"create": plan.create, "update": plan.update, "unchanged": plan.unchanged}
    expected = ["A1"] if outcome == "unchanged" else [file_row]
    assert got[outcome] == expected
    assert sum(len(v) for v in got.values()) == 1 and plan.deactivate == []


def test_optional_columns_absent_from_the_file_keep_the_stored_value():
    existing = {"A1": snap("A1", phone="010-1234567", title="教授", gender="female")}
    file_row = row("A1", phone=None, title=None, gender=None, birth_date=None)
    plan = plan_roster(existing, parsed(file_row, columns=REQUIRED_COLUMNS), "merge")
    assert plan == RosterPlan(create=[], update=[], unchanged=["A1"], deactivate=[])
    plan = plan_roster(existing, parsed(file_row, columns=REQUIRED_COLUMNS | {"title"}), "merge")
    assert plan.update == [file_row] and plan.unchanged == []


def test_replace_deactivates_active_staff_missing_from_the_file():
    existing = {"A1": snap("A1"), "B2": snap("B2"), "C3": snap("C3", active=False), "D4": snap("D4")}
    file_rows = parsed(row("A1"), row("E5", 3))
    assert plan_roster(existing, file_rows, "replace") == RosterPlan(
        create=[row("E5", 3)], update=[], unchanged=["A1"], deactivate=["B2", "D4"]
    )
    assert plan_roster(existing, file_rows, "merge").deactivate == []


def test_mode_and_validity_are_checked():
    with pytest.raises(ValueError, match="mode"):
        plan_roster({}, parsed(row("A1")), "upsert")
    bad = ParseResult([], [RowError(None, None, "empty_file", {})], frozenset())
    with pytest.raises(ValueError, match="errors"):
        plan_roster({}, bad, "merge")


def test_plan_from_a_parsed_file():
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["工号", "姓名", "部门", "岗位类别", "手机"],
            ["G001", "赵海燕", "机械工程学院", "教师", ""],
            ["G002", "钱志强", "保卫处", "管理岗", "13900000000"],
        ]
    )
    result = parse_roster(out.getvalue().encode("gbk"), "r.csv", today=date(2026, 11, 25))
    existing = {
        "G001": StaffSnapshot(
            "G001",
            "赵海燕",
            "机械工程学院",
            "teaching_research",
            "female",
            date(1988, 7, 3),
            "教授",
            None,
            True,
        ),
        "G002": StaffSnapshot(
            "G002", "钱志强", "保卫处", "admin_logistics", None, None, None, "13800000000", True
        ),
        "G009": StaffSnapshot("G009", "孙丽娟", "档案馆", "other", None, None, None, None, True),
    }
    plan = plan_roster(existing, result, "replace")
    assert plan.unchanged == ["G001"]
    assert [r.staff_no for r in plan.update] == ["G002"]
    assert plan.deactivate == ["G009"]
    assert plan.create == []


# (3) every file row lands in exactly one list ------------------------------------------------------------

NOS = st.sampled_from([f"S{i:03d}" for i in range(12)])
FIELDS = {
    "name": st.sampled_from(["张三", "李四"]),
    "department": st.sampled_from(["文学院", "财务处"]),
    "category": st.sampled_from(["teaching_research", "admin_logistics", "other"]),
    "gender": st.sampled_from(["male", "female", None]),
    "birth_date": st.sampled_from([date(1990, 5, 1), None]),
    "title": st.sampled_from(["教授", None]),
    "phone": st.sampled_from(["13912345678", None]),
}
VALUES = st.fixed_dictionaries(FIELDS)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(NOS, st.tuples(VALUES, st.booleans()), max_size=12),
    st.lists(st.tuples(NOS, VALUES), max_size=12, unique_by=lambda t: t[0]),
    st.sets(st.sampled_from(["gender", "birth_date", "title", "phone"])),
    st.sampled_from(["merge", "replace"]),
)
def test_plan_covers_every_row_once(stored, file_rows, optional, mode):
    existing = {no: StaffSnapshot(no, **values, active=active) for no, (values, active) in stored.items()}
    rows = [RosterRow(i + 2, no, **values) for i, (no, values) in enumerate(file_rows)]
    plan = plan_roster(existing, parsed(*rows, columns=REQUIRED_COLUMNS | optional), mode)
    listed = [r.staff_no for r in plan.create] + [r.staff_no for r in plan.update] + plan.unchanged
    assert sorted(listed) == sorted(r.staff_no for r in rows)
    assert {r.staff_no for r in plan.create} == {r.staff_no for r in rows} - existing.keys()
    file_nos = {r.staff_no for r in rows}
    active = {no for no, s in existing.items() if s.active}
    assert set(plan.deactivate) == (set() if mode == "merge" else active - file_nos)
    assert len(plan.deactivate) == len(set(plan.deactivate))
    compared = ("name", "department", "category", *sorted(optional))
    by_no = {r.staff_no: r for r in rows}
    for r in plan.update:
        s = existing[r.staff_no]
        assert not s.active or any(getattr(r, f) != getattr(s, f) for f in compared)
    for no in plan.unchanged:
        s = existing[no]
        assert s.active and all(getattr(by_no[no], f) == getattr(s, f) for f in compared)


# (4) what a preview shows: each changed field before → after, and the name changes ---------------------


def describe(existing, *rows, columns=ALL_COLUMNS, mode="merge"):
    parsed_rows = parsed(*rows, columns=columns)
    plan = plan_roster(existing, parsed_rows, mode)
    return plan, describe_updates(existing, parsed_rows, plan)


def test_an_update_lists_every_changed_field_before_and_after():
    existing = {"A1": snap("A1", active=False, title=None)}
    changed = row(
        "A1",
        department="化学学院",
        category="other",
        gender="female",
        birth_date=date(1991, 2, 3),
        title="教授",
        phone="13800000000",
    )
    _, [update] = describe(existing, changed)
    assert update == RosterUpdate(
        changed,
        existing["A1"],
        (
            FieldChange("department", "文学院", "化学学院"),
            FieldChange("category", "teaching_research", "other"),
            FieldChange("gender", "male", "female"),
            FieldChange("birth_date", date(1990, 5, 1), date(1991, 2, 3)),
            FieldChange("title", None, "教授"),
            FieldChange("phone", "13912345678", "13800000000"),
            FieldChange("active", False, True),
        ),
    )
    assert not update.renamed


def test_a_new_name_under_the_same_staff_number_is_a_rename():
    existing = {"A1": snap("A1"), "B2": snap("B2", name="李四")}
    _, updates = describe(existing, row("A1", name="王五", department="化学学院"), row("B2", 3, name="李四"))
    assert [(u.row.staff_no, u.renamed, u.changes) for u in updates] == [
        ("A1", True, (FieldChange("name", "张三", "王五"), FieldChange("department", "文学院", "化学学院")))
    ]


def test_columns_the_file_lacks_are_not_listed_as_changes():
    existing = {"A1": snap("A1", phone="010-1234567")}
    file_row = row("A1", department="化学学院", phone=None, title=None, gender=None, birth_date=None)
    _, [update] = describe(existing, file_row, columns=REQUIRED_COLUMNS)
    assert update.changes == (FieldChange("department", "文学院", "化学学院"),)


def test_the_digest_changes_with_anything_the_import_would_write():
    existing = {"A1": snap("A1"), "B2": snap("B2")}
    rows = (row("A1", name="王五"), row("C3", 3))
    plan, updates = describe(existing, *rows, mode="replace")
    same = plan_digest(*describe(dict(existing), *rows, mode="replace"))
    assert plan_digest(plan, updates) == same and len(same) == 32
    others = [
        describe(existing, *rows, mode="merge"),  # B2 no longer deactivated
        describe({**existing, "A1": snap("A1", name="赵六")}, *rows, mode="replace"),  # another "before"
        describe({**existing, "C3": snap("C3")}, *rows, mode="replace"),  # C3 is no longer new
        describe(existing, row("A1", name="王五"), row("C3", 3, department="化学学院"), mode="replace"),
    ]
    assert len({plan_digest(*o) for o in others} | {same}) == 5
