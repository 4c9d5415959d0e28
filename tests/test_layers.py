"""Imports point down: every module of ``mt`` against a declared order of layers.

A module may import its own layer or one below; a package's ``__init__`` is
above its modules (they must not import it). A new module must be given a
layer here, which is where its place in the house is decided.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mt"

# Lowest first. A name stands for the module and, for a package, everything in it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("facts", ("mt._version", "mt.errors", "mt.limits", "mt.paths", "mt.quiet",
               "mt.encoder", "mt.translate.options", "mt.translate.marian_start",
               "mt.documents.encodings", "mt.serve.worker", "mt.corpus.formats.schema")),
    ("vocabulary and files", ("mt.types", "mt.arabic", "mt.translit", "mt.device", "mt.hub",
                              "mt.inputs", "mt.outputs")),
    ("text analysis and models", ("mt.segment", "mt.quotes", "mt.dates", "mt.numbers", "mt.protect",
                                  "mt.glossary", "mt.facts", "mt.entities",
                                  "mt.models")),
    ("tracing", ("mt.trace", "mt.check", "mt.report")),
    ("documents", ("mt.documents",)),
    ("alignment", ("mt.align",)),
    ("translation", ("mt.translate",)),
    ("workflows", ("mt.corpus", "mt.evaluate", "mt.quality", "mt.train")),
    ("faces", ("mt.serve", "mt.commands")),
    ("entry points", ("mt.cli", "mt.__main__", "mt")),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(name: str) -> bool:
    base = PACKAGE.parent / name.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """The ``mt`` modules ``path`` imports anywhere (functions and TYPE_CHECKING included)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:  # ``from mt import hub`` imports the module mt.hub
                found.add(f"{base}.{alias.name}" if _exists(f"{base}.{alias.name}") else base)
    return {name for name in found if name == "mt" or name.startswith("mt.")}


def _layer(module: str) -> int:
    """The layer of the longest declared name that ``module`` is or lies in."""
    best = (-1, -1)
    for number, (_, names) in enumerate(LAYERS):
        for name in names:
            if module == name or (name != "mt" and module.startswith(name + ".")):
                best = max(best, (len(name), number))
    if best[1] < 0:
        raise AssertionError(f"{module} is in no layer: give it one in tests/test_layers.py")
    return best[1]


def _upward(module: str, imports: set[str]) -> list[str]:
    """The imports of ``module`` that point up, each with why."""
    upward = []
    for imported in sorted(imports):
        if module.startswith(imported + ".") or imported == "mt" != module:
            upward.append(f"{imported} (its own package: a package is above its modules)")
        elif _layer(imported) > _layer(module):
            upward.append(f"{imported} ({LAYERS[_layer(imported)][0]}, above "
                          f"{LAYERS[_layer(module)][0]})")
    return upward


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_imports_point_down(path: Path) -> None:
    module = _module_name(path)
    upward = _upward(module, _imports(path))
    assert not upward, f"{module} imports upward: " + "; ".join(upward)


@pytest.mark.parametrize(("module", "imported", "up"), [
    ("mt.types", "mt", True),  # the version from the package root (now mt._version)
    ("mt.translate.backend", "mt.translate", True),  # BEAM_SIZE from its own package
    ("mt.trace", "mt.translate.translator", True),
    ("mt.entities", "mt.models", False),
    ("mt.translate.translator", "mt.trace", False),
    ("mt.train", "mt.translate.options", False),
    ("mt.serve.app", "mt.commands.common", False),
])
def test_the_check_tells_up_from_down(module: str, imported: str, up: bool) -> None:
    assert bool(_upward(module, {imported})) == up


def test_every_import_form_is_seen(tmp_path: Path) -> None:
    sample = PACKAGE / "types.py"
    assert {"mt._version", "mt.errors"} <= _imports(sample)
    assert "mt.hub" in _imports(PACKAGE / "models.py")  # ``from mt import hub``, in a function
