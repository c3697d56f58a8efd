"""Certificates (获奖证书): issued at publication to awarded entries; a PDF with an embedded CJK font whose QR
code decodes to the public verification page; who may download one or the whole batch; the page without a
font."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from PIL import Image, ImageStat
from sqlalchemy import select

from competition.enums import CompetitionStatus, Role
from competition.extensions import db
from competition.models import Certificate
from competition.services import certificates
from tests.builders import Api, advance, login_as, make_competition, make_sheet, staff, user

# 李老师 (ZJU, 1号) scores above 赵老师 (HZU, 2号); judge_zju is recused from ZJU's entry, judge_hzu
# from HZU's.
HIGH = ([38, 55], [28, 28, 24, 14])
LOW = ([30, 50], [25, 25, 20, 10])


def score_everything(competition, entries) -> None:
    design, lesson = competition.rounds
    for judge in ("judge_zju", "judge_hzu", "expert"):
        for entry, (design_values, lesson_values) in zip(entries, (HIGH, LOW), strict=True):
            if (judge, entry.university.code) in (("judge_zju", "ZJU"), ("judge_hzu", "HZU")):
                continue
            for round_, values in ((design, design_values), (lesson, lesson_values)):
                make_sheet(user(judge), round_, entry, values, token=f"{judge}-{entry.id}-{round_.id}")


@pytest.fixture
def published(contest):
    competition, entries = contest
    score_everything(competition, entries)
    advance(competition, "published")
    return competition, entries


def certificate_of(entry) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.entry_id == entry.id))


def logged_in(app, username: str):
    client = app.test_client()
    login_as(client, username)
    return client


def pdftoppm_png(pdf: bytes, folder) -> Image.Image:
    """Page 1 as pdftoppm renders it at 50 dpi, in grey."""
    if shutil.which("pdftoppm") is None:
        pytest.skip(
            "pdftoppm is not installed (apt-get install poppler-utils): the rendered page is not checked"
        )
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", "certificate.pdf", "page"],
        cwd=folder,
        capture_output=True,
        check=True,
    )
    with Image.open(folder / "page.png") as image:
        return image.convert("L")


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def verification_url(certificate: Certificate) -> str:
    return f"http://localhost/results/certificates/{certificate.serial}"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# --- issued at publication -------------------------------------------------------------------------------


def test_publication_issues_a_certificate_to_each_awarded_entry(published):
    competition, (li, zhao) = published
    assert competition.status == CompetitionStatus.PUBLISHED
    mine, theirs = certificate_of(li), certificate_of(zhao)
    # two entries: c₁ = half-up(0.15 × 2) = 0, c₂ = half-up(0.40 × 2) = 1, c₃ = half-up(0.75 × 2) = 2
    assert (mine.name, mine.university, mine.award) == ("李老师", "浙江大学", "二等奖")
    assert (theirs.name, theirs.university, theirs.award) == ("赵老师", "杭州大学", "三等奖")
    assert (mine.competition_name, mine.group_name, mine.organizer) == (
        competition.name,
        "文科组",
        "省教育工会",
    )
    assert re.fullmatch(r"2026-\d{4}-[2-9A-HJ-NP-Z]{8}", mine.serial)
    assert mine.serial != theirs.serial


# --- the PDF -----------------------------------------------------------------------------------------------


def test_the_certificate_embeds_its_font_and_its_qr_code_opens_the_verification_page(
    app, published, tmp_path
):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes the QR code (requirements-dev.txt)")
    _competition, (li, _zhao) = published
    certificate = certificate_of(li)
    response = logged_in(app, "zju_staff").get(f"/results/entries/{li.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"{certificate.serial}.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    pdf = response.data
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf or b"/FontFile3" in pdf  # the CJK font travels with the PDF
    assert page_count(pdf) == 1

    image = pdftoppm_png(pdf, tmp_path)
    assert image.size[0] > image.size[1]  # A4 landscape
    assert ImageStat.Stat(image).stddev[0] > 20  # not a blank page
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [verification_url(certificate)]

    path = codes[0].text.removeprefix("http://localhost")
    page = app.test_client().get(path + "?lang=en")  # the phone that scanned it: no account
    assert page.status_code == 200
    body = text_of(page)
    assert "This certificate is genuine" in body
    for value in ("李老师", "浙江大学", "二等奖", "文科组", certificate.serial, "省教育工会"):
        assert value in body
    assert certificate.competition_name in body


def test_the_batch_is_one_pdf_with_a_page_per_certificate_in_group_and_rank_order(app, published):
    competition, (li, zhao) = published
    org = logged_in(app, "org")
    response = org.get(f"/results/{competition.id}/certificates.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert page_count(response.data) == 2
    assert [c.entry_id for c in certificates.certificates_of(competition)] == [li.id, zhao.id]
    first, second = competition.groups
    assert page_count(org.get(f"/results/{competition.id}/certificates.pdf?group_id={first.id}").data) == 2
    empty = org.get(f"/results/{competition.id}/certificates.pdf?group_id={second.id}&lang=en")
    assert empty.status_code == 404
    assert "has no certificates" in text_of(empty)
    other = make_competition(name="另一场竞赛")
    assert (
        org.get(f"/results/{competition.id}/certificates.pdf?group_id={other.groups[0].id}").status_code
        == 404
    )


def test_only_those_who_run_the_competition_get_the_batch(app, published):
    competition, _entries = published
    url = f"/results/{competition.id}/certificates.pdf"
    assert logged_in(app, "zju_admin").get(url).status_code == 403
    assert logged_in(app, "zju_staff").get(url).status_code in (403, 404)
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]


# --- who gets one certificate ------------------------------------------------------------------------------


def test_the_entrant_their_admin_and_the_organizers_download_it_nobody_else(app, world, make, published):
    _competition, (li, _zhao) = published
    make.user("wang", Role.STAFF, world["zju"], staff=staff("00124"))
    url = f"/results/entries/{li.id}/certificate.pdf"
    for username in ("zju_staff", "zju_admin", "org"):
        response = logged_in(app, username).get(url)
        assert response.status_code == 200, username
        assert response.data.startswith(b"%PDF-")
    for username in ("hzu_admin", "wang", "judge_hzu"):
        assert logged_in(app, username).get(url).status_code in (403, 404), username
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]


def test_an_entry_without_an_award_has_no_certificate(app, contest):
    competition, (li, zhao) = contest
    del competition.awards[1:]
    competition.awards[0].ratio = Decimal("0.5")  # one prize: c₁ = half-up(0.5 × 2) = 1
    db.session.commit()
    score_everything(competition, (li, zhao))
    advance(competition, "published")
    assert certificate_of(li).award == "一等奖"
    assert certificate_of(zhao) is None
    response = logged_in(app, "hzu_admin").get(f"/results/entries/{zhao.id}/certificate.pdf?lang=en")
    assert response.status_code == 404
    assert "no certificate" in text_of(response)
    assert logged_in(app, "org").get(f"/results/entries/{zhao.id}/certificate.pdf").status_code == 404
    assert logged_in(app, "org").get(f"/results/{competition.id}/certificates.pdf").status_code == 200


def test_nothing_before_publication(app, contest):
    competition, (li, _zhao) = contest
    score_everything(competition, contest[1])
    assert db.session.scalar(select(Certificate)) is None
    assert logged_in(app, "zju_staff").get(f"/results/entries/{li.id}/certificate.pdf").status_code == 404
    batch = logged_in(app, "org").get(f"/results/{competition.id}/certificates.pdf?lang=en")
    assert batch.status_code == 404
    assert "Certificates are issued when the results are published" in text_of(batch)


# --- verification ------------------------------------------------------------------------------------------


def test_an_unknown_serial_is_reported_as_possibly_forged(app, published):
    client = app.test_client()
    page = client.get("/results/certificates/2026-0001-FORGED22?lang=en")
    assert page.status_code == 404
    body = text_of(page)
    assert "No such certificate" in body
    assert "forged" in body
    assert "2026-0001-FORGED22" in body
    assert client.get("/results/certificates/" + "X" * 300).status_code == 404


def test_a_serial_reads_the_same_in_lower_case_and_through_the_api(app, published):
    _competition, (li, _zhao) = published
    certificate = certificate_of(li)
    page = app.test_client().get(f"/results/certificates/{certificate.serial.lower()}")
    assert page.status_code == 200
    assert certificate.serial in text_of(page)
    api = Api(app, "org")
    answer = app.test_client().get(f"/api/v1/certificates/{certificate.serial}")
    assert answer.status_code == 200
    assert answer.get_json() == {
        "serial": certificate.serial,
        "name": "李老师",
        "university": "浙江大学",
        "competition": certificate.competition_name,
        "group": "文科组",
        "award": "二等奖",
        "issued": certificate.issued.isoformat(),
        "organizer": "省教育工会",
    }
    missing = api.get("/certificates/2026-0001-FORGED22")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


# --- without a CJK font ------------------------------------------------------------------------------------


def test_without_a_font_the_page_says_what_to_install(app, published, monkeypatch):
    competition, (li, _zhao) = published
    monkeypatch.setattr(certificates, "find_font", lambda: None)
    page = logged_in(app, "zju_staff").get(f"/results/entries/{li.id}/certificate.pdf?lang=en")
    assert page.status_code == 503
    assert page.mimetype == "text/html"
    body = text_of(page)
    assert "no Chinese font is installed" in body
    assert "apt-get install fonts-wqy-microhei" in body
    batch = logged_in(app, "org").get(f"/results/{competition.id}/certificates.pdf")
    assert batch.status_code == 503
    assert "fonts-wqy-microhei" in text_of(batch)
    api = Api(app, "zju_staff").get(f"/entries/{li.id}/certificate.pdf")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "font_missing"


def test_a_configured_font_that_is_no_font_is_named(app, published, monkeypatch, tmp_path):
    _competition, (li, _zhao) = published
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"not a font")
    monkeypatch.setitem(app.config, "CERTIFICATE_FONT", str(bogus))
    page = logged_in(app, "zju_staff").get(f"/results/entries/{li.id}/certificate.pdf?lang=en")
    assert page.status_code == 503
    assert str(bogus) in text_of(page)
