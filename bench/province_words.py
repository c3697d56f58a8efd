"""The words and sizes of the benchmark province (``bench/generate.py``): sizes at scale 1, invented Chinese
names, the competition themes with their rounds and criteria, the column order of the planned rows, and two
small helpers (a registration window, the collector paused while planning)."""

from __future__ import annotations

import functools
import gc
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from competition.demo.data import GIVEN_FEMALE, GIVEN_MALE

# --------------------------------------------------------------------------------------------------
# Sizes at scale 1 (DESIGN.md §5) and the shares of the field.

UNIVERSITIES = 60
STAFF = 150_000
COMPETITIONS = 300
PROVINCIAL_SHARE = 0.2  # 60 of 300
ENTRIES = 200_000
PROVINCIAL_ENTRY_SHARE = 0.15  # of the entries, about 500 per provincial competition
BIG_COMPETITION = 5_000  # entries of the largest provincial one (of the 15%)
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
    "user_account": (
        "id",
        "username",
        "password_hash",
        "display_name",
        "enabled",
        "must_change_password",
        "created_at",
        "last_login_at",
    ),
    "role_grant": ("id", "user_id", "role", "university_id", "staff_id"),
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
    "audit_log": (
        "id",
        "at",
        "user_id",
        "username",
        "action",
        "object_type",
        "object_id",
        "university_id",
        "details",
    ),
}
TABLES = tuple(COLUMNS)  # insertion order (parents first)


@dataclass
class Plan:
    """The rows of every table as tuples in ``COLUMNS`` order, and the figures that describe them."""

    rows: dict[str, list[tuple]]
    counts: dict = field(default_factory=dict)
    accounts: object = None  # province_accounts.Accounts: who holds which account


def without_gc(function):
    """Runs ``function`` with the cyclic garbage collector paused: a plan allocates millions of tuples that
    live until they are written and form no cycles, and the collector would walk them again and again (about
    half the time of a plan at scale 1)."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


def _window(rng: random.Random, year: int) -> tuple[datetime, datetime]:
    month = rng.choices(range(1, 13), weights=OPENING_MONTHS)[0]
    day = rng.randint(1, 20 if month == 12 else 28)
    opens = datetime(year, month, day, 0, 0) + timedelta(hours=rng.choice((0, 1, 2)))  # 08:00-10:00 Beijing
    return opens, opens + timedelta(days=rng.randint(14, 45), hours=rng.choice((8, 9, 15)))
