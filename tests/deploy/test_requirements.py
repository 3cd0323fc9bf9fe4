"""What the platform imports is what a fresh install gets: every third-party module imported under clubess/
(at the top of a module or inside a function) comes from a distribution pinned in requirements.txt, or one
they install (Flask brings click, Jinja2, MarkupSafe, itsdangerous)."""

import ast
import re
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules() -> dict[str, str]:
    """Top-level module name → the first file importing it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "clubess").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pinned() -> set[str]:
    pinned = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            pinned.add(_normalise(re.split(r"[\[=<>!~ ;]", line, maxsplit=1)[0]))
    return pinned


def _installed_with(pinned: set[str]) -> set[str]:
    """The pinned distributions and everything they require (extras aside), as a fresh install gets them."""
    seen, todo = set(), list(pinned)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for need in needs:
            if "extra ==" not in need:
                todo.append(_normalise(re.split(r"[\[=<>!~ ;(]", need, maxsplit=1)[0]))
    return seen


def test_every_third_party_module_the_platform_imports_is_pinned_in_requirements():
    distributions = packages_distributions()
    pinned = _pinned()
    installed = _installed_with(pinned)
    local = {p.stem for p in ROOT.glob("*.py")}  # config.py, wsgi.py
    missing = []
    for module, where in _imported_modules().items():
        if module in sys.stdlib_module_names or module == "clubess" or module in local:
            continue
        names = {_normalise(d) for d in distributions.get(module, [module])}
        if not names & installed:
            missing.append(f"{module} ({where})")
    assert not missing, "imported but not in requirements.txt: " + ", ".join(missing)
