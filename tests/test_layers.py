"""Imports point one way only (DESIGN.md): kooperation → positions → initiatives → partners →
outbox. No app imports one above it."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

LAYERS = ["outbox", "partners", "initiatives", "positions", "kooperation"]


def imported_apps(app: str) -> set[str]:
    found = set()
    for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found.update(name.split(".")[0] for name in names)
    return found & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_imports_one_above_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    assert imported_apps(app) & above == set()
