"""Pure modules (statistics, rules, parsers) never import Django, so they stay easy to test."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "sendwise"
PURE = ["core/disclosure.py", "pupils/census_checks.py", "delivery/dose.py"] + [
    str(p.relative_to(ROOT))
    for name in ("stats*.py", "impact/practice*.py", "matching.py", "rules.py", "ctf.py")
    for p in ROOT.rglob(name)
]


@pytest.mark.parametrize("module", sorted(set(PURE)))
def test_pure_module_has_no_django_import(module):
    tree = ast.parse((ROOT / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n == "django" or n.startswith("django.") for n in names), module
