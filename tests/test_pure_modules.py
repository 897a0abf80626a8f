"""Pure modules (statistics, rules, matching, parsers) never import Django, so they stay easy to
read and to test on their own.

Every module under sendwise/ is found by walking the package, wherever it lives, so a module that
moves to another app, or a new one, is checked without anyone adding it to a list. A module is
pure unless it has a Django-shaped name (the files every app has: models, views, services and so
on) or is listed below with the reason it needs Django. A pure module must not import Django, a
package built on Django, or the ORM: not directly, and not through any sendwise module it
imports (nor the packages those live in, whose `__init__` runs on import).
"""

import ast
import fnmatch
import importlib.metadata
from functools import cache
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PACKAGE = Path(__file__).resolve().parent.parent / "sendwise"

# The files of a Django app and project, by name (a database router too); also `<topic>_<name>`
# (profile_views.py, access_services.py).
DJANGO_SHAPED = {
    "admin",
    "api",
    "apps",
    "asgi",
    "context_processors",
    "forms",
    "managers",
    "middleware",
    "models",
    "permissions",
    "router",
    "routers",
    "selectors",
    "services",
    "signals",
    "tasks",
    "urls",
    "views",
    "wsgi",
}
DJANGO_SHAPED_PATTERNS = ["settings", "settings_*"]
# Folders whose every module is Django's: migrations, commands, template tags and filters.
DJANGO_FOLDERS = {"migrations", "management", "templatetags"}

# Modules with other names that need Django, each with its reason: fnmatch patterns on the
# dotted name, written "*.name" so that they hold in whichever app the module is. A pattern that
# matches no module that imports Django is stale and fails `test_every_exception_is_still_needed`.
DJANGO_USING = {
    "*.access": "who may see whom: the actor's memberships, and each app's access rows",
    "*.access_check": "compares the access rows with the relationships, in the database",
    "*.codes": "the SEND vocabulary as Django TextChoices, shared by models, forms and filters",
    "*.roles": "the roles as Django TextChoices, stored on memberships",
    "*.decorators": "view decorators: sign-in, then the permission in the actor's school",
    "*.errors": "the 403, 404 and 500 views",
    "*.chart_cache": "keeps drawn charts in Django's cache, shared by every worker",
    "*.stamps": "keeps values in Django's cache under stamps renewed when a transaction commits",
    "*.form_renderer": "Django's form renderer, with the stock drop-down list drawn in Python",
    "*.sign_in_audit": "Django's sign-in signals and the account pages, in the audit log",
    "*.warm_up": "imports the URLconf and compiles the templates before a worker serves",
    "*.reports.pdf": "renders a Django template to PDF: the one road every report takes to paper",
    "*.demo*": "the demo generator (and its package, wherever it lives) writes the demo trust",
    "*.seeding": "checks the catalogue seed files against the catalogue's Django choices",
    "*.recovery": "finds imports that stopped part-way, in the database, to try them again",
    "*.recommend": "reads the pupil's and the school's rows through selectors for the matcher",
    "*.profiles": "the needs profile and one-page profile models (imported by pupils.models)",
    "*.timeline": "reads the record's history (django-simple-history) for the pupil page",
    "*.reports.sar": "writes the subject-access ZIP: the PDF from a Django template, local times",
    "*.reports.sar_kinds": "the kinds of record about a pupil: their models and lookups to the pupil",
    "*.decision_table": "writes the rows of a page's table as HTML: links by reverse, local dates",
    "*.impact_table": "writes the rows of the school's impact table as HTML: links by reverse",
}


def all_modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its name, for its __init__)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def is_django_shaped(name: str) -> bool:
    parts = name.split(".")
    stem = parts[-1]
    return (
        bool(DJANGO_FOLDERS.intersection(parts))
        or stem in DJANGO_SHAPED
        or stem.rsplit("_", 1)[-1] in DJANGO_SHAPED
        or any(fnmatch.fnmatchcase(stem, pattern) for pattern in DJANGO_SHAPED_PATTERNS)
    )


def exception_for(name: str) -> str | None:
    return next((p for p in DJANGO_USING if fnmatch.fnmatchcase(name, p)), None)


@cache
def django_packages() -> frozenset[str]:
    """Top-level import names of Django and of every installed distribution that requires it
    (simple_history, django_htmx, axes, ninja ...), read from the packages' metadata."""
    on_django = {"django"}
    for dist in importlib.metadata.distributions():
        for text in dist.requires or []:
            requirement = Requirement(text)
            needed = requirement.marker is None or requirement.marker.evaluate({"extra": ""})
            if requirement.name.lower() == "django" and needed:
                on_django.add(dist.metadata["Name"].lower())
    names = {"django"}
    for top, dists in importlib.metadata.packages_distributions().items():
        if any(d.lower() in on_django for d in dists):
            names.add(top)
    return frozenset(names)


def imports_of(name: str, path: Path) -> set[str]:
    """The dotted names a module imports, relative imports resolved, at any depth in the file
    (an import inside a function or under TYPE_CHECKING counts too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def run_on_import(dotted: str, modules: dict[str, Path]) -> list[str]:
    """The sendwise modules that importing `dotted` runs: each package on the way (its
    __init__), then the module itself (a name that is not a module, an attribute, adds none)."""
    parts = dotted.split(".")
    prefixes = (".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return [prefix for prefix in prefixes if prefix in modules]


def django_chain(name: str, modules: dict[str, Path]) -> list[str] | None:
    """The shortest import chain from `name` to Django (a.b → a → django.db), or None."""
    seen = {name}
    queue = [[name]]
    while queue:
        chain = queue.pop(0)
        current = chain[-1]
        runs = [p for p in run_on_import(current, modules) if p != current]
        for imported in sorted(imports_of(current, modules[current])):
            if imported.split(".")[0] in django_packages():
                return [*chain, imported]
            runs += run_on_import(imported, modules)
        for module in runs:
            if module not in seen:
                seen.add(module)
                queue.append([*chain, module])
    return None


MODULES = all_modules()
PURE = sorted(n for n in MODULES if not is_django_shaped(n) and exception_for(n) is None)


@pytest.mark.parametrize("module", PURE)
def test_pure_module_has_no_django_import(module):
    chain = django_chain(module, MODULES)
    assert chain is None, (
        f"{module} imports Django: {' → '.join(chain)}. Keep the rule pure (pass it plain data), "
        "or, if the module's job is Django's, give it a Django-shaped name or list it in "
        "DJANGO_USING with the reason."
    )


def test_the_pure_modules_are_found_wherever_they_live():
    """Guards the discovery itself: these modules are checked in whichever app they are."""
    stems = {name.rsplit(".", 1)[-1] for name in PURE}
    for stem in ("stats", "pooling", "matching", "matching_types", "matching_weights", "skills",
                 "timetable", "ctf", "mis_csv", "census_checks", "disclosure"):  # fmt: skip
        assert stem in stems, f"no pure module named {stem}.py was found under sendwise/"


def test_every_exception_is_still_needed():
    for pattern, reason in DJANGO_USING.items():
        listed = [n for n in MODULES if exception_for(n) == pattern and not is_django_shaped(n)]
        assert any(django_chain(n, MODULES) for n in listed), (
            f"DJANGO_USING[{pattern!r}] ({reason}) matches no module that imports Django: "
            "remove it, so the module is checked as pure."
        )


def test_django_is_found_through_other_modules_and_package_inits(tmp_path):
    files = {
        "sendwise/__init__.py": "",
        "sendwise/app/__init__.py": "",
        "sendwise/app/rule.py": "from . import helper\n",
        "sendwise/app/helper.py": "def chart():\n    from simple_history.models import HistoricalRecords\n",
        "sendwise/other/__init__.py": "from django.db import models\n",
        "sendwise/other/pure.py": "import math\n",
        "sendwise/third/__init__.py": "",
        "sendwise/third/uses.py": "from sendwise.other.pure import x\n",
        "sendwise/third/clean.py": "from ..app import __name__ as n\nimport numpy\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    modules = all_modules(tmp_path / "sendwise")
    assert django_chain("sendwise.app.rule", modules) == [
        "sendwise.app.rule",
        "sendwise.app.helper",
        "simple_history.models",
    ]
    assert django_chain("sendwise.other.pure", modules) == [
        "sendwise.other.pure",
        "sendwise.other",
        "django.db",
    ]
    assert django_chain("sendwise.third.uses", modules)[-2:] == ["sendwise.other", "django.db"]
    assert django_chain("sendwise.third.clean", modules) is None
