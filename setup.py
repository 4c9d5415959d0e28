"""Build hook: the wheel carries ``models/`` as ``mt/bundled`` (all metadata is in pyproject.toml).

The top level keeps ``models/`` (the embedded model, the word aligner's tables,
the names table, and the scripts that made them); an installed ``mt`` finds
the copy inside the package (``mt.models.models_dir``). Everything in
``models/`` travels except build scripts and hidden files, so a new model of
the same layout needs no change here.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODELS = Path(__file__).resolve().parent / "models"
BUILD_SCRIPTS = (".py", ".sh")


def bundled_files() -> list[Path]:
    """The files of ``models/`` an installed ``mt`` needs, relative to ``models/``."""
    return sorted(
        path.relative_to(MODELS) for path in MODELS.rglob("*")
        if path.is_file() and path.suffix not in BUILD_SCRIPTS
        and not any(part.startswith(".") for part in path.relative_to(MODELS).parts)
    )


class BuildPyWithModels(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads models/ in place
            return
        target = Path(self.build_lib) / "mt" / "bundled"
        for relative in bundled_files():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(MODELS / relative), str(target / relative))


setup(cmdclass={"build_py": BuildPyWithModels})
