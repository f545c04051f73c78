"""No other app imports seed/: dependencies run one way, seed → reports → tasks → programmes → coop.

Every .py file of coop/, programmes/, tasks/ and reports/ (migrations included) is parsed with `ast`
and its imports read, so a comment or a string that merely names the seed app does not count, and an
import inside a function does.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

OTHER_APPS = ("coop", "programmes", "tasks", "reports")
# Today each app has 20 to 46 files and 3 to 6 migrations; far fewer means the scan missed them.
AT_LEAST_FILES_PER_APP = 10
AT_LEAST_FILES = 80


def is_seed(module: str | None) -> bool:
    return module is not None and (module == "seed" or module.startswith("seed."))


def seed_imports(source: str, filename: str = "<source>") -> list[str]:
    """The imports of the seed app in a module's source, as `line: statement`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if is_seed(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            # A relative import (level > 0) names a module of the importing app, never the top-level seed.
            names = [node.module] if node.level == 0 and is_seed(node.module) else []
        elif isinstance(node, ast.Call):
            # importlib.import_module("seed.demo") and __import__("seed") import it as much as a statement does.
            function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            first = node.args[0] if node.args else None
            names = (
                [first.value]
                if function in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and is_seed(first.value)
                else []
            )
        else:
            continue
        found += [f"{node.lineno}: {name}" for name in names]
    return found


def python_files(app: str) -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import seed", ["1: seed"]),
        ("import os, seed.demo as demo", ["1: seed.demo"]),
        ("from seed.demo_data import DEMO_PASSWORD", ["1: seed.demo_data"]),
        ("from seed import synthetic", ["1: seed"]),
        ("def f():\n    from seed.synthetic import SCALES", ["2: seed.synthetic"]),
        ("import importlib\nimportlib.import_module('seed.demo')", ["2: seed.demo"]),
        ("__import__('seed')", ["1: seed"]),
        ("from .seed import x", []),
        ("import seedling\nfrom seeds import x", []),
        ("# from seed import demo\nNOTE = 'seed.demo writes them'", []),
        ("parser.add_argument('--seed', type=int)", []),
    ],
)
def test_the_scan_recognises_an_import_of_seed_and_nothing_else(source, expected):
    assert seed_imports(source) == expected


def test_no_other_app_imports_seed():
    scanned = {app: python_files(app) for app in OTHER_APPS}
    offending = {
        str(path.relative_to(settings.BASE_DIR)): imports
        for paths in scanned.values()
        for path in paths
        if (imports := seed_imports(path.read_text(encoding="utf-8"), filename=str(path)))
    }
    assert offending == {}, "only seed/ and tests/ may import seed"
    # The scan read the apps, models, views and migrations it was meant to read.
    assert {app: len(paths) >= AT_LEAST_FILES_PER_APP for app, paths in scanned.items()} == dict.fromkeys(
        OTHER_APPS, True
    )
    assert sum(len(paths) for paths in scanned.values()) >= AT_LEAST_FILES
    for app, paths in scanned.items():
        names = {path.relative_to(Path(settings.BASE_DIR) / app).as_posix() for path in paths}
        assert {"__init__.py", "apps.py", "models.py", "migrations/0001_initial.py"} <= names, app


def test_seed_is_an_installed_app_of_its_own():
    """What the scan protects: the demo and synthetic modules live in seed/, and none is left in tasks/."""
    assert "seed" in settings.INSTALLED_APPS
    assert settings.INSTALLED_APPS.index("seed") > settings.INSTALLED_APPS.index("reports")
    seed = Path(settings.BASE_DIR) / "seed"
    for module in ("demo", "demo_data", "synthetic", "synthetic_data", "synthetic_programmes"):
        assert (seed / f"{module}.py").is_file()
        assert not (Path(settings.BASE_DIR) / "tasks" / f"{module}.py").exists()
    commands = get_commands()
    assert (commands["load_demo"], commands["generate_synthetic"], commands["refresh_funding_sums"]) == (
        "seed",
        "seed",
        "tasks",
    )
