"""The import rule: ``competition/domain`` is pure (no Flask, no SQLAlchemy, no models, no services)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "competition" / "domain"
FORBIDDEN = (
    "flask",
    "flask_",
    "sqlalchemy",
    "werkzeug",
    "competition.models",
    "competition.services",
    "competition.extensions",
)


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against competition.domain
                base = ["competition", "domain"][: 3 - node.level] if node.level <= 2 else []
                module = ".".join(base + ([module] if module else []))
            names.append(module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_is_pure(path):
    bad = [name for name in _imports(path) if name.startswith(FORBIDDEN)]
    assert bad == [], f"{path.name} imports {bad}"


def test_the_check_sees_relative_imports(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from ..models import Staff\nfrom . import roster\nimport flask\n", encoding="utf-8")
    assert _imports(sample) == ["competition.models", "competition.domain", "flask"]
