"""File responses shared by the pages and the API: a stored material as a private attachment."""

from __future__ import annotations

from flask import Response, send_file
from flask_babel import gettext as _

from .errors import NotFound
from .models import EntryMaterial
from .services import materials


def material_response(material: EntryMaterial) -> Response:
    """The file under its original name, never cached by a shared proxy; a lost file is a 404."""
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
