"""A realistic province in miniature for demonstrations: ``flask --app wsgi demo``.

Six fictional universities of different sizes and kinds with about 3,000 staff, and a handful of accounts
(organizer, one union admin and two judges per university, three staff members) to click through the product.
The data follow from the seed; the passwords never do: they are drawn with ``secrets`` on every load.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from .demo_contests import load_demo_contests
from .demo_coverage import load_demo_coverage
from .demo_data import (
    COMPOUND_SURNAMES,
    DEFAULT_OFFICE_TITLES,
    DEFAULT_SUPPORT_TITLES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    OFFICE_TITLES,
    OFFICE_WEIGHTS,
    PHONE_PREFIXES,
    SUPPORT_TITLES,
    SURNAMES,
    TEACHING_TITLES_BY_AGE,
    UNIVERSITIES,
    DemoUniversity,
)
from .enums import Gender, PostCategory, Role
from .extensions import db
from .models import Department, RoleGrant, Staff, University, User
from .services import audit
from .services.accounts import INITIAL_PASSWORD_METHOD, generate_password

LOGINS_FILE = "demo-logins.txt"
URL = "http://127.0.0.1:5000"
REFERENCE_YEAR = 2026  # ages, titles and years of joining are reckoned from here
# Shares of the post categories (teaching and research, other; admin and logistics take the rest).
TEACHING_SHARE = 0.60
OTHER_SHARE = 0.08
INACTIVE_SHARE = 0.02
MALE_SHARE = {
    PostCategory.TEACHING_RESEARCH: 0.53,
    PostCategory.ADMIN_LOGISTICS: 0.46,
    PostCategory.OTHER: 0.4,
}
ROLE_WORDS = {
    Role.ORGANIZER: "组织者 organizer",
    Role.UNIVERSITY_ADMIN: "高校管理员 university admin",
    Role.JUDGE: "评委 judge",
    Role.STAFF: "教职工 staff",
}


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    university: str  # "name code", or "-" for the organizer
    name: str


class _People:
    """Draws Chinese names, birth dates, titles and phone numbers from one seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._surname_weights = [1 / (rank + 4) for rank in range(len(SURNAMES))]

    def name(self, gender: str) -> str:
        rng = self.rng
        if rng.random() < 0.004:
            surname = rng.choice(COMPOUND_SURNAMES)
        else:
            surname = rng.choices(SURNAMES, weights=self._surname_weights)[0]
        pool = GIVEN_MALE if gender == Gender.MALE else GIVEN_FEMALE
        length = 1 if rng.random() < 0.3 else 2
        return surname + "".join(rng.choice(pool) for _ in range(length))

    def birth_date(self, category: str) -> date:
        rng = self.rng
        # Most staff were born between 1975 and 1992; the rest anywhere from 1962 to 2000.
        year = int(rng.triangular(1975, 1993, 1985)) if rng.random() < 0.7 else rng.randint(1962, 2000)
        if category == PostCategory.TEACHING_RESEARCH:
            year = min(year, 1999)  # a teacher has at least a master's degree
        return date(year, 1, 1) + timedelta(days=rng.randrange(365))

    def title(self, category: str, department: str, birth: date) -> str:
        if category == PostCategory.TEACHING_RESEARCH:
            age = REFERENCE_YEAR - birth.year
            choices = next(titles for minimum, titles in TEACHING_TITLES_BY_AGE if age >= minimum)
        elif category == PostCategory.ADMIN_LOGISTICS:
            choices = OFFICE_TITLES.get(department, DEFAULT_OFFICE_TITLES)
        else:
            choices = SUPPORT_TITLES.get(department, DEFAULT_SUPPORT_TITLES)
        titles, weights = zip(*choices, strict=True)
        return self.rng.choices(titles, weights=weights)[0]

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


class _StaffNumbers:
    """工号 as text with leading zeros: a padded sequence with gaps, or the year of joining + a sequence."""

    def __init__(self, scheme: str, rng: random.Random):
        self.scheme = scheme
        self.rng = rng
        self.next = rng.randint(1, 40)
        self.per_year: dict[int, int] = {}

    def __call__(self, birth: date) -> str:
        if self.scheme == "year":
            year = min(max(birth.year + self.rng.randint(23, 30), 1985), REFERENCE_YEAR - 1)
            self.per_year[year] = self.per_year.get(year, 0) + 1
            return f"{year}{self.per_year[year]:03d}"
        number = self.next
        self.next += self.rng.choice((1, 1, 1, 1, 2, 3))  # people leave: numbers are not contiguous
        return f"{number:0{6 if self.scheme == 'seq6' else 5}d}"


def _categories(size: int, rng: random.Random) -> list[str]:
    teaching = round(size * TEACHING_SHARE)
    other = round(size * OTHER_SHARE)
    categories = (
        [PostCategory.TEACHING_RESEARCH] * teaching
        + [PostCategory.OTHER] * other
        + [PostCategory.ADMIN_LOGISTICS] * (size - teaching - other)
    )
    rng.shuffle(categories)
    return [str(c) for c in categories]


def _staff_rows(spec: DemoUniversity, university_id: int, departments: dict[str, int], rng: random.Random):
    """The staff rows of one university, ready for a bulk insert."""
    people = _People(rng)
    numbers = _StaffNumbers(spec.staff_no, rng)
    units = {
        PostCategory.TEACHING_RESEARCH: (spec.colleges, [rng.uniform(0.5, 1.8) for _ in spec.colleges]),
        PostCategory.ADMIN_LOGISTICS: (spec.offices, [OFFICE_WEIGHTS.get(o, 1.0) for o in spec.offices]),
        PostCategory.OTHER: (spec.support, [2.5 if s == "图书馆" else 1.0 for s in spec.support]),
    }
    size = spec.size + rng.randint(-spec.size // 20, spec.size // 20)
    seen = dict.fromkeys(units, 0)
    rows = []
    for category in _categories(size, rng):
        names, weights = units[category]
        # The first people of a category fill every unit once, so that no department stays empty.
        index = seen[category]
        department = names[index] if index < len(names) else rng.choices(names, weights=weights)[0]
        seen[category] += 1
        gender = Gender.MALE if rng.random() < MALE_SHARE[category] else Gender.FEMALE
        birth = people.birth_date(category)
        rows.append(
            {
                "university_id": university_id,
                "staff_no": numbers(birth),
                "name": people.name(gender),
                "department_id": departments[department],
                "category": category,
                "gender": str(gender),
                "birth_date": birth,
                "title": people.title(category, department, birth),
                "phone": people.phone(),
                "active": rng.random() >= INACTIVE_SHARE,
            }
        )
    return rows


def _user(username: str, display_name: str, grant: RoleGrant) -> tuple[User, str]:
    password = generate_password()
    user = User(
        username=username,
        display_name=display_name,
        must_change_password=False,  # demo users click straight through
        password_hash=generate_password_hash(password, method=INITIAL_PASSWORD_METHOD),
        roles=[grant],
    )
    db.session.add(user)
    return user, password


def _staff_accounts(university: University, rows: list[dict], rng: random.Random) -> list[tuple]:
    """Three staff members of the largest university: a young teacher, an older one, an office worker."""
    active = sorted((r for r in rows if r["active"]), key=lambda r: r["staff_no"])
    teaching = [r for r in active if r["category"] == PostCategory.TEACHING_RESEARCH]
    picks = [
        ("青年教师 young teacher", [r for r in teaching if r["birth_date"].year >= 1990]),
        ("资深教师 senior teacher", [r for r in teaching if r["birth_date"].year <= 1975]),
        ("行政后勤 admin & logistics", [r for r in active if r["category"] == PostCategory.ADMIN_LOGISTICS]),
    ]
    chosen = [(label, rng.choice(candidates)) for label, candidates in picks]
    ids = dict(
        db.session.execute(
            select(Staff.staff_no, Staff.id).where(
                Staff.university_id == university.id, Staff.staff_no.in_([r["staff_no"] for _, r in chosen])
            )
        ).all()
    )
    accounts = []
    for label, row in chosen:
        grant = RoleGrant(role=Role.STAFF, university_id=university.id, staff_id=ids[row["staff_no"]])
        _, password = _user(f"{university.code}{row['staff_no']}", row["name"], grant)
        accounts.append((label, row, password))
    return accounts


def load_demo(*, seed: int = 2026) -> str:
    """Add the demo province to the session (the caller commits) and return the table of its log-ins."""
    rng = random.Random(seed)
    universities = []
    for spec in UNIVERSITIES:
        university = University(code=spec.code, name=spec.name)
        for unit in (*spec.colleges, *spec.offices, *spec.support):
            university.departments.append(Department(name=unit))
        db.session.add(university)
        universities.append((spec, university))
    db.session.flush()

    staff_by_university = {}
    for spec, university in universities:
        departments = {d.name: d.id for d in university.departments}
        rows = _staff_rows(spec, university.id, departments, rng)
        db.session.execute(insert(Staff), rows)
        staff_by_university[spec.code] = rows

    people = _People(rng)
    logins = []
    _, password = _user("organizer", "省教育工会（演示）", RoleGrant(role=Role.ORGANIZER))
    logins.append(Login("organizer", password, ROLE_WORDS[Role.ORGANIZER], "-", "省教育工会（演示）"))
    for spec, university in universities:
        where = f"{spec.name} {spec.code}"
        username = f"admin_{spec.code.lower()}"
        display = f"{spec.name}工会"
        _, password = _user(
            username, display, RoleGrant(role=Role.UNIVERSITY_ADMIN, university_id=university.id)
        )
        logins.append(Login(username, password, ROLE_WORDS[Role.UNIVERSITY_ADMIN], where, display))
        for number in (1, 2):
            username = f"judge_{spec.code.lower()}_{number}"
            display = people.name(rng.choice(list(Gender)))
            grant = RoleGrant(role=Role.JUDGE, university_id=university.id)
            _, password = _user(username, display, grant)
            logins.append(Login(username, password, ROLE_WORDS[Role.JUDGE], where, display))

    largest_spec, largest = max(universities, key=lambda pair: len(staff_by_university[pair[0].code]))
    for label, row, password in _staff_accounts(largest, staff_by_university[largest_spec.code], rng):
        role = f"{ROLE_WORDS[Role.STAFF]} ({label})"
        username = f"{largest.code}{row['staff_no']}"
        logins.append(
            Login(username, password, role, f"{largest_spec.name} {largest_spec.code}", row["name"])
        )
    load_demo_contests(rng=rng)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    load_demo_coverage(rng=rng, year=today.year, today=today)

    total = sum(len(rows) for rows in staff_by_university.values())
    db.session.flush()
    audit.record(
        "demo.load", by=None, object_type="system", seed=seed, universities=len(universities), staff=total
    )
    return _logins_text(logins, universities=len(universities), staff=total)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _logins_text(logins: list[Login], *, universities: int, staff: int) -> str:
    path = Path(current_app.instance_path) / LOGINS_FILE
    heading = ("用户名 Username", "密码 Password", "角色 Role", "高校 University", "姓名 Name")
    rows = [heading, *((x.username, x.password, x.role, x.university, x.name) for x in logins)]
    lines = [
        "演示账号 / Demo log-ins",
        "=======================",
        f"已载入 {universities} 所高校、{staff:,} 名教职工 / "
        f"Loaded {universities} universities and {staff:,} staff.",
        f"打开 Open {URL} (flask --app wsgi run), 用下列账号登录 / log in with one of these accounts.",
        f"这些账号保存在 / They are kept in: {path}",
        "",
        *_table(rows),
        "",
        "密码为随机生成, 仅供演示 / The passwords are random and for demonstration only.",
    ]
    return "\n".join(lines) + "\n"
