"""Demo coverage story: offline participations so that universities range from far behind to nearly there."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from ..enums import PostCategory
from ..extensions import db
from ..models import Department, OfflineParticipation, Staff, University

# How far each demo university has come this year (before its competition entries are counted).
TARGET_RATES = {"DHUT": 0.93, "LJNU": 0.74, "NSMU": 0.57, "XXUFE": 0.41, "BLAF": 0.97, "YQVC": 0.28}
EVENTS = {
    PostCategory.TEACHING_RESEARCH: [
        "院级青年教师讲课比赛",
        "课程思政教学设计展评",
        "实验教学技能竞赛",
        "多媒体课件制作比赛",
    ],
    PostCategory.ADMIN_LOGISTICS: [
        "公文写作技能比武",
        "办公软件操作竞赛",
        "后勤服务技能练兵",
        "财务业务知识竞赛",
    ],
    PostCategory.OTHER: ["图书分编技能竞赛", "实验室安全知识竞赛", "档案管理技能练兵"],
}


def _date_in(rng: random.Random, year: int, today: date) -> date:
    """Most events in spring and autumn terms, none in the future. The same draws whatever today is, so a
    seed gives the same people and events on any day (only dates past today move back)."""
    month = rng.choices(range(1, 13), weights=[2, 1, 8, 10, 9, 6, 2, 1, 7, 10, 9, 4])[0]
    day = rng.randint(1, 28)
    back = rng.randint(0, 60)
    moment = date(year, month, day)
    return moment if moment <= today else today - timedelta(days=back)


def load_demo_coverage(*, rng: random.Random, year: int, today: date) -> int:
    """Offline participations for a share of each university's active staff; some departments lag behind."""
    rows = []
    for university in db.session.scalars(select(University)):
        target = TARGET_RATES.get(university.code, 0.6)
        departments = list(
            db.session.scalars(
                select(Department.id).where(Department.university_id == university.id).order_by(Department.id)
            )
        )
        # Each department's own pace around the university's: the dashboards then show where to look.
        pace = {d: min(1.0, max(0.05, rng.gauss(target, 0.15))) for d in departments}
        staff = db.session.execute(
            select(Staff.id, Staff.department_id, Staff.category)
            .where(Staff.university_id == university.id, Staff.active.is_(True))
            .order_by(Staff.id)
        )
        for staff_id, department_id, category in staff:
            if rng.random() >= pace[department_id]:
                continue
            for _ in range(rng.choice((1, 1, 1, 2))):
                rows.append(
                    {
                        "university_id": university.id,
                        "staff_id": staff_id,
                        "event": rng.choice(EVENTS[category]),
                        "date": (when := _date_in(rng, year, today)),
                        "year": when.year,
                    }
                )
    if rows:
        db.session.execute(insert(OfflineParticipation.__table__), rows)
    return len(rows)
