"""The digest package stays readable: one job per module, each short, `build` made of named
functions, and measured figures in docs/performance.md rather than in the code."""

import ast
import re
from pathlib import Path

import pytest

import kooperation.digest

PACKAGE = Path(kooperation.digest.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
# A measured figure: "0.3 ms", "586 per second", "0.6 seconds", "1.6 GB", "half (50 %)".
FIGURE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:ms|MB|GB|%|seconds?\b|per second|/s\b)")


def test_the_digest_is_a_package_of_several_modules():
    assert {path.stem for path in MODULES} >= {"recipients", "content", "render", "delivery"}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_no_module_of_the_digest_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_no_function_of_the_digest_defines_functions_inside(path):
    tree = ast.parse(path.read_text())
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    nested = [
        f"{outer.name}.{inner.name}"
        for outer in ast.walk(tree)
        if isinstance(outer, functions)
        for inner in ast.walk(outer)
        if inner is not outer and isinstance(inner, functions)
    ]
    assert nested == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_the_digest_code_states_no_measured_figures(path):
    assert FIGURE.findall(path.read_text()) == []


def test_the_sent_mark_is_written_through_the_orm():
    source = (PACKAGE / "delivery.py").read_text()
    tree = ast.parse(source)
    [mark_sent] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "mark_sent"
    ]
    calls = {
        node.func.attr
        for node in ast.walk(mark_sent)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert "update" in calls
    assert not calls & {"execute", "cursor", "raw"}
