"""Certificates (获奖证书) as PDF: one A4 landscape page per certificate, Chinese text in an embedded CJK
font, the serial number and a QR code that opens the public verification page (``results.verify``).

The certificate is a Chinese document whatever the reader's language: its wording goes through the catalogue
like every other string but is always rendered in Chinese (``force_locale``), as the names it carries are.

The font is a file on the server, embedded (subset) in each PDF: ``CERTIFICATE_FONT`` (the app's config or the
environment) or the first of ``FONT_CANDIDATES`` that exists. Without one, ``render`` refuses with
``FontMissing`` (what to install) rather than printing boxes. fpdf2 reads TrueType and CFF (OpenType) faces,
also inside a ``.ttc`` collection, whose Simplified Chinese face is picked by name.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import segno
from flask import current_app, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from fontTools.ttLib import TTCollection, TTFont, TTLibError
from fpdf import FPDF
from sqlalchemy import select

from ..domain.certificate_layout import dark_runs, fit
from ..errors import ServiceError
from ..extensions import db
from ..models import Certificate, Competition, CompetitionGroup, Entry
from .results import publication_of

# Serif (宋体-like) first: it suits a certificate best; then the small WenQuanYi font `make run` installs.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
FONT_PACKAGE = "fonts-wqy-microhei"
PROBE = "获奖证书浙江大学一等奖"  # characters the font must have
CERTIFICATE_LOCALE = "zh_Hans_CN"


class FontMissing(ServiceError):
    """No usable CJK font on the server: certificates would print boxes, so none is made."""

    status = 503
    code = "font_missing"


# --- the font -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    path: str
    index: int  # the face within a .ttc collection (0 for a single font)


@dataclass(frozen=True)
class CertificateFont:
    regular: Face
    bold: Face | None  # the same family's bold face when installed beside it (the title)


@lru_cache(maxsize=16)
def _chinese_face(path: str, mtime: float) -> int | None:
    """The face of ``path`` to use: the Simplified Chinese one of a collection (its name ends in "SC"), else
    the first that has the probe characters; None when none has them or the file is no font."""
    try:
        with open(path, "rb") as handle:
            if handle.read(4) == b"ttcf":
                handle.seek(0)
                faces = list(TTCollection(handle, lazy=True).fonts)
            else:
                handle.seek(0)
                faces = [TTFont(handle, lazy=True)]
            return _covering_face(faces)
    except (OSError, TTLibError, AssertionError, KeyError, IndexError, ValueError, struct.error):
        return None


def _covering_face(faces: list[TTFont]) -> int | None:
    covering = []
    for index, face in enumerate(faces):
        cmap = face.getBestCmap() or {}
        family = face["name"].getDebugName(1) or ""
        if all(ord(ch) in cmap for ch in PROBE):
            covering.append(index)
            if family.endswith(" SC"):
                return index
    return covering[0] if covering else None


def _face(path: str) -> Face | None:
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    index = _chinese_face(path, mtime)
    return None if index is None else Face(path, index)


def _bold_beside(face: Face) -> Face | None:
    name = Path(face.path).name
    if "-Regular" not in name:
        return None
    bold = str(Path(face.path).with_name(name.replace("-Regular", "-Bold")))
    return _face(bold) if os.path.isfile(bold) else None


def configured_font() -> str | None:
    return current_app.config.get("CERTIFICATE_FONT") or None


def find_font() -> CertificateFont | None:
    """The configured font, else the first candidate installed; None when there is none."""
    configured = configured_font()
    paths = [configured] if configured else FONT_CANDIDATES
    for path in paths:
        if os.path.isfile(path):
            face = _face(path)
            if face is not None:
                return CertificateFont(face, _bold_beside(face))
    return None


def missing_font_message() -> str:
    configured = configured_font()
    if configured:
        return _(
            "Certificates cannot be made: the font CERTIFICATE_FONT names (%(path)s) is not a readable font "
            "file with Chinese characters. Point CERTIFICATE_FONT at a .ttf, .otf or .ttc Chinese font, or "
            "unset it and install %(package)s (apt-get install %(package)s).",
            path=configured,
            package=FONT_PACKAGE,
        )
    return _(
        "Certificates cannot be made: no Chinese font is installed on the server, and without one the names "
        "would print as boxes. Install one with “apt-get install %(package)s” (or set CERTIFICATE_FONT to a "
        ".ttf, .otf or .ttc Chinese font file), then try again.",
        package=FONT_PACKAGE,
    )


def require_font() -> CertificateFont:
    font = find_font()
    if font is None:
        raise FontMissing(missing_font_message())
    return font


# --- what is printed ----------------------------------------------------------------------------------------


def verify_url(certificate: Certificate, base_url: str | None = None) -> str:
    """The address the QR code holds: the public verification page of the serial, absolute."""
    if base_url:
        return f"{base_url.rstrip('/')}/{certificate.serial}"
    return url_for("results.verify", serial=certificate.serial, _external=True)


def filename(certificate: Certificate) -> str:
    return f"获奖证书-{_safe(certificate.name)}-{certificate.serial}.pdf"


def batch_filename(certificates: list[Certificate]) -> str:
    first = certificates[0]
    groups = {c.group_name for c in certificates}
    group = f"-{_safe(first.group_name)}" if len(groups) == 1 else ""
    return f"获奖证书-{_safe(first.competition_name)}{group}.pdf"


def _safe(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or ch in "-_·()（）") or "-"


def certificates_of(competition: Competition, group_id: int | None = None) -> list[Certificate]:
    """A competition's certificates (of one group), by the order of its groups, then the published ranks."""
    stmt = (
        select(Certificate, Entry.group_id, CompetitionGroup.position)
        .join(Entry, Entry.id == Certificate.entry_id)
        .join(CompetitionGroup, CompetitionGroup.id == Entry.group_id)
        .where(Certificate.competition_id == competition.id)
    )
    if group_id is not None:
        stmt = stmt.where(Entry.group_id == group_id)
    rows = db.session.execute(stmt).all()
    publication = publication_of(competition) if rows else None
    order: dict[int, int] = {}
    for group in (publication.snapshot if publication else {}).get("groups", []):
        for n, item in enumerate(group.get("items", [])):
            order[item["entry_id"]] = n
    rows.sort(key=lambda r: (r[2], r[1], order.get(r[0].entry_id, len(order)), r[0].serial))
    return [row[0] for row in rows]


# --- the PDF ------------------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
TEXT_W = 220.0  # the width body lines may take
RED = (152, 26, 30)
GOLD = (178, 134, 46)
INK = (34, 34, 34)
GREY = (96, 96, 96)
PT = 25.4 / 72  # one point in mm
REGULAR, BOLD = "cjk", "cjkb"
BODY_BOTTOM = 150.0  # the QR code and the organizer start below
SIGNATURE_BOTTOM = 192.0  # above the inner border


def render(certificates: Iterable[Certificate], *, base_url: str | None = None) -> bytes:
    """One PDF with a page per certificate. Raises ``FontMissing`` without a CJK font.

    The caller is inside a request (the QR code's absolute URL), unless it passes ``base_url``: the address
    serials are appended to (``https://example.org/results/certificates``)."""
    font = require_font()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font(REGULAR, fname=font.regular.path, collection_font_number=font.regular.index)
    title_font = REGULAR
    if font.bold is not None:
        pdf.add_font(BOLD, fname=font.bold.path, collection_font_number=font.bold.index)
        title_font = BOLD
    with force_locale(CERTIFICATE_LOCALE):
        pdf.set_lang("zh-CN")
        pdf.set_title(_("Certificate of Award"))
        pdf.set_creator(_("Staff Skills Competition Platform"))
        for certificate in certificates:
            _page(pdf, certificate, verify_url(certificate, base_url), title_font)
    try:
        return bytes(pdf.output())
    finally:
        for loaded in pdf.fonts.values():  # fontTools reads the font files lazily: close them now
            ttfont = getattr(loaded, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def _page(pdf: FPDF, c: Certificate, url: str, title_font: str) -> None:
    pdf.add_page()
    _frame(pdf)
    centre = PAGE_W / 2

    # Title, spaced out, with a rule beneath.
    pdf.set_text_color(*RED)
    pdf.set_font(title_font, size=46)
    pdf.set_char_spacing(9)
    title = _("Certificate of Award")
    pdf.set_xy(0, 30)
    # char spacing adds after the last character too: shift by half of it to stay centred
    pdf.cell(PAGE_W + 9 * PT, 20, title, align="C")
    pdf.set_char_spacing(0)
    _ornament_rule(pdf, centre, 56)

    # The person, the university, the competition and group, the award: smaller all together if long texts
    # would reach the QR code (tried without drawing first).
    scale = 1.0
    while _body(pdf, c, title_font, scale, draw=False) > BODY_BOTTOM and scale > 0.55:
        scale -= 0.05
    _body(pdf, c, title_font, scale, draw=True)

    # Bottom right: the organizer and the date, centred on each other (room above for the seal).
    pdf.set_text_color(*INK)
    scale = 1.0
    while _signature(pdf, c, scale, draw=False) > SIGNATURE_BOTTOM and scale > 0.35:
        scale -= 0.05
    _signature(pdf, c, scale, draw=True)

    # Bottom left: the QR code, the serial and the address it opens.
    _qr(pdf, url, x=24, y=152, size=32)
    text_x, text_w = 60.0, 108.0
    pdf.set_text_color(*INK)
    pdf.set_font(REGULAR, size=10.5)
    pdf.set_xy(text_x, 157)
    pdf.cell(text_w, 6, _("Serial No. %(serial)s", serial=c.serial))
    pdf.set_text_color(*GREY)
    pdf.set_font(REGULAR, size=8.5)
    pdf.set_xy(text_x, 165)
    pdf.multi_cell(
        text_w, 4.2, _("Scan the code or open the address below to check that this certificate is genuine.")
    )
    pdf.set_font(REGULAR, size=7.5)
    pdf.set_xy(text_x, pdf.get_y() + 1.5)
    pdf.multi_cell(text_w, 3.6, url, wrapmode="CHAR")


def _body(pdf: FPDF, c: Certificate, title_font: str, scale: float, *, draw: bool) -> float:
    """The middle of the page at ``scale``; returns where it ends."""
    pdf.set_text_color(*INK)
    big = {"font": title_font, "max_lines": 1, "draw": draw}
    y = _centred(pdf, c.name, 66, size=30 * scale, min_size=16 * scale, line_gap=1.25, **big)
    pdf.set_text_color(*GREY)
    y = _centred(pdf, c.university, y + 1, size=17 * scale, min_size=11 * scale, line_gap=1.3, draw=draw)
    pdf.set_text_color(*INK)
    sentence = _(
        "In the %(competition)s (%(group)s), was awarded", competition=c.competition_name, group=c.group_name
    )
    top = max(y + 6 * scale, 100 * scale)
    y = _centred(
        pdf, sentence, top, size=18 * scale, min_size=11 * scale, line_gap=1.45, max_lines=3, draw=draw
    )
    pdf.set_text_color(*RED)
    y = _centred(pdf, c.award, y + 2 * scale, size=40 * scale, min_size=20 * scale, **big)
    pdf.set_text_color(*INK)
    closing = _("This certificate is awarded in recognition.")
    return _centred(pdf, closing, y + 3 * scale, size=16 * scale, min_size=12 * scale, draw=draw)


def _signature(pdf: FPDF, c: Certificate, scale: float, *, draw: bool) -> float:
    """The organizer over the date of issue, bottom right, at ``scale``; returns where it ends."""
    where = {"width": 94.0, "centre": 222.0, "draw": draw}
    y = _centred(pdf, c.organizer, 164, size=17 * scale, min_size=10 * scale, max_lines=3, **where)
    issued = _issued(c.issued)
    return _centred(pdf, issued, max(y + 4 * scale, 176), size=15 * scale, min_size=10 * scale, **where)


def _issued(day: date) -> str:
    return format_date(day, "long")  # 2026年12月1日 (the certificate's locale)


def _frame(pdf: FPDF) -> None:
    """A thick red outer border, a thin gold inner one, and small gold squares in the inner corners."""
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.6)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.45)
    inset = 13.0
    pdf.rect(inset, inset, PAGE_W - 2 * inset, PAGE_H - 2 * inset)
    pdf.set_line_width(0.25)
    pdf.rect(inset + 1.6, inset + 1.6, PAGE_W - 2 * (inset + 1.6), PAGE_H - 2 * (inset + 1.6))
    pdf.set_fill_color(*GOLD)
    for x in (inset - 1.6, PAGE_W - inset - 1.6):
        for y in (inset - 1.6, PAGE_H - inset - 1.6):
            pdf.rect(x, y, 3.2, 3.2, style="F")


def _ornament_rule(pdf: FPDF, centre: float, y: float) -> None:
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.4)
    pdf.line(centre - 60, y, centre - 5, y)
    pdf.line(centre + 5, y, centre + 60, y)
    pdf.set_fill_color(*GOLD)
    d = 2.2
    pdf.polygon([(centre, y - d), (centre + d, y), (centre, y + d), (centre - d, y)], style="F")


def _centred(
    pdf: FPDF,
    text: str,
    y: float,
    *,
    size: float,
    min_size: float,
    width: float = TEXT_W,
    centre: float = PAGE_W / 2,
    font: str = REGULAR,
    max_lines: int = 2,
    line_gap: float = 1.35,
    draw: bool = True,
) -> float:
    """``text`` centred from ``y``, at the size and on the lines ``fit`` chooses. Returns the y below."""
    pdf.set_font(font, size=size)
    fitted = fit(
        text, pdf.current_font.cw, pdf.k, width=width, size=size, min_size=min_size, max_lines=max_lines
    )
    chosen, lines = fitted.size, fitted.lines
    pdf.set_font(font, size=chosen)
    height = chosen * PT * line_gap
    for line in lines:
        if draw:
            pdf.set_xy(centre - width / 2, y)
            pdf.cell(width, height, line, align="C")
        y += height
    return y


def _qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (sharp in print), one rectangle per run of dark modules in a row; the
    white around it is the quiet zone."""
    code = segno.make(url, error="m", micro=False)
    matrix = list(code.matrix)
    module = size / len(matrix)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x - 4 * module, y - 4 * module, size + 8 * module, size + 8 * module, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, start, length in dark_runs(matrix):
        pdf.rect(x + start * module, y + r * module, length * module, module, style="F")
