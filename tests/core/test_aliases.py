"""An alias of a table is built once per process (clubess.core.db.alias), never inside a function: SQLAlchemy
adapts a new alias's columns the first time a statement compares them, a millisecond and more each, so an alias
made per call cost every territory page about 15 ms (issue 17's bench)."""

import ast
from pathlib import Path

import clubess

PACKAGE = Path(clubess.__file__).parent


def _aliased_calls_in_functions(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                    if name == "aliased":
                        found.append(node.lineno)
    return found


def test_no_function_builds_an_alias_of_its_own():
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "db.py" or path.parent.name != "core"
        for line in _aliased_calls_in_functions(path)
    ]
    assert offending == []


def test_the_check_sees_an_alias_made_in_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlalchemy as sa\ndef f():\n    x = sa.orm.aliased(Territory)\n", encoding="utf-8")
    assert _aliased_calls_in_functions(sample) == [3]


def test_the_same_alias_is_given_back():
    from clubess.core.db import alias
    from clubess.members.models import Territory

    assert alias(Territory, "t") is alias(Territory, "t") and alias(Territory, "t") is not alias(Territory, "u")
