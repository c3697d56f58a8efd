"""Entry materials: upload (multipart ``file``), list, download, delete; the same services as the pages."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import material_response
from ..errors import ValidationFailed
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
    return material_response(materials.get_material(material_id, current_user))


@bp.delete("/materials/<int:material_id>")
@login_required
def delete_material(material_id: int):
    materials.remove_material(material=materials.get_material(material_id, current_user), by=current_user)
    db.session.commit()
    return "", 204
