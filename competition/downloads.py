"""File responses shared by the pages and the API: a stored material, an Excel workbook."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, send_file
from flask_babel import gettext as _

from .errors import NotFound
from .models import EntryMaterial
from .services import materials

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def xlsx_response(data: bytes, filename: str) -> Response:
    """An Excel workbook saved as ``filename`` (UTF-8 names allowed), never cached: it holds personal data."""
    return Response(
        data,
        mimetype=XLSX_MIMETYPE,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store",
        },
    )


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> Response:
    """A PDF saved as ``filename`` (or shown inline in the browser), never cached by a shared proxy."""
    disposition = "inline" if inline else "attachment"
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "private, no-store",
        },
    )
