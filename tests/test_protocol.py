"""eval/PROTOCOL.md enforced: no eval/ or models/ script reads a test set in a tuning path.

The scripts are parsed, not run. A test-set reference is a string naming a file
of ``protocol.TEST_FILES`` (by its stem, ``flores200_devtest``) or starting
``test/``, a ``"test"`` path part (``DATA / "test"``), or the ``.reporting``
half of gold_dev. It may stand only inside a function marked ``@reporting``
(or nested in one), or on the right of a module-level assignment, which makes
the names bound there test names. A test name may be read only inside a
reporting function. A reporting function may be called only from another one
or from ``main`` and module-level code, which run the tuning and then the
reporting. Names imported from another checked module are what they are there.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))

import protocol  # noqa: E402

STEMS = tuple(name.split(".")[0] for name in protocol.TEST_FILES)
SCRIPT_DIRS = ("eval", "models")
# Scripts that report test sets: each must hold at least one reporting path, so that
# the check is known to see their test-set references (see the last tests).
REPORTERS = ("align_cost", "bench_speed", "learning_curve", "model_quality", "number_check",
             "quality_estimate", "sentence_align", "word_alignment", "word_links", "train_gpu")


def _is_reference(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(stem in node.value for stem in STEMS) or node.value.startswith("test/")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return any(isinstance(side, ast.Constant) and side.value == "test"
                   for side in (node.left, node.right))
    return isinstance(node, ast.Attribute) and node.attr == "reporting" \
        and isinstance(node.ctx, ast.Load)


def _is_reporting(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "reporting"
               or isinstance(d, ast.Attribute) and d.attr == "reporting"
               for d in function.decorator_list)


def _children(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes right under ``node``, without docstrings and decorators."""
    for name, value in ast.iter_fields(node):
        if name == "decorator_list":
            continue
        for index, child in enumerate(value if isinstance(value, list) else [value]):
            if name == "body" and index == 0 and isinstance(child, ast.Expr) \
                    and isinstance(child.value, ast.Constant) \
                    and isinstance(child.value.value, str):
                continue  # a docstring
            if isinstance(child, ast.AST):
                yield child


def _nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and everything under it, without docstrings and decorators."""
    yield node
    for child in _children(node):
        yield from _nodes(child)


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at module level (inside if/try/with too), definitions as they are."""
    for statement in body:
        if isinstance(statement, ast.If | ast.Try | ast.With):
            for field in ("body", "orelse", "finalbody"):
                yield from _module_statements(getattr(statement, field, []))
            for handler in getattr(statement, "handlers", []):
                yield from _module_statements(handler.body)
        else:
            yield statement


def _assigned(statement: ast.stmt) -> tuple[list[str], ast.AST | None]:
    if isinstance(statement, ast.Assign):
        return [n.id for t in statement.targets for n in ast.walk(t)
                if isinstance(n, ast.Name)], statement.value
    if isinstance(statement, ast.AnnAssign | ast.AugAssign) and \
            isinstance(statement.target, ast.Name):
        return [statement.target.id], statement.value
    return [], None


def violations(sources: dict[str, str]) -> list[str]:
    """Every test-set reference outside a reporting path in ``sources`` (module name: code)."""
    trees = {name: ast.parse(code) for name, code in sources.items()}
    marked = {name: {node.name for node in ast.walk(tree)
                     if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                     and _is_reporting(node)} for name, tree in trees.items()}
    reporting_functions = {name: marked[name] | {
        a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        and node.module in trees for a in node.names if a.name in marked[node.module]}
        for name, tree in trees.items()}
    test_names: dict[str, set[str]] = {name: set() for name in trees}
    changed = True
    while changed:  # names flow through assignments and imports until nothing new
        changed = False
        for name, tree in trees.items():
            for statement in _module_statements(tree.body):
                found: list[str] = []
                if isinstance(statement, ast.ImportFrom) and statement.module in trees:
                    found = [a.asname or a.name for a in statement.names
                             if a.name in test_names[statement.module]]
                else:
                    targets, value = _assigned(statement)
                    if value is not None and any(
                            _is_reference(n) or isinstance(n, ast.Name)
                            and n.id in test_names[name] for n in _nodes(value)):
                        found = targets
                if set(found) - test_names[name]:
                    test_names[name] |= set(found)
                    changed = True

    problems: list[str] = []

    def check(module: str, node: ast.AST, where: str | None, may_call: bool) -> None:
        """Flag ``node`` and what is under it; ``where`` is the enclosing function."""
        what = None
        if _is_reference(node):
            what = "a test-set reference"
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                and node.id in test_names[module]:
            what = f"test name {node.id}"
        elif isinstance(node, ast.Call) and not may_call:
            func = node.func
            if isinstance(func, ast.Name) and func.id in reporting_functions[module] or \
                    isinstance(func, ast.Attribute) and (
                        func.attr in marked.get(getattr(func.value, "id", ""), ())
                        or func.attr in marked[module]):
                what = f"a call to reporting function {ast.unparse(func)}"
        if what:
            problems.append(f"{module}:{getattr(node, 'lineno', '?')}: {what} in "
                            f"{where or 'module-level code'}, not a reporting path")
        for child in _children(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not _is_reporting(child):
                    check(module, child, child.name, child.name == "main")
            elif isinstance(child, ast.ClassDef):
                check(module, child, child.name, False)
            else:
                check(module, child, where, may_call)

    for module, tree in trees.items():
        for statement in _module_statements(tree.body):
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                if not _is_reporting(statement):
                    check(module, statement, statement.name, statement.name == "main")
            elif isinstance(statement, ast.ClassDef):
                check(module, statement, statement.name, False)
            elif _assigned(statement)[1] is None and not isinstance(
                    statement, ast.Import | ast.ImportFrom):
                check(module, statement, None, True)  # the entry point, like main
    return sorted(set(problems))


def scripts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8")
            for directory in SCRIPT_DIRS for path in sorted((REPO / directory).glob("*.py"))}


def test_no_script_reads_a_test_set_outside_a_reporting_path() -> None:
    assert violations(scripts()) == []


def test_shell_scripts_name_no_test_set() -> None:
    for directory in SCRIPT_DIRS:
        for path in (REPO / directory).glob("*.sh"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                assert not any(stem in code for stem in STEMS) and "/test/" not in code, \
                    f"{path.name}:{number}: a test set in a shell script: {line.strip()}"


def test_the_check_sees_every_reporting_script() -> None:
    """Without their @reporting marks the real scripts fail: the check is not vacuous."""
    sources = scripts()
    assert set(REPORTERS) <= set(sources)
    unmarked = {name: re.sub(r"(?m)^\s*@reporting\b.*\n", "", code)
                for name, code in sources.items()}
    failing = {problem.split(":")[0] for problem in violations(unmarked)}
    assert failing >= set(REPORTERS)


PLANTED_OK = '''
from protocol import reporting

DATA = ROOT / "shared" / "data"
DEV = DATA / "dev" / "pud.ar-en.tsv.gz"
TEST = DATA / "test" / "flores200_devtest.ar-en.tsv.gz"
SETS = {"flores": TEST}


def tune(halves):
    return max(score(DEV), fit(halves.tuning))


@reporting
def report(halves):
    return score(SETS["flores"]), score(halves.reporting), read("test/tatoeba_v2021.tsv")


def main():
    best = tune(read_halves())
    report(read_halves())


if __name__ == "__main__":
    main()
'''


@pytest.mark.parametrize("planted, expected", [
    ("def pick():\n    return score(TEST)\n", "test name TEST in pick"),
    ("def pick():\n    return score(SETS)\n", "test name SETS in pick"),
    ("def pick():\n    return read('../shared/data/test/tatoeba_v2021.ar-en.tsv.gz')\n",
     "a test-set reference in pick"),
    ("def pick(root):\n    return sorted((root / 'test').glob('*'))\n",
     "a test-set reference in pick"),
    ("def pick(halves):\n    return fit(halves.reporting)\n", "a test-set reference in pick"),
    ("def pick(halves):\n    return max(report(halves))\n",
     "a call to reporting function report in pick"),
    ("class Tuner:\n    def pick(self):\n        return score(TEST)\n",
     "test name TEST in pick"),
    ("best = max(score(TEST), 0)\nprint(score(TEST))\n", "test name TEST in module-level code"),
])
def test_planted_violations_are_caught(planted: str, expected: str) -> None:
    assert violations({"planted": PLANTED_OK}) == []
    found = violations({"planted": PLANTED_OK + "\n\n" + planted})
    assert any(expected in problem for problem in found), found


def test_a_test_name_imported_from_another_script_stays_one() -> None:
    other = "from planted import SETS\n\n\ndef pick():\n    return SETS\n"
    found = violations({"planted": PLANTED_OK, "other": other})
    assert found == ["other:5: test name SETS in pick, not a reporting path"]


@pytest.mark.shared
def test_every_shared_test_set_is_declared_and_in_the_protocol() -> None:
    shared = REPO.parent / "shared" / "data" / "test"
    if not shared.is_dir():
        pytest.skip("../shared/data/test is absent")
    assert sorted(p.name for p in shared.iterdir()) == sorted(protocol.TEST_FILES)
    text = (REPO / "eval" / "PROTOCOL.md").read_text(encoding="utf-8")
    assert all(name in text for name in protocol.TEST_FILES)
