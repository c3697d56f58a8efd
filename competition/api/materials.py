"""Entry materials: upload (multipart ``file``), list, download, delete; the same services as the pages."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import material_response
from ..errors import ValidationFailed
from ..permissions import visible_entry, visible_material
from ..services import materials
from . import bp
from .serialise import material_dict


@bp.post("/entries/<int:entry_id>/materials")
@login_required
def upload_material(entry_id: int):
    entry = visible_entry(entry_id, current_user)  # who sees it may change its files
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = _("Choose a file to upload.")
        raise ValidationFailed(message, details=[{"field": "file", "message": message}])
    material = materials.add_material(entry=entry, upload=upload, by=current_user)
    return jsonify(material_dict(material)), 201


@bp.get("/entries/<int:entry_id>/materials")
@login_required
def list_materials(entry_id: int):
    entry = visible_entry(entry_id, current_user)
    return jsonify([material_dict(m) for m in entry.materials])


@bp.get("/materials/<int:material_id>")
@login_required
def download_material(material_id: int):
    return material_response(visible_material(material_id, current_user))


@bp.delete("/materials/<int:material_id>")
@login_required
def delete_material(material_id: int):
    materials.remove_material(material=visible_material(material_id, current_user), by=current_user)
    return "", 204
