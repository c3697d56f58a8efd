"""A deterministic province at scale, for the benchmarks: ``generate(seed=2026, year=2026, scale=1.0)``.

At scale 1: 60 universities of very different sizes (a long tail: five with 6,000-8,000 staff, most with
1,000-2,500, a dozen small ones; 150,000 staff in all), each with 20-60 departments (学院 for the teaching
posts, offices for admin and logistics, 教辅 units for the rest); 300 competitions of the year (60 provincial,
the others school-level spread over the universities) with groups, rounds, criteria and awards, in all five
states;
200,000 entries in every status (about 70% approved, 15% pending, 8% rejected, 7% withdrawn) and about 40,000
offline participations, so that coverage ranges from about 40% to nearly 100% between universities.

Everything follows from the seed. ``plan()`` computes the rows in memory (pure: no database); ``generate()``
writes them with SQLAlchemy Core executemany in chunks, choosing the ids itself (after each table's current
maximum) so that nothing has to be read back, then refreshes the planner's statistics (ANALYZE), as one does
after a bulk load.

The shape of the data:
- a competition's window lies in the year (more of them in the spring and autumn terms); its state follows
  from the window seen from the snapshot date (20 November): not open yet → draft (no entries), open → entries
  mostly pending, closed lately → registration_closed, then scoring, then published (draws done);
- school-level entries come from the owning university's staff only, provincial ones are nominated by every
  university (within the quota, when there is one); every entry is category- and age-eligible, one per
  (competition, staff member); approval dates fall inside or just after the registration window, so the
  monthly trend grows through the year;
- each university has an engagement rate (0.36-0.995); only its engaged staff get approved entries and offline
  participations, and every engaged person gets at least one, so that rate is about its coverage.

CLI: ``.venv/bin/python bench/generate.py [--seed N] [--scale X] [--database-url URL]``. Without
``--database-url`` it writes into the app's database (DATABASE_URL, else instance/competition.db), which must
hold no university yet: it refuses otherwise.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from competition.demo.data import GIVEN_FEMALE, GIVEN_MALE, SURNAMES  # noqa: E402
from competition.domain.eligibility import age_on  # noqa: E402

# --------------------------------------------------------------------------------------------------
# Sizes at scale 1 (DESIGN.md §5) and the shares of the field.

UNIVERSITIES = 60
STAFF = 150_000
COMPETITIONS = 300
PROVINCIAL_SHARE = 0.2  # 60 of 300
ENTRIES = 200_000
PROVINCIAL_ENTRY_SHARE = 0.15  # of the entries, about 500 per provincial competition
OFFLINE = 40_000
ENTRY_SHARES = {"approved": 70, "rejected": 8, "withdrawn": 7}  # of the decided entries; pending apart
PENDING_SHARE = 0.15
# Pending entries are mostly in open competitions (not decided yet), fewer in closed ones; what is left of the
# 15% lies in older competitions (entries nobody ever decided on).
PENDING_IN_OPEN, PENDING_IN_CLOSED = 0.55, 0.30
TEACHING_SHARE, OTHER_SHARE = 0.60, 0.08  # admin and logistics: the remaining 32%
INACTIVE_SHARE = 0.02
MALE_SHARE = {"teaching_research": 0.53, "admin_logistics": 0.46, "other": 0.40}
YOUNG_MAX_AGE = 40  # the young teachers' contests: at most 40 on 31 August
CHUNK = 5_000
SNAPSHOT = (11, 20)  # the day of the year the province is seen from (month, day)

# --------------------------------------------------------------------------------------------------
# Names (invented; readable Chinese for universities and departments).


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PLACES = _words(
    "东湖 临江 南山 西溪 北岭 云栖 青川 白鹭 枫桥 梅岭 松涛 清溪 明湖 翠屏 望江 凤鸣 鹤山 龙泉 桃源 星海 "
    "金沙 碧水 远山 兰亭 柳浪 石湾 云梦 沧澜 潮音 嘉禾"
)
KINDS_BY_TIER = {
    "large": _words("大学 理工大学 师范大学 医科大学 科技大学"),
    "upper": _words("理工大学 师范大学 医科大学 财经大学 农林大学 工业大学 科技大学 大学"),
    "medium": _words(
        "科技学院 师范学院 工程学院 医学院 财经学院 外国语学院 艺术学院 理工学院 城市学院 中医药大学 "
        "体育学院 传媒学院 工商大学 交通大学 学院"
    ),
    "small": _words(
        "职业技术学院 高等专科学校 职业学院 艺术职业学院 医学高等专科学校 交通职业技术学院 "
        "工贸职业技术学院 旅游职业学院"
    ),
}
# (tier, how many of the 60, staff range)
TIERS = (
    ("large", 5, (6_000, 8_000)),
    ("upper", 10, (2_800, 5_500)),
    ("medium", 34, (1_100, 2_500)),
    ("small", 11, (300, 950)),
)
COLLEGES = _words(
    "机械工程学院 电气工程学院 计算机科学与技术学院 软件学院 土木工程学院 建筑学院 "
    "材料科学与工程学院 化学化工学院 环境科学与工程学院 能源与动力工程学院 数学科学学院 "
    "物理学院 生命科学学院 地理科学学院 文学院 历史文化学院 哲学学院 新闻传播学院 外国语学院 "
    "法学院 经济学院 管理学院 会计学院 金融学院 公共管理学院 教育学院 心理学院 体育学院 "
    "音乐学院 美术学院 设计学院 马克思主义学院 临床医学院 基础医学院 公共卫生学院 药学院 "
    "护理学院 口腔医学院 农学院 林学院 园艺学院 动物科技学院 食品科学与工程学院 信息工程学院 "
    "电子信息学院 自动化学院 航空航天学院 海洋学院 旅游学院 国际教育学院 继续教育学院 创新创业学院"
)
OFFICES = _words(
    "党委办公室 校长办公室 组织部 宣传部 统战部 纪委办公室 人事处 财务处 审计处 教务处 "
    "研究生院 科研处 社会科学处 学生工作处 招生就业处 国际交流与合作处 发展规划处 后勤保障处 "
    "资产管理处 实验室与设备管理处 基建处 保卫处 离退休工作处 工会 团委"
)
SUPPORT = _words(
    "图书馆 档案馆 现代教育技术中心 分析测试中心 实验教学中心 工程训练中心 网络与信息中心 "
    "校医院 出版社 学报编辑部 博物馆"
)
OFFICE_WEIGHTS = {
    "后勤保障处": 6.0,
    "财务处": 2.0,
    "教务处": 1.6,
    "学生工作处": 1.6,
    "资产管理处": 1.4,
    "基建处": 1.3,
}
SUPPORT_WEIGHTS = {"图书馆": 3.0, "校医院": 2.0, "实验教学中心": 1.5}
GIVEN = {"male": GIVEN_MALE, "female": GIVEN_FEMALE}
TITLES = {
    "teaching_research": (("教授", 2), ("副教授", 4), ("讲师", 5), ("助教", 1)),
    "admin_logistics": (("科员", 6), ("副科长", 2), ("科长", 2), ("工程师", 1), ("会计师", 1), ("技师", 1)),
    "other": (("馆员", 3), ("实验师", 3), ("工程师", 2), ("助理馆员", 1), ("主治医师", 1)),
}
REJECT_REASONS = ("不符合参赛条件", "所在部门未推荐", "报名材料不完整", "超出学校推荐名额")
OFFLINE_EVENTS = (
    "院级教学基本功比赛",
    "消防安全技能比武",
    "应急救护技能竞赛",
    "师德师风知识竞赛",
    "安全生产知识竞赛",
    "教职工信息化技能考核",
    "档案管理业务竞赛",
    "网络安全知识竞赛",
    "实验室安全准入考核",
    "课堂教学观摩评比",
    "财务报销业务技能测试",
    "后勤服务礼仪展示",
)
# Month weights of the registration openings: most in the spring and autumn terms.
OPENING_MONTHS = (3, 2, 9, 11, 11, 8, 3, 2, 9, 11, 10, 6)

# Round templates: (name, weight, ((criterion, max score), ...))
YOUNG_ROUNDS = (
    ("教学设计", "0.20", (("教学目标", 20), ("教学内容", 30), ("教学方法", 30), ("文档规范", 20))),
    ("课堂教学", "0.75", (("教学内容", 30), ("教学组织", 30), ("教学语言与教态", 25), ("教学特色", 15))),
    ("教学反思", "0.05", (("反思深度", 60), ("改进措施", 40))),
)
INNOVATION_ROUNDS = (
    ("教学创新成果报告", "0.40", (("创新理念", 40), ("实施成效", 40), ("报告规范", 20))),
    ("课堂教学实录", "0.60", (("教学设计", 30), ("教学实施", 50), ("教学效果", 20))),
)
SHOW_ROUNDS = (("现场展示", "1", (("内容设计", 40), ("表达与呈现", 30), ("效果与特色", 30))),)
WRITTEN_PRACTICAL = (
    ("笔试", "0.40", (("岗位知识", 60), ("法规与安全", 40))),
    ("实操", "0.60", (("操作规范", 40), ("完成质量", 40), ("时间效率", 20))),
)
WRITING_ROUNDS = (("公文写作", "1", (("法定公文", 20), ("事务性文稿", 80))),)
OFFICE_ROUNDS = (
    ("知识测试", "0.30", (("知识测试", 100),)),
    ("Excel数据处理", "0.35", (("数据处理", 60), ("公式与图表", 40))),
    ("PPT制作", "0.35", (("内容结构", 50), ("版式设计", 50))),
)
LIBRARY_ROUNDS = (
    ("知识竞答", "0.50", (("知识竞答", 100),)),
    ("图书排架", "0.50", (("排架准确率", 70), ("用时", 30))),
)
TR, AL, OT = "teaching_research", "admin_logistics", "other"


@dataclass(frozen=True)
class Theme:
    name: str
    kind: str
    categories: tuple[str, ...]
    young: bool  # at most 40 on 31 August
    groups: tuple[str, ...]
    rounds: tuple
    weight: float  # how often universities run it
    materials: bool = False


THEMES = (
    Theme(
        "青年教师教学竞赛",
        "teaching",
        (TR,),
        True,
        ("文科组", "理科组", "工科组", "医科组", "思政课专项"),
        YOUNG_ROUNDS,
        0.17,
        True,
    ),
    Theme(
        "教学创新大赛",
        "teaching",
        (TR,),
        False,
        ("正高组", "副高组", "中级及以下组"),
        INNOVATION_ROUNDS,
        0.11,
        True,
    ),
    Theme("课程思政教学竞赛", "teaching", (TR,), False, ("人文社科组", "理工农医组"), SHOW_ROUNDS, 0.11),
    Theme("实验教学技能竞赛", "teaching", (TR,), False, ("理工组", "医学组"), WRITTEN_PRACTICAL, 0.08),
    Theme("多媒体课件制作大赛", "teaching", (TR,), False, ("综合组",), SHOW_ROUNDS, 0.08),
    Theme("公文写作岗位练兵", "drill", (AL,), False, ("综合管理组",), WRITING_ROUNDS, 0.09),
    Theme("办公技能竞赛", "drill", (AL, OT), False, ("综合组", "财务组"), OFFICE_ROUNDS, 0.11),
    Theme(
        "后勤服务技能比武",
        "drill",
        (AL,),
        False,
        ("维修组", "保洁组", "水电组", "餐饮服务组"),
        WRITTEN_PRACTICAL,
        0.08,
    ),
    Theme("图书馆业务技能竞赛", "drill", (OT,), False, ("图书组",), LIBRARY_ROUNDS, 0.05),
    Theme(
        "实验室安全技能竞赛",
        "drill",
        (TR, AL, OT),
        False,
        ("实验技术组", "管理服务组"),
        WRITTEN_PRACTICAL,
        0.07,
    ),
    Theme("财务业务技能竞赛", "drill", (AL,), False, ("财务组",), WRITTEN_PRACTICAL, 0.05),
)
AWARD_SETS = (
    (("一等奖", "0.15"), ("二等奖", "0.25"), ("三等奖", "0.35")),
    (("一等奖", "0.15"), ("二等奖", "0.35"), ("三等奖", "0.50")),
    (("一等奖", "0.10"), ("二等奖", "0.20"), ("三等奖", "0.30"), ("优秀奖", "0.20")),
)

# Column order of the tuples in Plan.rows (the model columns not listed keep their defaults).
COLUMNS = {
    "university": ("id", "code", "name", "created_at"),
    "department": ("id", "university_id", "name"),
    "staff": (
        "id",
        "university_id",
        "staff_no",
        "name",
        "department_id",
        "category",
        "gender",
        "birth_date",
        "title",
        "phone",
        "active",
        "created_at",
        "updated_at",
    ),
    "competition": (
        "id",
        "name",
        "description",
        "kind",
        "level",
        "university_id",
        "year",
        "eligible_categories",
        "max_age",
        "age_reference_date",
        "registration_opens",
        "registration_closes",
        "quota_per_university",
        "anonymous_judging",
        "requires_materials",
        "status",
        "created_at",
        "status_changed_at",
    ),
    "competition_group": ("id", "competition_id", "name", "position"),
    "round": ("id", "competition_id", "name", "position", "weight", "mode"),
    "criterion": ("id", "round_id", "name", "description", "max_score", "position"),
    "award_level": ("id", "competition_id", "name", "ratio", "position"),
    "entry": (
        "id",
        "competition_id",
        "group_id",
        "staff_id",
        "university_id",
        "status",
        "reason",
        "draw_no",
        "created_at",
        "decided_at",
        "approved_at",
    ),
    "offline_participation": ("id", "university_id", "staff_id", "event", "date", "year", "imported_at"),
}
TABLES = tuple(COLUMNS)  # insertion order (parents first)


@dataclass
class Plan:
    """The rows of every table as tuples in ``COLUMNS`` order, and the figures that describe them."""

    rows: dict[str, list[tuple]]
    counts: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Small helpers.


def _apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` in whole numbers in proportion to ``weights``, never above ``caps`` (water-filling:
    what a capped share cannot take goes to the others); the sum is ``min(total, sum(caps))``."""
    n = len(weights)
    caps = list(caps) if caps is not None else [total] * n
    shares = [0.0] * n
    free = [i for i in range(n) if caps[i] > 0 and weights[i] > 0]
    remaining = float(total)
    while free and remaining > 1e-9:
        wsum = sum(weights[i] for i in free)
        capped = [i for i in free if remaining * weights[i] / wsum >= caps[i]]
        if not capped:
            for i in free:
                shares[i] = remaining * weights[i] / wsum
            break
        for i in capped:
            shares[i] = caps[i]
            remaining -= caps[i]
        free = [i for i in free if i not in set(capped)]
    result = [min(caps[i], int(shares[i])) for i in range(n)]
    short = min(total, sum(caps)) - sum(result)
    by_fraction = sorted(range(n), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    while short > 0:
        moved = False
        for i in by_fraction:
            if short and result[i] < caps[i] and weights[i] > 0:
                result[i] += 1
                short -= 1
                moved = True
        if not moved:
            break
    return result


def _scaled(value: int, scale: float, minimum: int = 0) -> int:
    return max(minimum, round(value * scale))


def _moment(start: datetime, end: datetime, rng: random.Random) -> datetime:
    """A moment between ``start`` and ``end``, to the second."""
    seconds = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, seconds))


def _sample_excluding(rng: random.Random, pools: list[list[int]], k: int, exclude: set[int]) -> list[int]:
    """``k`` distinct members of the concatenated ``pools`` that are not in ``exclude`` (which grows).

    Random draws while that is cheap; a filtered sample when most of the pools are needed.
    """
    if k <= 0:
        return []
    sizes = [len(p) for p in pools]
    total = sum(sizes)
    out: list[int] = []
    if total and k * 4 < total:
        cumulative = list(accumulate(sizes))
        for _ in range(8 * k + 50):
            r = rng.randrange(total)
            j = bisect_right(cumulative, r)
            person = pools[j][r - (cumulative[j - 1] if j else 0)]
            if person not in exclude:
                exclude.add(person)
                out.append(person)
                if len(out) == k:
                    return out
    candidates = [p for pool in pools for p in pool if p not in exclude]
    more = rng.sample(candidates, min(k - len(out), len(candidates)))
    exclude.update(more)
    return out + more


# --------------------------------------------------------------------------------------------------
# The plan.


@dataclass
class _University:
    index: int
    id: int
    code: str
    name: str
    size: int
    nominal: int  # its size at scale 1
    engagement: float
    colleges: list[tuple[int, str]] = field(default_factory=list)  # (department id, name)
    offices: list[tuple[int, str]] = field(default_factory=list)
    support: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Competition:
    id: int
    theme: Theme
    university: _University | None
    name: str
    opens: datetime
    closes: datetime
    status: str
    groups: list[int] = field(default_factory=list)  # group ids
    size: int = 0
    quota: int | None = None
    has_quota: bool = False


def _universities(rng: random.Random, scale: float, base: dict[str, int]) -> list[_University]:
    nominal = []
    for tier, count, (low, high) in TIERS:
        nominal += [(tier, rng.randint(low, high)) for _ in range(count)]
    # Scale the tiers below the largest so that the province has exactly STAFF people at scale 1.
    large = sum(size for tier, size in nominal if tier == "large")
    rest = sum(size for tier, size in nominal if tier != "large")
    factor = (STAFF - large) / rest
    nominal = [(tier, size if tier == "large" else round(size * factor)) for tier, size in nominal]
    medium = next(i for i, (tier, _) in enumerate(nominal) if tier == "medium")
    nominal[medium] = ("medium", nominal[medium][1] + STAFF - sum(size for _, size in nominal))
    nominal.sort(key=lambda pair: -pair[1])
    count = UNIVERSITIES if scale >= 0.1 else max(4, min(UNIVERSITIES, round(UNIVERSITIES * scale * 10)))
    if count < UNIVERSITIES:  # a spread of sizes: evenly spaced down the sorted list
        nominal = [nominal[round(i * (UNIVERSITIES - 1) / (count - 1))] for i in range(count)]
    sizes = _apportion(_scaled(STAFF, scale, count * 5), [s for _, s in nominal])
    # Engagement: a few unions near 100%, a few around 40%, the others between.
    tiers = max(1, round(count * 0.15))
    engagement = (
        [rng.uniform(0.93, 0.995) for _ in range(tiers)]
        + [rng.uniform(0.36, 0.46) for _ in range(tiers)]
        + [rng.uniform(0.50, 0.90) for _ in range(count - 2 * tiers)]
    )
    rng.shuffle(engagement)
    order = list(range(count))
    rng.shuffle(order)  # the codes do not follow the sizes
    used: set[str] = set()
    universities = []
    for position, i in enumerate(order):
        tier, size_1 = nominal[i]
        kinds = KINDS_BY_TIER[tier]
        start = rng.randrange(len(PLACES))
        name = ""
        for step in range(len(PLACES) * len(kinds)):
            name = PLACES[(start + step) % len(PLACES)] + kinds[(start + step // len(PLACES)) % len(kinds)]
            if name not in used:
                break
        used.add(name)
        universities.append(
            _University(
                index=position,
                id=base["university"] + position + 1,
                code=f"U{position + 1:02d}",
                name=name,
                size=max(1, sizes[i]),
                nominal=size_1,
                engagement=engagement[i],
            )
        )
    return universities


def _departments(rng: random.Random, universities: list[_University], base: dict[str, int]) -> list[tuple]:
    sizes = [u.nominal for u in universities]
    low, high = min(sizes), max(sizes)
    rows = []
    next_id = base["department"]
    for u in universities:
        position = (u.nominal - low) / (high - low) if high > low else 0.5
        count = max(20, min(60, round(20 + 40 * position**0.6 + rng.randint(-3, 3))))
        support = max(2, min(len(SUPPORT), round(count * 0.1)))
        offices = max(6, min(len(OFFICES), round(count * 0.35)))
        colleges = min(len(COLLEGES), count - support - offices)
        chosen = {
            "colleges": sorted(rng.sample(range(len(COLLEGES)), colleges)),
            "offices": sorted(rng.sample(range(len(OFFICES)), offices)),
            "support": sorted(rng.sample(range(len(SUPPORT)), support)),
        }
        for kind, names in (("colleges", COLLEGES), ("offices", OFFICES), ("support", SUPPORT)):
            for j in chosen[kind]:
                next_id += 1
                getattr(u, kind).append((next_id, names[j]))
                rows.append((next_id, u.id, names[j]))
    return rows


class _Staff:
    """The staff of the province, column by column (index i is staff id ``base + 1 + i``)."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.university: list[int] = []  # university index
        self.category: list[str] = []
        self.young: list[bool] = []
        self.active: list[bool] = []
        self.engaged: list[bool] = []


def _staff(rng: random.Random, universities: list[_University], year: int, base: int) -> _Staff:
    staff = _Staff()
    created = datetime(year, 1, 4, 1, 0)
    reference = date(year, 8, 31)
    surname_weights = list(accumulate(1 / (rank + 4) for rank in range(len(SURNAMES))))
    for u in universities:
        teaching, other = round(u.size * TEACHING_SHARE), round(u.size * OTHER_SHARE)
        categories = [TR] * teaching + [OT] * other + [AL] * (u.size - teaching - other)
        rng.shuffle(categories)
        departments: dict[str, list[int]] = {}
        for category, units, weights in (
            (TR, u.colleges, [rng.uniform(0.5, 1.8) for _ in u.colleges]),
            (AL, u.offices, [OFFICE_WEIGHTS.get(name, 1.0) for _, name in u.offices]),
            (OT, u.support, [SUPPORT_WEIGHTS.get(name, 1.0) for _, name in u.support]),
        ):
            ids = [unit_id for unit_id, _ in units]
            needed = categories.count(category)
            first = ids[:needed]  # every unit gets somebody before any gets a second person
            picks = first + rng.choices(ids, cum_weights=list(accumulate(weights)), k=needed - len(first))
            rng.shuffle(picks)
            departments[category] = picks
        seen = Counter()
        scheme = "year" if u.index % 3 == 1 else "seq"
        number = rng.randint(1, 40)
        per_year: Counter = Counter()
        titles = {c: (list(zip(*TITLES[c], strict=True))) for c in TITLES}
        for category in categories:
            department_id = departments[category][seen[category]]
            seen[category] += 1
            gender = "male" if rng.random() < MALE_SHARE[category] else "female"
            surname = rng.choices(SURNAMES, cum_weights=surname_weights)[0]
            given = GIVEN[gender]
            name = surname + rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
            if rng.random() < 0.7:
                birth_year = int(rng.triangular(1975, 1993, 1985))
            else:
                birth_year = rng.randint(1962, 2000)
            if category == TR:
                birth_year = min(birth_year, 1998)
            birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
            if scheme == "year":
                joined = min(max(birth.year + rng.randint(23, 30), 1985), year - 1)
                per_year[joined] += 1
                staff_no = f"{joined}{per_year[joined]:04d}"
            else:
                staff_no = f"{number:06d}"
                number += rng.choice((1, 1, 1, 1, 2, 3))  # people leave: gaps in the sequence
            names, weights = titles[category]
            title = rng.choices(names, weights=weights)[0]
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            active = rng.random() >= INACTIVE_SHARE
            staff_id = base + len(staff.rows) + 1
            staff.rows.append(
                (staff_id, u.id, staff_no, name, department_id, category, gender, birth, title, phone, active)
                + (created, created)
            )
            staff.university.append(u.index)
            staff.category.append(category)
            staff.young.append(age_on(birth, reference) <= YOUNG_MAX_AGE)
            staff.active.append(active)
            staff.engaged.append(rng.random() < u.engagement)
    return staff


class _Pools:
    """Staff indices by (university index, category, young), all of them and the engaged ones.

    The engaged lists are shuffled once and read with a pointer: everyone before it is covered (has a counted
    participation already), nobody after it is. Approved entries take uncovered people first.
    """

    def __init__(self, staff: _Staff, rng: random.Random) -> None:
        self.all: dict[tuple, list[int]] = defaultdict(list)
        self.engaged: dict[tuple, list[int]] = defaultdict(list)
        for i, u in enumerate(staff.university):
            key = (u, staff.category[i], staff.young[i])
            self.all[key].append(i)
            if staff.engaged[i]:
                self.engaged[key].append(i)
        for pool in self.engaged.values():
            rng.shuffle(pool)
        self.pointer: dict[tuple, int] = defaultdict(int)

    @staticmethod
    def keys(u: int, theme: Theme) -> list[tuple]:
        youth = (True,) if theme.young else (True, False)
        return [(u, c, y) for c in theme.categories for y in youth]

    def engaged_count(self, u: int, theme: Theme) -> int:
        return sum(len(self.engaged[k]) for k in self.keys(u, theme))

    def capacity(self, u: int, theme: Theme) -> tuple[int, int]:
        """(eligible staff of university ``u``, the most entries it can hold in a competition of ``theme``):
        at most 95% of the eligible, and few enough that the approved ones (up to 85%) are engaged people."""
        keys = self.keys(u, theme)
        everyone, engaged = sum(len(self.all[k]) for k in keys), sum(len(self.engaged[k]) for k in keys)
        return everyone, min(int(everyone * 0.95), int(engaged / 0.85))

    def approved(self, rng: random.Random, keys: list[tuple], k: int, chosen: set[int]) -> list[int]:
        left = [len(self.engaged[key]) - self.pointer[key] for key in keys]
        picked: list[int] = []
        for key, n in zip(keys, _apportion(min(k, sum(left)), left, left), strict=True):
            start = self.pointer[key]
            picked += self.engaged[key][start : start + n]
            self.pointer[key] = start + n
        chosen.update(picked)
        covered = [self.engaged[key][: self.pointer[key]] for key in keys]
        return picked + _sample_excluding(rng, covered, k - len(picked), chosen)

    def others(self, rng: random.Random, keys: list[tuple], k: int, chosen: set[int]) -> list[int]:
        return _sample_excluding(rng, [self.all[key] for key in keys], k, chosen)

    def uncovered(self) -> list[int]:
        return [i for key, pool in self.engaged.items() for i in pool[self.pointer[key] :]]


def _state(opens: datetime, closes: datetime, snapshot: datetime, rng: random.Random) -> str:
    if opens > snapshot:
        return "draft"
    if closes > snapshot:
        return "registration_open"
    days = (snapshot - closes).days
    if days < 21:
        return "registration_closed"
    if days < 60:
        return "scoring" if rng.random() < 0.8 else "published"
    return "published" if rng.random() < 0.88 else "scoring"


def _window(rng: random.Random, year: int) -> tuple[datetime, datetime]:
    month = rng.choices(range(1, 13), weights=OPENING_MONTHS)[0]
    day = rng.randint(1, 20 if month == 12 else 28)
    opens = datetime(year, month, day, 0, 0) + timedelta(hours=rng.choice((0, 1, 2)))  # 08:00-10:00 Beijing
    return opens, opens + timedelta(days=rng.randint(14, 45), hours=rng.choice((8, 9, 15)))


def plan(
    *, seed: int = 2026, year: int = 2026, scale: float = 1.0, base: dict[str, int] | None = None
) -> Plan:
    """Every row of the province, in memory; ``base`` gives each table's current maximum id (default 0)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    base = {table: 0 for table in TABLES} | (base or {})
    rng = random.Random(seed)
    snapshot = datetime(year, *SNAPSHOT, 4, 0)  # 12:00 in Beijing
    year_end = datetime(year, 12, 31, 15, 59)  # the last moment of the year in Beijing, as naive UTC
    stamp = datetime(year, 1, 4, 1, 0)

    universities = _universities(rng, scale, base)
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
    rows["university"] = [(u.id, u.code, u.name, stamp) for u in universities]
    rows["department"] = _departments(rng, universities, base)
    staff = _staff(rng, universities, year, base["staff"])
    rows["staff"] = staff.rows
    pools = _Pools(staff, rng)

    # Competitions: school-level ones spread over the universities by size, then the provincial ones.
    total = max(20, round(COMPETITIONS * scale))
    provincial = max(3, round(total * PROVINCIAL_SHARE))
    school = total - provincial
    per_university = [1] * len(universities) if school >= len(universities) else [0] * len(universities)
    extra = _apportion(school - sum(per_university), [u.size for u in universities])
    per_university = [a + b for a, b in zip(per_university, extra, strict=True)]
    theme_weights = [t.weight for t in THEMES]
    competitions: list[_Competition] = []
    names: Counter = Counter()

    def add(theme: Theme, university: _University | None) -> None:
        opens, closes = _window(rng, year)
        owner = university.name if university else "全省高校"
        name = f"{year}年{owner}{theme.name}"
        names[name] += 1
        if names[name] > 1:
            name += f"（第{names[name]}期）"
        competitions.append(
            _Competition(
                id=base["competition"] + len(competitions) + 1,
                theme=theme,
                university=university,
                name=name,
                opens=opens,
                closes=closes,
                status=_state(opens, closes, snapshot, rng),
            )
        )

    for u, count in zip(universities, per_university, strict=True):
        for theme in rng.choices(THEMES, weights=theme_weights, k=count):
            add(theme, u)
    for theme in rng.choices(THEMES, weights=theme_weights, k=provincial):
        add(theme, None)

    # Entry counts: school-level competitions in proportion to their eligible staff and how engaged the union
    # is, within what the pools allow; the provincial ones take the rest.
    entries_total = _scaled(ENTRIES, scale, 1)
    live = [c for c in competitions if c.status != "draft"]
    school_live = [c for c in live if c.university]
    caps, weights = [], []
    for c in school_live:
        everyone, cap = pools.capacity(c.university.index, c.theme)
        caps.append(cap)
        weights.append(everyone * (0.4 + c.university.engagement) * rng.uniform(0.6, 1.4))
    school_total = entries_total - round(entries_total * PROVINCIAL_ENTRY_SHARE)
    for c, size in zip(school_live, _apportion(school_total, weights, caps), strict=True):
        c.size = size
    provincial_live = [c for c in live if not c.university]
    provincial_total = entries_total - sum(c.size for c in school_live)
    caps = [sum(pools.capacity(u.index, c.theme)[1] for u in universities) for c in provincial_live]
    shares = _apportion(provincial_total, [rng.uniform(0.6, 1.4) for _ in provincial_live], caps)
    for c, size in zip(provincial_live, shares, strict=True):
        c.size = size

    # Statuses: pending mostly where registration is open; the rest of the decided ones 70:8:7.
    by_state = Counter()
    for c in live:
        by_state[c.status] += c.size
    open_pending = (
        PENDING_IN_OPEN * by_state["registration_open"] + PENDING_IN_CLOSED * by_state["registration_closed"]
    )
    target = PENDING_SHARE * entries_total
    older = sum(n for s, n in by_state.items() if s not in ("registration_open", "registration_closed"))
    damp = min(1.0, target / open_pending) if open_pending else 1.0
    pending_share = {
        "registration_open": PENDING_IN_OPEN * damp,
        "registration_closed": PENDING_IN_CLOSED * damp,
    }
    rest_share = max(0.0, (target - open_pending * damp) / older) if older else 0.0

    group_id, round_id, criterion_id, award_id = (
        base[t] for t in ("competition_group", "round", "criterion", "award_level")
    )
    entry_rows: list[tuple] = []
    entry_id = base["entry"]
    awards_choice = {}
    for c in sorted(competitions, key=lambda c: (c.opens, c.id)):
        theme = c.theme
        for position, group in enumerate(theme.groups[: rng.randint(1, min(5, len(theme.groups)))]):
            group_id += 1
            c.groups.append(group_id)
            rows["competition_group"].append((group_id, c.id, group, position))
        for position, (round_name, weight, criteria) in enumerate(theme.rounds):
            round_id += 1
            rows["round"].append((round_id, c.id, round_name, position, Decimal(weight), "queue"))
            for k, (criterion, maximum) in enumerate(criteria):
                criterion_id += 1
                rows["criterion"].append((criterion_id, round_id, criterion, "", Decimal(maximum), k))
        awards_choice[c.id] = rng.choice(AWARD_SETS if c.university else AWARD_SETS[:2])
        for position, (award, ratio) in enumerate(awards_choice[c.id]):
            award_id += 1
            rows["award_level"].append((award_id, c.id, award, Decimal(ratio), position))
        if not c.size:
            continue

        # The statuses of its entries, then who holds them.
        pending = round(c.size * pending_share.get(c.status, rest_share))
        decided = _apportion(c.size - pending, list(ENTRY_SHARES.values()))
        statuses = ["pending"] * pending + [
            s for s, n in zip(ENTRY_SHARES, decided, strict=True) for _ in range(n)
        ]
        rng.shuffle(statuses)
        others_statuses = [status for status in statuses if status != "approved"]
        if c.university:
            units, counts = [c.university], [c.size]
        else:  # nominated by every university, in proportion to its eligible staff and engagement
            units, caps, weights = universities, [], []
            for u in universities:
                everyone, cap = pools.capacity(u.index, theme)
                caps.append(cap)
                weights.append(everyone * (0.4 + u.engagement))
            counts = _apportion(c.size, weights, caps)
        # Approved entries go to engaged people only: never more of them in a university than it has.
        approved_total = len(statuses) - len(others_statuses)
        engaged = [pools.engaged_count(u.index, theme) for u in units]
        approved_split = _apportion(
            approved_total, counts, [min(n, e) for n, e in zip(counts, engaged, strict=True)]
        )
        others_statuses += ["pending"] * (approved_total - sum(approved_split))  # (tiny scales only)
        chosen: set[int] = set()
        reg_end = min(c.closes, snapshot)
        decide_end = min(c.closes + timedelta(days=10), snapshot, year_end)
        approved_per_university = []
        by_group: dict[int, list[int]] = defaultdict(list)  # approved entry rows per group, for the draw
        taken = 0
        for u, n, approved_n in zip(units, counts, approved_split, strict=True):
            if not n:
                continue
            keys = pools.keys(u.index, theme)
            part = ["approved"] * approved_n + others_statuses[taken : taken + n - approved_n]
            taken += n - approved_n
            approved = pools.approved(rng, keys, approved_n, chosen)
            others = pools.others(rng, keys, len(part) - approved_n, chosen)
            approved_per_university.append(approved_n)
            people = {"approved": iter(approved), "other": iter(others)}
            for status in part:
                person = next(people["approved" if status == "approved" else "other"], None)
                if person is None:  # a pool was too small (tiny scales only): fewer entries
                    continue
                created = _moment(c.opens, reg_end, rng)
                decided_at = approved_at = reason = None
                if status == "approved":
                    decided_at = approved_at = _moment(created, decide_end, rng)
                elif status == "rejected":
                    decided_at = _moment(created, decide_end, rng)
                    reason = rng.choice(REJECT_REASONS)
                elif status == "withdrawn":
                    decided_at = _moment(created, reg_end, rng)
                group = c.groups[rng.randrange(len(c.groups))]
                entry_id += 1
                if status == "approved":
                    by_group[group].append(len(entry_rows))
                entry_rows.append(
                    [entry_id, c.id, group, base["staff"] + person + 1, u.id, status, reason, None]
                    + [created, decided_at, approved_at]
                )
        if c.status in ("scoring", "published"):  # drawn: 1..n at random within each group
            for members in by_group.values():
                order = list(range(1, len(members) + 1))
                rng.shuffle(order)
                for row, draw_no in zip(members, order, strict=True):
                    entry_rows[row][7] = draw_no
        if not c.university and rng.random() < 0.5:
            c.quota = max(5, math.ceil(max(approved_per_university, default=0) / 5) * 5)
    rows["entry"] = [tuple(r) for r in entry_rows]

    for c in competitions:
        theme = c.theme
        rows["competition"].append(
            (
                c.id,
                c.name,
                f"{theme.name}：{'、'.join(theme.groups)}。",
                theme.kind,
                "school" if c.university else "provincial",
                c.university.id if c.university else None,
                year,
                list(theme.categories),
                YOUNG_MAX_AGE if theme.young else None,
                date(year, 8, 31) if theme.young else None,
                c.opens,
                c.closes,
                c.quota,
                True,
                theme.materials,
                c.status,
                c.opens - timedelta(days=rng.randint(7, 30)),
                _status_changed(c),
            )
        )
    rows["competition"].sort()

    rows["offline_participation"] = _offline(rng, universities, staff, pools, scale, year, snapshot, base)
    entry_status = Counter(r[5] for r in rows["entry"])
    competition_status = Counter(c.status for c in competitions)
    largest = max(universities, key=lambda u: u.size)
    counts = {
        "universities": len(universities),
        "departments": len(rows["department"]),
        "staff": len(rows["staff"]),
        "active_staff": sum(staff.active),
        "competitions": len(competitions),
        "provincial_competitions": provincial,
        "competitions_by_status": dict(sorted(competition_status.items())),
        "groups": len(rows["competition_group"]),
        "rounds": len(rows["round"]),
        "criteria": len(rows["criterion"]),
        "awards": len(rows["award_level"]),
        "entries": len(rows["entry"]),
        "entries_by_status": dict(sorted(entry_status.items())),
        "offline_participations": len(rows["offline_participation"]),
        "largest_university": largest.code,
    }
    return Plan(rows=rows, counts=counts)


def _status_changed(c: _Competition) -> datetime:
    """When it reached its state: drafts when made, open ones at the opening, the others after closing."""
    if c.status == "draft":
        return c.opens - timedelta(days=7)
    if c.status == "registration_open":
        return c.opens
    days = {"registration_closed": 0, "scoring": 3, "published": 30}[c.status]
    return c.closes + timedelta(days=days)


def _offline(
    rng: random.Random,
    universities: list[_University],
    staff: _Staff,
    pools: _Pools,
    scale: float,
    year: int,
    snapshot: datetime,
    base: dict[str, int],
) -> list[tuple]:
    """Offline participations: first every engaged person without an approved entry, then others engaged."""
    events = {}
    for u in universities:
        held = rng.sample(OFFLINE_EVENTS, rng.randint(3, 8))
        days = (snapshot.date() - date(year, 1, 10)).days
        events[u.index] = [
            (f"{year}年{name}", date(year, 1, 10) + timedelta(days=rng.randrange(days))) for name in held
        ]
    people = sorted(pools.uncovered())
    engaged = [i for i, flag in enumerate(staff.engaged) if flag]
    wanted = _scaled(OFFLINE, scale)
    if len(people) < wanted and engaged:
        people += rng.choices(engaged, k=wanted - len(people))
    imported = datetime(year, *SNAPSHOT, 2, 0)
    rows = []
    for n, person in enumerate(people, start=1):
        u = staff.university[person]
        event, day = rng.choice(events[u])
        day = min(day + timedelta(days=rng.randrange(3)), snapshot.date())
        rows.append(
            (
                base["offline_participation"] + n,
                universities[u].id,
                base["staff"] + person + 1,
                event,
                day,
                year,
                imported,
            )
        )
    return rows


# --------------------------------------------------------------------------------------------------
# Writing it.


def _table(name: str):
    from competition.extensions import db

    return db.metadata.tables[name]


def generate(*, seed: int = 2026, year: int = 2026, scale: float = 1.0) -> dict:
    """Write the province into the current app's database (migrated, without universities) and commit.

    Returns the counts of ``plan()`` plus ``seconds`` (the whole call) and ``write_seconds``.
    """
    from sqlalchemy import func, select, text

    from competition.extensions import db

    started = time.perf_counter()
    session = db.session
    if session.scalar(select(func.count()).select_from(_table("university"))):
        raise RuntimeError("generate() writes into an empty database: this one already has universities.")
    base = {t: session.scalar(select(func.coalesce(func.max(_table(t).c.id), 0))) for t in TABLES}
    province = plan(seed=seed, year=year, scale=scale, base=base)
    written = time.perf_counter()
    connection = session.connection()
    for name in TABLES:
        table, columns, rows = _table(name), COLUMNS[name], province.rows[name]
        for start in range(0, len(rows), CHUNK):
            connection.execute(
                table.insert(), [dict(zip(columns, row, strict=True)) for row in rows[start : start + CHUNK]]
            )
    if connection.dialect.name == "postgresql":  # the ids were chosen here: move the sequences past them
        for name in TABLES:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM \"{name}\"))"
                )
            )
    session.commit()
    # Fresh statistics for the planners, as after any bulk load (PostgreSQL's autovacuum would get there too).
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    finished = time.perf_counter()
    return province.counts | {"seconds": finished - started, "write_seconds": finished - written}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: the app's database)")
    args = parser.parse_args()

    import logging

    from flask_migrate import upgrade

    from competition import create_app
    from competition.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url} if args.database_url else None)
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic's "Running upgrade ..." lines
        upgrade(directory=str(ROOT / "migrations"))
        logging.disable(logging.NOTSET)
        try:
            counts = generate(seed=args.seed, year=args.year, scale=args.scale)
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        url = db.engine.url.render_as_string(hide_password=True)
        db.engine.dispose()
    seconds, writing = counts.pop("seconds"), counts.pop("write_seconds")
    print(f"province written to {url} in {seconds:.1f} s (writing {writing:.1f} s)")
    for key, value in counts.items():
        print(f"  {key}: {value:,}" if isinstance(value, int) else f"  {key}: {value}")


if __name__ == "__main__":
    main()
