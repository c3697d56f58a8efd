"""Question banks: the sample files, every answer form and type word, each row problem, JSON, round trips."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.domain.question_bank import (
    MAX_LENGTHS,
    TEMPLATE_HEADER,
    Question,
    RowError,
    answer_letters,
    parse_bank,
    parse_bank_rows,
    question_row,
    question_type,
    true_false_answer,
)
from competition.domain.question_bank_json import ItemError, parse_bank_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "分类"]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value not in (None, ""):
                sheet.write_string(i, j, value)
    book.close()
    return out.getvalue()


def one(row, header=HEADER):
    return parse_bank_rows([header, row])


# --- the samples -------------------------------------------------------------------------------------------


def test_sample_bank_accepts_all_forty_with_tags():
    result = parse_bank((FIXTURES / "question-bank.xlsx").read_bytes())
    assert result.ok, result.errors
    questions = result.questions
    assert Counter(q.type for q in questions) == {"single": 20, "multiple": 10, "true_false": 10}
    assert [q.row for q in questions] == list(range(3, 43))
    assert all(q.tag for q in questions)
    assert Counter(q.tag for q in questions)["公文写作"] == 8
    first = questions[0]
    assert first == Question(
        "single",
        "实验室发生火灾时，首先应当采取的措施是",
        ("继续完成实验", "切断电源和气源，并报警", "打开门窗通风", "收拾个人物品"),
        (1,),
        "消防安全",
        3,
    )
    by_row = {q.row: q for q in questions}
    assert by_row[5].options == ("110", "119", "120", "122")
    # ABC, ABCD, A,B,C and A、B、C
    assert [by_row[r].answer for r in (23, 24, 25, 26)] == [(0, 1, 2), (0, 1, 2, 3), (0, 1, 2), (0, 1, 2)]
    # 错 对 错 对 √ × 对 错 正确 错误
    assert [by_row[r].answer for r in range(33, 43)] == [
        (1,),
        (0,),
        (1,),
        (0,),
        (0,),
        (1,),
        (0,),
        (1,),
        (0,),
        (1,),
    ]
    assert all(q.options == () for q in questions if q.type == "true_false")
    assert all(len(q.options) == 4 for q in questions if q.type != "true_false")  # empty E and F dropped


def test_gbk_csv_bank_keeps_its_chinese_and_reads_lower_case():
    data = (FIXTURES / "question-bank-gbk.csv").read_bytes()
    assert b"\r\n" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_bank(data)
    assert result.ok, result.errors
    assert [(q.row, q.type, q.text, q.answer, q.tag) for q in result.questions] == [
        (2, "single", "火警报警电话是", (1,), "消防安全"),
        (3, "multiple", "下列属于实验室个人防护用品的有", (0, 1, 2), "化学品安全"),
        (4, "true_false", "疏散逃生时应乘坐电梯以节省时间。", (1,), "消防安全"),
        (5, "single", "在 Excel 中，对一列数值求和的函数是", (1,), "办公技能"),
        (6, "true_false", "涉密计算机不得连接互联网。", (0,), "保密"),
    ]
    assert result.questions[1].options == ("防护眼镜", "实验服", "防护手套", "拖鞋")


def test_error_bank_is_refused_with_exactly_its_seven_problems():
    result = parse_bank((FIXTURES / "question-bank-with-errors.xlsx").read_bytes())
    assert result.questions == []
    assert result.errors == [
        RowError(9, "答案", "answer_not_in_options", {"value": "E", "options": 4}),
        RowError(10, "答案", "multiple_needs_several", {"value": "B"}),
        RowError(11, "题型", "unknown_type", {"value": "简答题"}),
        RowError(12, "题干", "required", {}),
        RowError(13, "题干", "duplicate_in_file", {"first_row": 3}),
        RowError(14, "答案", "required", {}),
        RowError(15, "答案", "bad_true_false", {"value": "待定"}),
    ]


# --- words and answers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("单选", "single"),
        ("单选题", "single"),
        ("单项选择题", "single"),
        ("single", "single"),
        ("Single", "single"),
        (" 单选题 ", "single"),
        ("多选", "multiple"),
        ("多选题", "multiple"),
        ("多项选择题", "multiple"),
        ("multiple", "multiple"),
        ("MULTIPLE", "multiple"),
        ("判断", "true_false"),
        ("判断题", "true_false"),
        ("true_false", "true_false"),
        ("对错", "true_false"),
        ("是非题", "true_false"),
        ("简答题", None),
        ("填空题", None),
        ("", None),
        (None, None),
    ],
)
def test_type_words(word, expected):
    assert question_type(word) == expected


@pytest.mark.parametrize(
    ("written", "letters"),
    [
        ("B", "B"),
        ("b", "B"),
        ("ACD", "ACD"),
        ("acd", "ACD"),
        ("A,B,C", "ABC"),
        ("A，B，C", "ABC"),
        ("A、B、C", "ABC"),
        ("A B C", "ABC"),
        ("A;B", "AB"),
        ("ＡＢＣ", "ABC"),  # full width
        ("ｂ", "B"),
        ("CA", "AC"),
        ("AAB", "AB"),
        (" D ", "D"),
        ("略", None),
        ("1", None),
        ("A1", None),
        ("", None),
    ],
)
def test_answer_forms(written, letters):
    assert answer_letters(written) == letters


@pytest.mark.parametrize(
    ("written", "index"),
    [
        ("对", 0),
        ("√", 0),
        ("正确", 0),
        ("T", 0),
        ("t", 0),
        ("true", 0),
        ("TRUE", 0),
        (True, 0),
        ("Ｔ", 0),
        ("错", 1),
        ("×", 1),
        ("错误", 1),
        ("F", 1),
        ("f", 1),
        ("false", 1),
        (False, 1),
        ("待定", None),
        ("A", None),
        ("", None),
    ],
)
def test_true_false_answers(written, index):
    assert true_false_answer(written) == index


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("B", (1,)), ("a", (0,)), ("Ｃ", (2,)), ("ACD", (0, 2, 3)), ("A、B、C", (0, 1, 2)), ("a b", (0, 1))],
)
def test_answers_in_a_row(answer, expected):
    qtype = "单选" if len(expected) == 1 else "多选"
    result = one([qtype, "题", "甲", "乙", "丙", "丁", answer, ""])
    assert result.ok, result.errors
    assert result.questions[0].answer == expected
    assert result.questions[0].tag is None


# --- row problems ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "code", "params"),
    [
        (["问答", "题", "甲", "乙", "", "", "A", ""], "题型", "unknown_type", {"value": "问答"}),
        (["", "题", "甲", "乙", "", "", "A", ""], "题型", "required", {}),
        (["单选", "", "甲", "乙", "", "", "A", ""], "题干", "required", {}),
        (["单选", "题", "甲", "乙", "", "", "", ""], "答案", "required", {}),
        (
            ["单选", "题", "甲", "乙", "", "", "C", ""],
            "答案",
            "answer_not_in_options",
            {"value": "C", "options": 2},
        ),
        (["单选", "题", "甲", "乙", "丙", "", "AB", ""], "答案", "single_needs_one", {"value": "AB"}),
        (["多选", "题", "甲", "乙", "丙", "", "c", ""], "答案", "multiple_needs_several", {"value": "c"}),
        (["单选", "题", "甲", "乙", "", "", "略", ""], "答案", "bad_answer", {"value": "略"}),
        (["判断", "题", "", "", "", "", "待定", ""], "答案", "bad_true_false", {"value": "待定"}),
        (["判断", "题", "", "", "", "", "", ""], "答案", "required", {}),
        (["单选", "题", "甲", "", "", "", "A", ""], "选项B", "too_few_options", {"count": 1, "min": 2}),
        (["单选", "题", "", "", "", "", "A", ""], "选项A", "too_few_options", {"count": 0, "min": 2}),
        (["单选", "题", "甲", "", "丙", "", "A", ""], "选项B", "option_gap", {"letter": "B"}),
        (
            ["单选", "题", "甲", "甲", "", "", "A", ""],
            "选项B",
            "duplicate_option",
            {"letter": "B", "first_letter": "A"},
        ),
        (
            ["单选", "题" * 2001, "甲", "乙", "", "", "A", ""],
            "题干",
            "too_long",
            {"max": MAX_LENGTHS["text"]},
        ),
        (["单选", "题", "甲", "乙", "", "", "A", "类" * 51], "分类", "too_long", {"max": MAX_LENGTHS["tag"]}),
    ],
)
def test_each_row_problem(row, column, code, params):
    result = one(row)
    assert result.questions == []
    assert result.errors == [RowError(2, column, code, params)]


def test_duplicate_needs_the_same_type_and_text_ignoring_spaces_and_width():
    rows = [
        HEADER,
        ["单选", "火警电话是", "110", "119", "", "", "B", ""],
        ["判断", "火警电话是", "", "", "", "", "错", ""],  # another type: not a duplicate
        ["单选", "火警电话是？", "110", "119", "", "", "B", ""],  # another text
        ["单选题", " 火警 电话是 ", "119", "110", "", "", "A", ""],
    ]
    assert parse_bank_rows(rows).errors == [RowError(5, "题干", "duplicate_in_file", {"first_row": 2})]


def test_true_false_options_are_ignored_and_unknown_columns_too():
    header = ["序号", "题型", "题目", "选项A", "选项B", "答案", "解析", "难度", "备注"]
    result = parse_bank_rows([header, ["1", "判断题", "对吗", "正确", "错误", "×", "因为", "易", "x"]])
    assert result.questions == [Question("true_false", "对吗", (), (1,), None, 2)]


def test_english_headers_and_letter_columns():
    header = ["Type", "Question", "A", "B", "C", "Answer", "Tag"]
    result = parse_bank_rows([header, ["single", "Which?", "x", "y", "z", "c", "misc"]])
    assert result.questions == [Question("single", "Which?", ("x", "y", "z"), (2,), "misc", 2)]


def test_every_row_is_reported_in_order_and_nothing_is_kept():
    rows = [HEADER, ["单选", "好题", "甲", "乙", "", "", "A", ""], [], ["简答", "x", "", "", "", "", "", ""]]
    rows.append(["多选", "", "甲", "乙", "", "", "A", ""])
    result = parse_bank_rows(rows)
    assert result.questions == []
    assert [(e.row, e.code) for e in result.errors] == [
        (4, "unknown_type"),
        (5, "required"),
        (5, "multiple_needs_several"),
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty_file"), (b"%PDF-1.4 xxx", "not_spreadsheet"), (csv_bytes([HEADER]), "no_data")],
)
def test_file_problems(data, code):
    result = parse_bank(data)
    assert result.questions == [] and [e.code for e in result.errors] == [code]


def test_missing_columns_are_named():
    result = parse_bank(csv_bytes([["题型", "题目", "选项A"], ["单选", "x", "y"]]))
    assert result.errors == [RowError(None, "答案", "missing_column", {})]


def test_bank_result_unpacks_as_a_pair():
    questions, errors = parse_bank(csv_bytes([HEADER, ["判断", "x", "", "", "", "", "√", "t"]]))
    assert errors == [] and questions[0].answer == (0,) and questions[0].tag == "t"


# --- JSON --------------------------------------------------------------------------------------------------


def test_json_questions():
    items = [
        {"type": "single", "text": "火警电话", "options": ["110", "119"], "answer": [1], "tag": "消防"},
        {"type": "multiple", "text": "选", "options": ["a", "b", "c"], "answer": [2, 0]},
        {"type": "true_false", "text": "对吗", "answer": [1]},
        {"type": "true_false", "text": "错吗", "options": [], "answer": [0], "tag": None},
    ]
    result = parse_bank_json(items)
    assert result.ok, result.errors
    assert result.questions == [
        Question("single", "火警电话", ("110", "119"), (1,), "消防", 0),
        Question("multiple", "选", ("a", "b", "c"), (0, 2), None, 1),
        Question("true_false", "对吗", (), (1,), None, 2),
        Question("true_false", "错吗", (), (0,), None, 3),
    ]


@pytest.mark.parametrize(
    ("item", "field", "code"),
    [
        ({"type": "essay", "text": "x", "answer": [0]}, "type", "unknown_type"),
        ({"text": "x", "answer": [0]}, "type", "required"),
        ({"type": "single", "text": " ", "options": ["a", "b"], "answer": [0]}, "text", "required"),
        ({"type": "single", "text": 5, "options": ["a", "b"], "answer": [0]}, "text", "bad_type"),
        ({"type": "single", "text": "x", "options": ["a", "b"], "answer": []}, "answer", "required"),
        ({"type": "single", "text": "x", "options": ["a", "b"]}, "answer", "required"),
        ({"type": "single", "text": "x", "options": ["a", "b"], "answer": "A"}, "answer", "bad_type"),
        ({"type": "single", "text": "x", "options": ["a", "b"], "answer": [True]}, "answer", "bad_type"),
        (
            {"type": "single", "text": "x", "options": ["a", "b"], "answer": [2]},
            "answer",
            "answer_not_in_options",
        ),
        (
            {"type": "single", "text": "x", "options": ["a", "b"], "answer": [-1]},
            "answer",
            "answer_not_in_options",
        ),
        (
            {"type": "single", "text": "x", "options": ["a", "b"], "answer": [0, 1]},
            "answer",
            "single_needs_one",
        ),
        (
            {"type": "multiple", "text": "x", "options": ["a", "b"], "answer": [0]},
            "answer",
            "multiple_needs_several",
        ),
        (
            {"type": "multiple", "text": "x", "options": ["a", "b"], "answer": [0, 0]},
            "answer",
            "duplicate_answer",
        ),
        ({"type": "single", "text": "x", "options": ["a"], "answer": [0]}, "options", "too_few_options"),
        ({"type": "single", "text": "x", "answer": [0]}, "options", "required"),
        ({"type": "single", "text": "x", "options": "ab", "answer": [0]}, "options", "bad_type"),
        (
            {"type": "single", "text": "x", "options": list("abcdefg"), "answer": [0]},
            "options",
            "too_many_options",
        ),
        ({"type": "single", "text": "x", "options": ["a", 1], "answer": [0]}, "options[1]", "bad_type"),
        (
            {"type": "single", "text": "x", "options": ["a", "b", " "], "answer": [0]},
            "options[2]",
            "option_gap",
        ),
        (
            {"type": "single", "text": "x", "options": ["a", "a"], "answer": [0]},
            "options[1]",
            "duplicate_option",
        ),
        (
            {"type": "true_false", "text": "x", "options": ["对", "错"], "answer": [0]},
            "options",
            "options_not_allowed",
        ),
        ({"type": "true_false", "text": "x", "answer": [2]}, "answer", "bad_true_false"),
        ({"type": "true_false", "text": "x", "answer": [0, 1]}, "answer", "bad_true_false"),
        ({"type": "true_false", "text": "x", "answer": [0], "tag": 3}, "tag", "bad_type"),
        ("question", None, "not_an_object"),
    ],
)
def test_json_problems(item, field, code):
    result = parse_bank_json([item])
    assert result.questions == []
    assert [(e.index, e.field, e.code) for e in result.errors] == [(0, field, code)]


def test_json_duplicates_and_body_problems():
    q = {"type": "single", "text": "同一题", "options": ["a", "b"], "answer": [0]}
    assert parse_bank_json([q, dict(q, tag="t")]).errors == [
        ItemError(1, "text", "duplicate_in_file", {"first_row": 0})
    ]
    assert parse_bank_json({"questions": []}).errors == [ItemError(None, None, "not_a_list", {})]
    assert parse_bank_json([]).errors == [ItemError(None, None, "no_data", {})]


# --- round trips -------------------------------------------------------------------------------------------

_TEXT = (
    st.text(
        alphabet=st.sampled_from("安全火警电话实验室公文保密ABCxyz0123456789，。？（）、 +-"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def questions(draw):
    texts = draw(st.lists(_TEXT, min_size=1, max_size=12, unique_by=lambda t: "".join(t.split())))
    result = []
    for i, text in enumerate(texts):
        qtype = draw(st.sampled_from(["single", "multiple", "true_false"]))
        tag = draw(st.none() | _TEXT)
        if qtype == "true_false":
            options: tuple[str, ...] = ()
            answer = (draw(st.integers(0, 1)),)
        else:
            options = tuple(draw(st.lists(_TEXT, min_size=2, max_size=6, unique=True)))
            size = 1 if qtype == "single" else draw(st.integers(2, len(options)))
            answer = tuple(sorted(draw(st.permutations(range(len(options))))[:size]))
        result.append(Question(qtype, text, options, answer, tag, i + 3))
    return result


def _written(questions, style, title):
    rows = [["题库"] if title else [], list(TEMPLATE_HEADER)]
    rows += [question_row(q, style) for q in questions]
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions(), st.sampled_from(["", ",", "、", " "]), st.sampled_from(["utf-8-sig", "gb18030"]))
def test_csv_round_trip(bank, style, encoding):
    result = parse_bank(csv_bytes(_written(bank, style, title=True), encoding))
    assert result.errors == []
    assert result.questions == bank


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions(), st.sampled_from(["", ",", "、"]))
def test_xlsx_round_trip(bank, style):
    result = parse_bank(xlsx_bytes(_written(bank, style, title=True)))
    assert result.errors == []
    assert result.questions == bank


@settings(max_examples=60, deadline=None)
@given(questions())
def test_json_round_trip(bank):
    items = [
        {"type": q.type, "text": q.text, "options": list(q.options), "answer": list(q.answer), "tag": q.tag}
        for q in bank
    ]
    result = parse_bank_json(items)
    assert result.errors == []
    assert result.questions == [
        Question(q.type, q.text, q.options, q.answer, q.tag, i) for i, q in enumerate(bank)
    ]
