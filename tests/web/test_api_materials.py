"""Entry materials through the API: type by content, size limit, who may download, states, CSRF."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from competition import LARGE_UPLOAD_BYTES
from competition.extensions import db
from competition.models import Competition, Entry, EntryMaterial
from competition.services import competitions, materials, registration
from tests.builders import api_login_as, make_competition, make_entry, user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def stored_files(app) -> set[str]:
    folder = Path(app.instance_path) / "materials"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.fixture
def entry(world) -> Entry:
    """The young teacher's pending entry in an open competition."""
    competition = make_competition(requires_materials=True)
    return make_entry(competition, user("zju_staff").roles[0].staff, status="pending", by="zju_staff")


def upload(client, token, entry_id, data: bytes | io.IOBase, name: str):
    """POST the file; the encoded body (a temporary file above 500 KB) is closed afterwards."""
    stream = data if isinstance(data, io.IOBase) else io.BytesIO(data)
    builder = EnvironBuilder(
        path=f"/api/v1/entries/{entry_id}/materials",
        method="POST",
        data={"file": (stream, name)},
        headers={"X-CSRFToken": token},
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("教学设计.pdf", PDF, "pdf"),
        ("教学大纲.docx", office("word/document.xml"), "docx"),
        ("课件.pptx", office("ppt/presentation.xml"), "pptx"),
        ("课堂实录.mp4", MP4, "mp4"),
    ],
)
def test_each_allowed_type_is_stored(client, entry, name, data, kind):
    token = api_login_as(client, "zju_staff")
    response = upload(client, token, entry.id, data, name)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"id", "name", "kind", "size", "uploaded_at"}
    assert (body["name"], body["kind"], body["size"]) == (name, kind, len(data))
    listed = client.get(f"/api/v1/entries/{entry.id}/materials").get_json()
    assert [m["id"] for m in listed] == [body["id"]]
    material = db.session.get(EntryMaterial, body["id"])
    assert material.stored_name != name and materials.path_of(material).read_bytes() == data


def test_the_type_is_judged_by_content_not_by_name(client, app, entry):
    token = api_login_as(client, "zju_staff")
    before = stored_files(app)
    response = upload(client, token, entry.id, PNG, "伪装.pdf")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and error["details"][0]["field"] == "file"
    assert "PDF" in error["message"]
    assert stored_files(app) == before
    assert db.session.scalar(select(EntryMaterial)) is None
    assert upload(client, token, entry.id, b"PK\x03\x04not a zip", "x.docx").status_code == 422
    assert upload(client, token, entry.id, b"", "empty.pdf").status_code == 422
    assert stored_files(app) == before


def test_a_missing_file_field_is_a_422(client, entry):
    token = api_login_as(client, "zju_staff")
    response = client.post(f"/api/v1/entries/{entry.id}/materials", data={}, headers={"X-CSRFToken": token})
    assert response.status_code == 422 and response.get_json()["error"]["details"][0]["field"] == "file"


def test_the_size_limit_is_200_mb_and_the_body_limit_leaves_room_for_it():
    assert materials.MAX_MATERIAL_BYTES == 200 * 1024 * 1024
    assert LARGE_UPLOAD_BYTES > materials.MAX_MATERIAL_BYTES + 1024 * 1024


def test_a_file_over_the_limit_is_refused(client, app, entry, monkeypatch):
    monkeypatch.setattr(materials, "MAX_MATERIAL_BYTES", 2 * 1024 * 1024)
    token = api_login_as(client, "zju_staff")
    before = stored_files(app)
    limit = materials.MAX_MATERIAL_BYTES
    assert upload(client, token, entry.id, PDF + b"\0" * (limit - len(PDF)), "ok.pdf").status_code == 201
    response = upload(client, token, entry.id, PDF + b"\0" * (limit + 1 - len(PDF)), "big.pdf")
    assert response.status_code == 422 and "2 MB" in response.get_json()["error"]["message"]
    assert len(stored_files(app) - before) == 1


def test_a_file_of_200_mb_and_one_byte_is_refused(client, app, entry, tmp_path):
    """The real limit, streamed from a sparse file (never held in memory)."""
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.write(MP4[:16])
        handle.truncate(materials.MAX_MATERIAL_BYTES + 1)
    token = api_login_as(client, "zju_staff")
    before = stored_files(app)
    with big.open("rb") as stream:
        response = upload(client, token, entry.id, stream, "big.mp4")
    assert response.status_code == 422 and "200 MB" in response.get_json()["error"]["message"]
    assert stored_files(app) == before


def test_download_by_the_entrant_gives_the_same_bytes_and_name(client, app, entry, make, world):
    token = api_login_as(client, "zju_staff")
    material_id = upload(client, token, entry.id, PDF, "教学设计 final.pdf").get_json()["id"]
    response = client.get(f"/api/v1/materials/{material_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and quote("教学设计 final.pdf") in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    response.close()
    admin = app.test_client()
    api_login_as(admin, "zju_admin")
    with admin.get(f"/api/v1/materials/{material_id}") as response:
        assert response.status_code == 200 and response.data == PDF
    other = make.staff(world["zju"], "00400", "钱老师")
    make.user("other_staff", "staff", world["zju"], staff=other)
    for username in ("other_staff", "hzu_admin", "zju_judge"):
        stranger = app.test_client()
        stranger_token = api_login_as(stranger, username)
        assert stranger.get(f"/api/v1/materials/{material_id}").status_code == 404
        assert stranger.get(f"/api/v1/entries/{entry.id}/materials").status_code == 404
        assert upload(stranger, stranger_token, entry.id, PDF, "x.pdf").status_code == 404
        response = stranger.delete(
            f"/api/v1/materials/{material_id}", headers={"X-CSRFToken": stranger_token}
        )
        assert response.status_code == 404
    assert client.get("/api/v1/materials/999999").status_code == 404


def test_the_web_download_is_the_same_file(client, app, entry):
    token = api_login_as(client, "zju_staff")
    material_id = upload(client, token, entry.id, MP4, "lesson.mp4").get_json()["id"]
    with client.get(f"/my/materials/{material_id}") as response:
        assert response.status_code == 200 and response.data == MP4 and response.mimetype == "video/mp4"
        assert "lesson.mp4" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, no-store"


def test_delete_removes_the_row_and_the_file(client, entry):
    token = api_login_as(client, "zju_staff")
    material_id = upload(client, token, entry.id, PDF, "a.pdf").get_json()["id"]
    path = materials.path_of(db.session.get(EntryMaterial, material_id))
    assert path.exists()
    response = client.delete(f"/api/v1/materials/{material_id}", headers={"X-CSRFToken": token})
    assert response.status_code == 204 and not path.exists()
    db.session.expire_all()
    assert db.session.get(EntryMaterial, material_id) is None
    assert client.get(f"/api/v1/entries/{entry.id}/materials").get_json() == []


def test_a_deletion_that_is_not_committed_keeps_the_file(client, entry):
    token = api_login_as(client, "zju_staff")
    material_id = upload(client, token, entry.id, PDF, "a.pdf").get_json()["id"]
    material = db.session.get(EntryMaterial, material_id)
    path = materials.path_of(material)
    materials.remove_material(material=material, by=user("zju_staff"))
    db.session.flush()
    db.session.rollback()
    assert path.exists() and db.session.get(EntryMaterial, material_id) is not None
    db.session.commit()  # a later commit of the same session must not remove it either
    assert path.exists()


def test_once_scoring_starts_files_can_no_longer_change(client, entry):
    token = api_login_as(client, "zju_staff")
    material_id = upload(client, token, entry.id, PDF, "a.pdf").get_json()["id"]
    org = user("org")
    registration.approve(entry=db.session.get(Entry, entry.id), by=user("zju_admin"))
    competition = db.session.get(Competition, entry.competition_id)
    competitions.transition(competition=competition, to="registration_closed", by=org)
    assert upload(client, token, entry.id, PDF, "late but allowed.pdf").status_code == 201
    from competition.services import draw

    draw.run_draw(competition=competition, by=org, seed=1)
    competitions.transition(competition=competition, to="scoring", by=org)
    db.session.commit()
    response = upload(client, token, entry.id, PDF, "too late.pdf")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "wrong_state"
    response = client.delete(f"/api/v1/materials/{material_id}", headers={"X-CSRFToken": token})
    assert response.status_code == 409
    with client.get(f"/api/v1/materials/{material_id}") as download:
        assert download.status_code == 200  # still readable by the entrant


def test_a_withdrawn_entry_takes_no_files(client, entry):
    token = api_login_as(client, "zju_staff")
    client.post(f"/api/v1/entries/{entry.id}/withdraw", headers={"X-CSRFToken": token})
    assert upload(client, token, entry.id, PDF, "a.pdf").status_code == 409


def test_writes_need_the_csrf_header(client, entry):
    token = api_login_as(client, "zju_staff")
    response = client.post(
        f"/api/v1/entries/{entry.id}/materials",
        data={"file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    material_id = upload(client, token, entry.id, PDF, "a.pdf").get_json()["id"]
    response = client.delete(f"/api/v1/materials/{material_id}")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    assert db.session.scalar(select(EntryMaterial.id)) == material_id


def test_anonymous_is_401(client, entry):
    assert client.get(f"/api/v1/entries/{entry.id}/materials").status_code == 401
