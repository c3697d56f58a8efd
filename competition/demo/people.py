"""The demo province's people: its universities and their staff, and the accounts to log in with.

Staff are drawn from the seeded generator (names, birth dates, titles, 工号, phone numbers); the accounts are
the organizer, one union admin and two judges per university, and three staff members of the largest one.
Their passwords never follow from the seed: they are drawn with ``secrets`` on every load.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from ..enums import Gender, PostCategory, Role
from ..extensions import db
from ..models import Department, RoleGrant, Staff, University, User
from ..services.accounts import INITIAL_PASSWORD_METHOD, generate_password
from .data import (
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
Universities = list[tuple[DemoUniversity, University]]  # each demo university's spec and its row


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


def add_universities() -> Universities:
    """The six universities with their departments, flushed so that they have ids."""
    universities = []
    for spec in UNIVERSITIES:
        university = University(code=spec.code, name=spec.name)
        for unit in (*spec.colleges, *spec.offices, *spec.support):
            university.departments.append(Department(name=unit))
        db.session.add(university)
        universities.append((spec, university))
    db.session.flush()
    return universities


def add_staff(universities: Universities, rng: random.Random) -> dict[str, list[dict]]:
    """Every university's staff, inserted in bulk; returns the rows by university code."""
    staff_by_university = {}
    for spec, university in universities:
        departments = {d.name: d.id for d in university.departments}
        rows = _staff_rows(spec, university.id, departments, rng)
        db.session.execute(insert(Staff), rows)
        staff_by_university[spec.code] = rows
    return staff_by_university


def add_accounts(
    universities: Universities,
    staff_by_university: dict[str, list[dict]],
    rng: random.Random,
) -> list[Login]:
    """The organizer, a union admin and two judges per university, three staff members; their log-ins."""
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
    return logins
