"""DESIGN.md §2: `core/` and `mailing/` import no domain (domains register with mailing when the app is created)."""

import ast
from pathlib import Path

import clubess

PACKAGE = Path(clubess.__file__).parent
#: what core and mailing may import from clubess
ALLOWED = {"clubess.core", "clubess.mailing", "clubess.extensions"}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found += [(node.lineno, module)]
            if module == "clubess":
                found += [(node.lineno, f"clubess.{alias.name}") for alias in node.names]
    return found


def test_core_and_mailing_import_no_domain():
    offending = []
    for package in ("core", "mailing"):
        for path in sorted((PACKAGE / package).rglob("*.py")):
            for line, module in _imports(path):
                if module.startswith("clubess") and not any(
                    module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED
                ):
                    if module != "clubess":
                        offending.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert offending == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    """Late imports (inside a function, to dodge a cycle) count as imports."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from clubess.press.mail import DeliverySource\n", encoding="utf-8")
    assert (2, "clubess.press.mail") in _imports(sample)
