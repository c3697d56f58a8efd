"""Uploads kept between a dry run and its confirmation, so the user confirms the very file they previewed."""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app

from ..database import unlink_after_commit

MAX_AGE_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "pending"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def stash(data: bytes, *, filename: str, owner_id: int, purpose: str) -> str:
    folder = _folder()
    _sweep(folder)
    token = secrets.token_hex(16)
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"filename": filename, "owner_id": owner_id, "purpose": purpose}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load(token: str, *, owner_id: int, purpose: str) -> tuple[bytes, str] | None:
    """The stashed bytes and file name, only for the user who uploaded them and for the same purpose."""
    if not _TOKEN_RE.match(token or ""):
        return None
    folder = _folder()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    if not meta_path.exists() or not data_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("owner_id") != owner_id or meta.get("purpose") != purpose:
        return None
    return data_path.read_bytes(), meta["filename"]


def discard(token: str) -> None:
    """Forget the stashed file once the import that used it commits (a failed commit keeps it to retry)."""
    if _TOKEN_RE.match(token or ""):
        for suffix in (".bin", ".json"):
            unlink_after_commit(_folder() / f"{token}{suffix}")
