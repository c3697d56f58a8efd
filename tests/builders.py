"""Builders that arrange a test's world: rows, competitions and entries (through the services), log-ins."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from competition.enums import Role
from competition.extensions import db
from competition.models import Competition, Department, Entry, RoleGrant, Staff, University, User
from competition.services import competitions, panels, registration, sheets

PASSWORD = "Correct-Horse-42"
# A competition's life cycle after "draft", one step at a time.
STEPS = ("registration_open", "registration_closed", "scoring", "published")


# --- rows ---------------------------------------------------------------------------------------------------


class Factory:
    """Builds rows directly (commits each), for arranging a test's world."""

    def university(self, code: str = "ZJU", name: str | None = None) -> University:
        university = University(code=code, name=name or f"{code} 大学")
        db.session.add(university)
        db.session.commit()
        return university

    def department(self, university: University, name: str = "计算机学院") -> Department:
        existing = db.session.query(Department).filter_by(university_id=university.id, name=name).first()
        if existing:
            return existing
        department = Department(university=university, name=name)
        db.session.add(department)
        db.session.commit()
        return department

    def staff(
        self,
        university: University,
        staff_no: str = "0001",
        name: str = "张三",
        *,
        department: str = "计算机学院",
        category: str = "teaching_research",
        active: bool = True,
        birth_date: date | None = date(1990, 5, 1),
        gender: str | None = "male",
    ) -> Staff:
        member = Staff(
            university=university,
            staff_no=staff_no,
            name=name,
            department=self.department(university, department),
            category=category,
            active=active,
            birth_date=birth_date,
            gender=gender,
        )
        db.session.add(member)
        db.session.commit()
        return member

    def user(
        self,
        username: str,
        role: str | Role,
        university: University | None = None,
        staff: Staff | None = None,
        password: str = PASSWORD,
    ) -> User:
        user = User(
            username=username,
            display_name=username,
            roles=[RoleGrant(role=str(role), university=university, staff=staff)],
        )
        user.set_password(password, method="pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()
        return user


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def staff(staff_no: str) -> Staff:
    return db.session.scalar(select(Staff).where(Staff.staff_no == staff_no))


def _account(who: str | User) -> User:
    return user(who) if isinstance(who, str) else who


# --- competitions -------------------------------------------------------------------------------------------


def in_days(days: float) -> str:
    """The moment ``days`` from now (negative: ago), to the minute, in ISO form with its UTC offset."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(second=0, microsecond=0).isoformat()


def competition_body(**overrides) -> dict:
    """A valid competition body as the API takes it: a provincial teaching contest for teaching staff, no age
    limit and no quota, open since yesterday for ten more days, groups 文科组 and 理科组, one round of one
    criterion. ``overrides`` replace keys."""
    body = {
        "name": "2026年青年教师教学竞赛",
        "kind": "teaching",
        "level": "provincial",
        "year": 2026,
        "eligible_categories": ["teaching_research"],
        "max_age": None,
        "age_reference_date": None,
        "registration_opens": in_days(-1),
        "registration_closes": in_days(10),
        "quota_per_university": None,
        "anonymous_judging": True,
        "requires_materials": False,
        "groups": [{"name": "文科组"}, {"name": "理科组"}],
        "rounds": [{"name": "课堂教学", "weight": 1, "criteria": [{"name": "教学内容", "max_score": 100}]}],
    }
    body.update(copy.deepcopy(overrides))  # a shared constant among the overrides stays untouched
    return body


def advance(competition: Competition, status: str, *, by: str | User = "org") -> Competition:
    """Move ``competition`` forward one audited step at a time, as ``by`` would, up to ``status``; commits."""
    path = ("draft", *STEPS)
    current, target = path.index(competition.status), path.index(status)
    if target < current:
        raise ValueError(f"a competition never goes back ({competition.status} → {status})")
    account = _account(by)
    for step in path[current + 1 : target + 1]:
        competitions.transition(competition=competition, to=step, by=account)
    db.session.commit()
    return competition


def make_competition(
    *, status: str = "registration_open", by: str | User = "org", **overrides
) -> Competition:
    """``competition_body(**overrides)`` set up by ``by`` (a username or a user) through the services and
    moved step by step to ``status``; committed."""
    competition = competitions.create_competition(data=competition_body(**overrides), by=_account(by))
    return advance(competition, status, by=by)


# --- entries ------------------------------------------------------------------------------------------------


def approve_entry(entry: Entry, *, by: str | User = "org") -> Entry:
    """Approve a pending entry through the service (within the quota, audited); commits."""
    registration.approve(entry=entry, by=_account(by))
    db.session.commit()
    return entry


def make_entry(
    competition: Competition,
    staff: Staff,
    *,
    group: int = 0,
    status: str = "pending",
    draw_no: int | None = None,
    by: str | User = "org",
) -> Entry:
    """``staff`` registered by ``by`` in the ``group``-th group through the services (eligibility checked,
    audited as in real use), then approved by ``by`` when ``status`` is "approved"; ``draw_no`` is then set as
    a draw would set it. Committed."""
    if status not in ("pending", "approved"):
        raise ValueError(f"make_entry makes pending or approved entries, not {status!r}")
    if draw_no is not None and status != "approved":
        raise ValueError("only an approved entry is drawn")
    account = _account(by)
    entry = registration.register(
        competition=competition, group_id=competition.groups[group].id, staff=staff, by=account
    )
    if status == "approved":
        registration.approve(entry=entry, by=account)
    if draw_no is not None:
        entry.draw_no = draw_no
    db.session.commit()
    return entry


# --- judging ------------------------------------------------------------------------------------------------

RUBRIC = [
    {
        "name": "教学设计",
        "weight": 0.2,
        "criteria": [{"name": "目标", "max_score": 40}, {"name": "方法", "max_score": 60}],
    },
    {
        "name": "课堂教学",
        "weight": 0.8,
        "criteria": [
            {"name": "教学内容", "max_score": 30},
            {"name": "教学组织", "max_score": 30},
            {"name": "教学语言与教态", "max_score": 25.5},
            {"name": "教学特色", "max_score": 14.5},
        ],
    },
]


def make_judge(username: str, university: University | None = None) -> User:
    """A judge account of ``university``, or an outside expert of none."""
    return Factory().user(username, Role.JUDGE, university)


def make_scoring_contest(
    entrants: list[Staff],
    *,
    level: str = "provincial",
    judges: dict[str, list[int]] | None = None,
    **overrides,
) -> tuple[Competition, list[Entry]]:
    """A contest with the two-round ``RUBRIC`` whose ``entrants`` are approved in group 0 and drawn 1..n,
    with ``judges`` (username → group indexes) on its panels, moved to ``scoring``; committed."""
    if level == "school":
        overrides.setdefault("university", entrants[0].university.code)
    competition = make_competition(status="registration_open", level=level, rounds=RUBRIC, **overrides)
    entries = [make_entry(competition, person, status="approved") for person in entrants]
    advance(competition, "registration_closed")
    for n, entry in enumerate(entries, 1):
        entry.draw_no = n
    db.session.commit()
    for username, groups in (judges or {}).items():
        panels.assign_judge(
            competition=competition,
            username=username,
            group_ids=[competition.groups[g].id for g in groups],
            by=user("org"),
        )
    db.session.commit()
    advance(competition, "scoring")
    return competition, entries


def make_sheet(judge: User, round_, entry: Entry, values: list, *, submit: bool = True, token: str = "t"):  # noqa: S107
    """A judge's sheet through the service: ``values`` in the order of the round's criteria; committed."""
    scores = {str(c.id): v for c, v in zip(round_.criteria, values, strict=True)}
    answer = sheets.save_sheet(
        judge=judge, round_id=round_.id, entry_id=entry.id, scores=scores, submit=submit, client_token=token
    )
    db.session.commit()
    return answer


# --- log-ins ------------------------------------------------------------------------------------------------


def csrf_token(client) -> str:
    return client.get("/api/v1/auth/csrf").get_json()["csrf_token"]


def login_as(client, username: str, password: str = PASSWORD) -> str:
    """Log in through the log-in page's form; returns the CSRF token to send with later form posts."""
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return token


def post_api_login(client, username: str, password: str = PASSWORD, *, token: str | None = None, **headers):
    """POST the API log-in with a CSRF token (a fresh one unless given); the response, whatever it is."""
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        headers={"X-CSRFToken": token if token is not None else csrf_token(client), **headers},
    )


def api_login_as(client, username: str, password: str = PASSWORD) -> str:
    """Log in through the API; returns the CSRF token to send with later writes."""
    token = csrf_token(client)
    response = post_api_login(client, username, password, token=token)
    assert response.status_code == 200, response.get_data(as_text=True)
    return token


class Api:
    """A test client logged in as one user through the API, sending the CSRF token with every write."""

    def __init__(self, app, username: str):
        self.username = username
        self.client = app.test_client()
        self.token = api_login_as(self.client, username)

    def get(self, path: str, **params):
        return self.client.get("/api/v1" + path, query_string=params)

    def post(self, path: str, json=None, **headers):
        return self.client.post("/api/v1" + path, json=json, headers={"X-CSRFToken": self.token, **headers})

    def put(self, path: str, json=None, **headers):
        return self.client.put("/api/v1" + path, json=json, headers={"X-CSRFToken": self.token, **headers})


# --- written tests ------------------------------------------------------------------------------------------

EXAM_PAPER = [
    {"type": "single", "count": 2, "points": 2},
    {"type": "multiple", "count": 1, "points": 3},
    {"type": "true_false", "count": 2, "points": 1},
]


def exam_round(
    name: str = "笔试",
    weight: float = 1,
    *,
    minutes: int = 30,
    opens: float = -1,
    closes: float = 1,
    paper: list | None = None,
    **settings,
) -> dict:
    """An exam round as the API body takes it: open from ``opens`` to ``closes`` days from now (UTC)."""
    exam = {
        "minutes": minutes,
        "opens": in_days(opens),
        "closes": in_days(closes),
        "paper": copy.deepcopy(paper or EXAM_PAPER),
    }
    exam.update(settings)
    return {"name": name, "weight": weight, "kind": "exam", "exam": exam}


def bank_questions(singles: int = 3, multiples: int = 2, true_false: int = 3) -> list[dict]:
    """Questions in the API's JSON form; right answers: single A (index 0), multiple A+C, true/false 正确."""
    questions = [
        {"type": "single", "text": f"单选题{i}", "options": ["对的", "错的", "也错", "还错"], "answer": [0]}
        for i in range(singles)
    ]
    questions += [
        {"type": "multiple", "text": f"多选题{i}", "options": ["甲", "乙", "丙", "丁"], "answer": [0, 2]}
        for i in range(multiples)
    ]
    questions += [{"type": "true_false", "text": f"判断题{i}", "answer": [0]} for i in range(true_false)]
    return questions


def make_exam_contest(
    entrants: list[Staff],
    *,
    rounds: list[dict] | None = None,
    status: str = "registration_open",
    questions: list[dict] | None = None,
    **overrides,
) -> tuple[Competition, list[Entry]]:
    """A drill whose exam round(s) have the ``bank_questions`` bank and whose ``entrants`` are approved in
    group 0; moved to ``status``; committed. Default: one exam round (``exam_round()``) of weight 1."""
    from competition.services import exam_bank

    overrides.setdefault("eligible_categories", ["teaching_research", "admin_logistics", "other"])
    competition = make_competition(status="draft", kind="drill", rounds=rounds or [exam_round()], **overrides)
    for round_ in competition.rounds:
        if round_.is_exam:
            exam_bank.import_bank_json(round_=round_, items=questions or bank_questions(), by=user("org"))
    db.session.commit()
    advance(competition, "registration_open")
    entries = [make_entry(competition, person, status="approved") for person in entrants]
    advance(competition, status)
    return competition, entries
