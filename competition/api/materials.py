"""Entry materials: upload (multipart ``file``), list, download, delete; the same services as the pages."""

from __future__ import annotations

from flask import jsonify, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..models import EntryMaterial
from ..services import materials, registration
from . import bp


def material_dict(material: EntryMaterial) -> dict:
    return {
        "id": material.id,
        "name": material.original_name,
        "kind": material.kind,
        "size": material.size,
        "uploaded_at": material.uploaded_at.isoformat() + "Z",
    }


def _material_in_scope(material_id: int) -> EntryMaterial:
    """A file of an entry the caller may download; anything else is a 404, as if it did not exist."""
    material = db.session.get(EntryMaterial, material_id)
    if material is None or not materials.can_download(current_user, material.entry):
        raise NotFound(_("No such file."))
    return material


@bp.post("/entries/<int:entry_id>/materials")
@login_required
def upload_material(entry_id: int):
    entry = registration.get_entry(entry_id, current_user)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = _("Choose a file to upload.")
        raise ValidationFailed(message, details=[{"field": "file", "message": message}])
    material = materials.add_material(entry=entry, upload=upload, by=current_user)
    db.session.commit()
    return jsonify(material_dict(material)), 201


@bp.get("/entries/<int:entry_id>/materials")
@login_required
def list_materials(entry_id: int):
    entry = registration.get_entry(entry_id, current_user)
    return jsonify([material_dict(m) for m in entry.materials])


@bp.get("/materials/<int:material_id>")
@login_required
def download_material(material_id: int):
    material = _material_in_scope(material_id)
    path = materials.path_of(material)
    if not path.is_file():
        raise NotFound(_("No such file."))
    response = send_file(
        path,
        mimetype=materials.MIMETYPES[material.kind],
        as_attachment=True,
        download_name=material.original_name,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.delete("/materials/<int:material_id>")
@login_required
def delete_material(material_id: int):
    materials.remove_material(material=_material_in_scope(material_id), by=current_user)
    db.session.commit()
    return "", 204
