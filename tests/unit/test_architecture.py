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


PACKAGE = DOMAIN.parent


def _functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_access_rules_live_in_the_permissions_package():
    """Every ``can_*`` predicate is defined in ``competition/permissions/`` and nowhere else."""
    outside = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "permissions" not in path.relative_to(PACKAGE).parts
        for name in _functions(path)
        if name.startswith("can_")
    ]
    assert outside == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "services").rglob("*.py")), ids=lambda p: p.name)
def test_services_do_not_know_the_logged_in_user(path):
    """Services take the acting user as ``by``; only views read Flask-Login's ``current_user``."""
    assert not [name for name in _imports(path) if name.startswith("flask_login")]
