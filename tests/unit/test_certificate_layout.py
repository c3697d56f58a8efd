"""The certificate's layout: line breaking of Chinese text, shrinking to fit and QR runs (the pure
``competition.domain.certificate_layout``), the choice of face in a font collection, the QR code drawn
module by module, file names."""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date

import pytest
import segno
from fpdf import FPDF

from competition.domain import certificate_layout as layout
from competition.models import Certificate
from competition.services import certificates as cert

FONT = next((path for path in cert.FONT_CANDIDATES if os.path.isfile(path)), None)
needs_font = pytest.mark.skipif(
    FONT is None, reason="no CJK font installed (apt-get install fonts-wqy-microhei)"
)


def widths(pdf, text):
    """The advances at the pdf's current font and size, from its width table."""
    return layout.advances(text, pdf.current_font.cw, pdf.font_size_pt, pdf.k)


def lines(pdf, text, width):
    return layout.break_lines(text, widths(pdf, text), width)


@pytest.fixture
def pdf():
    document = FPDF(orientation="L", unit="mm", format="A4")
    document.add_font(cert.REGULAR, fname=FONT, collection_font_number=cert._chinese_face(FONT, 0.0))
    document.add_page()
    document.set_font(cert.REGULAR, size=18)
    yield document
    document.fonts[cert.REGULAR.lower()].ttfont.close()


@needs_font
def test_widths_are_what_fpdf_measures(pdf):
    text = "在2026年青年教师教学竞赛（文科组）中荣获 Python"
    assert sum(widths(pdf, text)) == pytest.approx(pdf.get_string_width(text))


@needs_font
def test_lines_fit_keep_latin_words_and_never_start_with_closing_punctuation(pdf):
    text = (
        "在第十二届浙江省高等学校青年教师教学竞赛暨Python程序设计技能大赛"
        "（思想政治理论课与人文社科综合类）决赛，荣获"
    )
    for width in (40, 60, 75, 90, 120):
        wrapped = lines(pdf, text, width)
        assert "".join(wrapped) == text
        for line in wrapped:
            assert sum(widths(pdf, line)) <= width + pdf.get_string_width("）") + 0.01
        assert "Python" in "|".join(wrapped)  # never cut inside the Latin word
        assert not any(line[0] in layout.CLOSING for line in wrapped[1:])
        assert not any(line[-1] in layout.OPENING for line in wrapped[:-1])


@needs_font
def test_a_long_line_shrinks_then_wraps_and_a_short_one_keeps_its_size(pdf):
    below = cert._centred(pdf, "李老师", 50, size=30, min_size=16, draw=False)
    assert below == pytest.approx(50 + 30 * cert.PT * 1.35)
    name = "欧阳娜娜·买买提艾力江" * 3  # a little too wide at 30 pt: shrinks, stays on one line
    below = cert._centred(pdf, name, 50, size=30, min_size=16, max_lines=1, draw=False)
    assert pdf.font_size_pt < 30
    assert pdf.get_string_width(name) <= cert.TEXT_W
    assert below - 50 == pytest.approx(pdf.font_size_pt * cert.PT * 1.35)
    very_long = "竞" * 120  # wraps on at most three lines, not below the smallest size
    below = cert._centred(pdf, very_long, 50, size=18, min_size=11, max_lines=3, draw=False)
    size = pdf.font_size_pt
    assert size >= 11
    assert len(lines(pdf, very_long, cert.TEXT_W)) <= 3
    assert below - 50 == pytest.approx(len(lines(pdf, very_long, cert.TEXT_W)) * size * cert.PT * 1.35)
    fitted = layout.fit(
        very_long, pdf.current_font.cw, pdf.k, width=cert.TEXT_W, size=18, min_size=11, max_lines=3
    )
    assert fitted.size == size
    assert list(fitted.lines) == lines(pdf, very_long, cert.TEXT_W)


UNIT = defaultdict(lambda: 1000)  # every character 1 wide at size 1 and k 1


def test_the_layout_rules_on_a_plain_width_table():
    text = "荣获一等奖（文科组），特发此证。"
    assert layout.break_lines(text, layout.advances(text, UNIT, 1, 1), 5) == [
        "荣获一等奖",
        "（文科组），",
        "特发此证。",
    ]
    assert layout.fit("ab cd", UNIT, 1, width=4, size=1, min_size=0.5, max_lines=2) == layout.Fitted(
        0.75, ("ab cd",)
    )
    # too small on one line: wrapped at the size that fills the lines, Latin words kept whole
    fitted = layout.fit("abc def ghi jkl", UNIT, 1, width=8, size=1, min_size=0.5, max_lines=2)
    assert fitted == layout.Fitted(1, ("abc def", "ghi jkl"))
    # one line only: never below the smallest size, wrapped there as the last resort
    fitted = layout.fit("一" * 12, UNIT, 1, width=4, size=1, min_size=0.5, max_lines=1)
    assert fitted == layout.Fitted(0.5, ("一" * 8, "一" * 4))


def test_dark_modules_become_runs_along_each_row():
    matrix = [b"\x01\x01\x00\x01", b"\x00\x00\x00\x00", b"\x01\x01\x01\x01"]
    assert layout.dark_runs(matrix) == [(0, 0, 2), (0, 3, 1), (2, 0, 4)]


@pytest.mark.skipif(
    not os.path.isfile("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), reason="no Noto CJK"
)
def test_the_simplified_chinese_face_of_a_collection_is_chosen():
    path = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    assert cert._chinese_face(path, os.stat(path).st_mtime) == 2  # JP, KR, SC, TC, HK


def test_a_file_that_is_no_font_has_no_face(tmp_path):
    bogus = tmp_path / "x.ttf"
    bogus.write_bytes(b"\x00\x01\x00\x00 not really")
    assert cert._chinese_face(str(bogus), 1.0) is None
    assert cert._chinese_face(str(tmp_path / "missing.ttf"), 1.0) is None


@needs_font
def test_the_qr_code_is_drawn_module_by_module(pdf):
    url = "https://example.org/results/certificates/2026-0001-7KQ4M2TZ"
    drawn = []
    pdf.rect = lambda x, y, w, h, style=None: drawn.append((x, y, w, h))
    cert._qr(pdf, url, x=20, y=100, size=33)
    matrix = [list(row) for row in segno.make(url, error="m", micro=False).matrix]
    module = 33 / len(matrix)
    dark = set()
    for x, y, w, _h in drawn[1:]:  # the first is the white quiet zone
        row = round((y - 100) / module)
        start = round((x - 20) / module)
        dark.update((row, col) for col in range(start, start + round(w / module)))
    assert dark == {(r, c) for r, line in enumerate(matrix) for c, on in enumerate(line) if on}


def test_file_names_keep_chinese_and_drop_what_a_file_system_refuses():
    certificate = Certificate(
        serial="2026-0001-7KQ4M2TZ",
        name="李/老师",
        university="浙江大学",
        competition_name="2026年 青年教师:教学竞赛",
        group_name="文科组",
        award="一等奖",
        organizer="省教育工会",
        issued=date(2026, 12, 1),
    )
    assert cert.filename(certificate) == "获奖证书-李老师-2026-0001-7KQ4M2TZ.pdf"
    assert cert.batch_filename([certificate]) == "获奖证书-2026年青年教师教学竞赛-文科组.pdf"
