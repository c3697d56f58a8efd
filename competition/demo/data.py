"""Tables for the demo province: fictional universities, their departments, and Chinese names and titles.

Every university here is invented; the names sound plausible but belong to no real school.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUniversity:
    code: str
    name: str
    size: int  # staff headcount, before a small seeded jitter
    staff_no: str  # "seq6" (000123), "seq5" (00123), "year" (2008031: year of joining + sequence)
    colleges: tuple[str, ...]  # 学院: teaching and research posts
    offices: tuple[str, ...]  # 部门: administrative and logistics posts
    support: tuple[str, ...]  # 教辅 units: posts of the category "other"


OFFICES = (
    "党委办公室",
    "校长办公室",
    "组织部",
    "宣传部",
    "人事处",
    "财务处",
    "教务处",
    "科研处",
    "学生工作处",
    "招生就业处",
    "国际交流与合作处",
    "后勤保障处",
    "资产与实验室管理处",
    "保卫处",
    "工会",
)
SMALL_OFFICES = (
    "党政办公室",
    "组织人事处",
    "财务处",
    "教务处",
    "学生工作处",
    "后勤保障处",
    "资产管理处",
    "保卫处",
)
SUPPORT = ("图书馆", "实验与分析测试中心", "现代教育技术中心", "档案馆")

UNIVERSITIES = (
    DemoUniversity(
        "DHUT",
        "东湖理工大学",
        900,
        "seq6",
        (
            "机械工程学院",
            "电气与自动化学院",
            "计算机学院",
            "土木工程学院",
            "材料科学与工程学院",
            "化学化工学院",
            "数学与统计学院",
            "物理学院",
            "经济与管理学院",
            "人文与法学院",
            "外国语学院",
            "马克思主义学院",
        ),
        OFFICES,
        SUPPORT,
    ),
    DemoUniversity(
        "LJNU",
        "临江师范学院",
        700,
        "year",
        (
            "文学院",
            "历史文化学院",
            "教育科学学院",
            "数学科学学院",
            "物理与电子工程学院",
            "化学与材料学院",
            "生命科学学院",
            "计算机学院",
            "外国语学院",
            "音乐学院",
            "美术学院",
            "体育学院",
            "马克思主义学院",
        ),
        OFFICES,
        SUPPORT,
    ),
    DemoUniversity(
        "NSMU",
        "南山医科大学",
        500,
        "seq5",
        (
            "临床医学院",
            "基础医学院",
            "公共卫生学院",
            "药学院",
            "护理学院",
            "口腔医学院",
            "医学技术学院",
            "人文与管理学院",
            "马克思主义学院",
        ),
        OFFICES,
        ("图书馆", "实验动物中心", "医学实验教学中心", "现代教育技术中心"),
    ),
    DemoUniversity(
        "XXUFE",
        "西溪财经大学",
        400,
        "year",
        (
            "会计学院",
            "金融学院",
            "经济学院",
            "财政税务学院",
            "工商管理学院",
            "统计与数学学院",
            "信息管理学院",
            "法学院",
            "外国语学院",
            "马克思主义学院",
        ),
        OFFICES,
        ("图书馆", "经管实验教学中心", "档案馆"),
    ),
    DemoUniversity(
        "BLAF",
        "北岭农林大学",
        300,
        "seq6",
        (
            "农学院",
            "林学院",
            "园艺学院",
            "动物科技学院",
            "植物保护学院",
            "食品科学与工程学院",
            "资源与环境学院",
            "经济管理学院",
            "信息工程学院",
            "外国语学院",
            "马克思主义学院",
        ),
        SMALL_OFFICES,
        ("图书馆", "实验与分析测试中心"),
    ),
    DemoUniversity(
        "YQVC",
        "云栖职业技术学院",
        200,
        "seq5",
        (
            "智能制造学院",
            "信息工程学院",
            "汽车工程学院",
            "建筑工程学院",
            "商贸学院",
            "旅游与艺术学院",
            "公共基础部",
            "马克思主义学院",
        ),
        SMALL_OFFICES,
        ("图书馆", "实训中心"),
    ),
)

# Offices where more people work (logistics above all) get a larger share of the admin posts.
OFFICE_WEIGHTS = {
    "后勤保障处": 5.0,
    "财务处": 2.0,
    "教务处": 1.6,
    "学生工作处": 1.6,
    "资产与实验室管理处": 1.4,
}

# The common surnames, most frequent first (weighted by rank when drawn); two compound ones are rare.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方付邹孟熊白秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国文志海峰东晨博然轩睿哲昊子嘉振立成彬毅"
)
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲英华慧巧美燕红琳颖雪倩婷洁萍佳琪欣怡悦梦晓雯璐瑶蕾思雨丹莉媛楠婧卉"

# Titles (职称/职级), each with a weight, by kind of post.
TEACHING_TITLES_BY_AGE = (  # (minimum age, weighted titles); the first row whose minimum is met applies
    (52, (("教授", 5), ("副教授", 4), ("讲师", 1))),
    (42, (("教授", 3), ("副教授", 5), ("讲师", 2))),
    (34, (("教授", 1), ("副教授", 4), ("讲师", 5))),
    (29, (("副教授", 1), ("讲师", 6), ("助教", 2))),
    (0, (("讲师", 2), ("助教", 5))),
)
OFFICE_TITLES = {
    "财务处": (("会计师", 5), ("助理会计师", 3), ("高级会计师", 1), ("科长", 1)),
    "后勤保障处": (("技师", 4), ("高级工", 3), ("工程师", 2), ("科员", 2), ("科长", 1)),
    "资产与实验室管理处": (("工程师", 3), ("科员", 3), ("副科长", 1), ("科长", 1)),
    "资产管理处": (("工程师", 2), ("科员", 3), ("科长", 1)),
}
DEFAULT_OFFICE_TITLES = (("科员", 6), ("副科长", 2), ("科长", 2))
SUPPORT_TITLES = {
    "图书馆": (("馆员", 5), ("助理馆员", 2), ("副研究馆员", 2)),
    "档案馆": (("馆员", 4), ("助理馆员", 2)),
    "现代教育技术中心": (("工程师", 4), ("助理工程师", 2), ("高级工程师", 1)),
}
DEFAULT_SUPPORT_TITLES = (("实验师", 5), ("助理实验师", 3), ("高级实验师", 1), ("工程师", 1))

PHONE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "186",
    "187",
    "188",
    "189",
    "199",
]
