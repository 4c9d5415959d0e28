"""Writing outputs safely: never over an input, never a partial file left looking complete.

Every file `mt` writes goes to a hidden temporary file beside its target,
is flushed to disk, and is renamed into place only when the run succeeds; a
failure or Ctrl-C removes the temporary file and leaves the old target as it
was. Targets that cannot be renamed over (``/dev/null``, a named pipe) are
written directly. ``refuse_clobber`` is called before anything is read.

A temporary file (or folder) is locked (``flock``) by the run writing it; the lock
dies with the run, so one a SIGKILL left behind is unlocked, and the next run
writing the same target removes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import io
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from mt.errors import InputError

PathLike = str | Path
_Self = TypeVar("_Self", bound="Staged")


def cannot_write(name: str, exc: OSError) -> InputError:
    """The one message for an output the system refuses to take (a full disk, a size limit)."""
    reason = os.strerror(exc.errno) if exc.errno else exc.strerror or exc
    return InputError(f"{name}: cannot write ({reason}); free some space or "
                      "choose another place with -o")


class _GuardedFile(io.FileIO):
    """A raw file whose write errors (a full disk) become one InputError naming the target."""

    def __init__(self, path: str, mode: str, shown: str) -> None:
        super().__init__(path, mode)
        self.shown = shown

    def write(self, data: Any) -> int:  # type: ignore[override]
        try:
            return super().write(data)  # type: ignore[return-value]
        except OSError as exc:
            raise cannot_write(self.shown, exc) from None


def _mode(path: Path, default: int) -> int:
    """The permissions the output should get: the old file's, else what open() would give."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return default & ~umask


def _is_special(path: Path) -> bool:
    """An existing target that is not a regular file (a device, a pipe): written in place."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


PART = ".part"  # a staged output is hidden beside its target: .NAME.XXXXXXXX.part
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile puts in a name


def _part_prefix(target: Path) -> str:
    return f".{target.name}."


def _held(fd: int, path: Path) -> bool:
    """Lock ``path``'s descriptor ``fd`` for this run; False when ``path`` was removed (as
    abandoned) before the lock was taken, so the caller makes another."""
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        return os.path.samestat(os.fstat(fd), os.lstat(path))
    except FileNotFoundError:
        return False


def _remove_if_abandoned(part: Path) -> None:
    """Remove a staged file or folder no live run holds (its writer was killed)."""
    try:
        fd = os.open(part, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:  # gone, a link, or not ours to open
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            shutil.rmtree(part, ignore_errors=True)
        else:
            part.unlink(missing_ok=True)
    except OSError:  # locked: a live run is writing it
        pass
    finally:
        os.close(fd)


def _remove_abandoned_parts(target: Path) -> None:
    """Remove what killed runs left while writing ``target``: their unlocked ``.part`` files
    and folders, and a replaced folder's ``.part.old`` once ``target`` is in place."""
    staged = re.compile(re.escape(_part_prefix(target)) + _RANDOM + re.escape(PART))
    old = re.compile(staged.pattern + re.escape(".old"))
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if staged.fullmatch(entry.name) or (old.fullmatch(entry.name) and target.exists()):
            _remove_if_abandoned(entry)


class Staged:
    """An output kept whole or not at all: ``commit`` puts it in place, ``discard`` drops it.

    A context manager: commits when the block ends normally, discards on any exception.
    """

    def commit(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is not None:
            self.discard()
            return
        try:
            self.commit()
        except BaseException:  # a commit that fails part way leaves no .part behind
            self.discard()
            raise


class OutputFile(Staged):
    """One output being written: ``stream`` now, ``commit`` renames it in, ``discard`` drops it."""

    def __init__(self, path: PathLike, binary: bool = False) -> None:
        self.path = Path(path)
        name = str(path)
        if self.path.is_dir():
            raise InputError(f"{name}: is a directory; give a file name to write")
        _refuse_file_parent(self.path)
        self._direct = _is_special(self.path)
        try:
            if self._direct:
                self._temp = None
                raw = _GuardedFile(name, "w", name)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _remove_abandoned_parts(self.path)
                self._temp, raw = self._new_part()
        except OSError as exc:
            raise InputError(f"{name}: cannot write ({exc.strerror}); check the directory") \
                from None
        self._raw = raw
        self._buffered = io.BufferedWriter(raw)
        self._gzip = gzip.GzipFile(fileobj=self._buffered, mode="wb", filename="", mtime=0) \
            if name.endswith(".gz") else None
        binary_stream: IO[bytes] = self._gzip or self._buffered  # type: ignore[assignment]
        self._text = None if binary else io.TextIOWrapper(binary_stream, encoding="utf-8",
                                                          newline="\n")
        self.stream: IO[Any] = self._text or binary_stream
        self.done = False

    def _new_part(self) -> tuple[Path, _GuardedFile]:
        """A hidden file beside the target, open for writing and locked by this run."""
        for _ in range(3):
            fd, temp = tempfile.mkstemp(prefix=_part_prefix(self.path), suffix=PART,
                                        dir=self.path.parent)
            os.close(fd)
            os.chmod(temp, _mode(self.path, 0o666))
            raw = _GuardedFile(temp, "w", str(self.path))
            if _held(raw.fileno(), Path(temp)):
                return Path(temp), raw
            raw.close()
        raise OSError(0, "another run keeps removing its temporary file")

    def commit(self) -> None:
        """Flush, fsync and rename into place; the target now holds the whole output."""
        if self.done:
            return
        self.done = True
        try:
            if self._gzip is not None:  # closing it writes the gzip trailer
                (self._text or self._gzip).close()
            elif self._text is not None:
                self._text.flush()
            self._buffered.flush()
            if self._temp is not None:  # renamed while still locked: no run takes it
                os.fsync(self._raw.fileno())
                os.replace(self._temp, self.path)
                self._temp = None
            self._buffered.close()
        except OSError as exc:
            self._drop()
            raise cannot_write(str(self.path), exc) from None
        except BaseException:
            self._drop()
            raise

    def discard(self) -> None:
        """Drop what was written; the target keeps its old content (or stays absent)."""
        if self.done:
            return
        self.done = True
        self._drop()

    def _drop(self) -> None:
        if self._gzip is not None:
            self._gzip.fileobj = None  # type: ignore[assignment]  # no trailer on a dropped file
        with contextlib.suppress(Exception):
            self._raw.close()  # the layers above see a closed file and write nothing more
        if self._temp is not None:
            self._temp.unlink(missing_ok=True)


@contextlib.contextmanager
def open_output(path: PathLike, binary: bool = False) -> Iterator[IO[Any]]:
    """A stream for ``path`` (``-``: stdout), committed when the block ends without error."""
    if str(path) == "-":
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    with OutputFile(path, binary) as output:
        yield output.stream


class StagedDirectory(Staged):
    """A folder being written: ``path``, an empty one beside ``target`` to write into;
    ``commit`` puts it in place of ``target`` (the old one removed after), ``discard`` drops it.

    ``earlier`` tells an earlier output of the same kind, which ``target`` may replace; a
    folder of anything else is refused (see :func:`refuse_non_folder`).
    """

    def __init__(self, target: PathLike, earlier: Callable[[Path], bool]) -> None:
        self.target = Path(target)
        refuse_non_folder(self.target, earlier)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            _remove_abandoned_parts(self.target)
            self.path, self._lock = self._new_part()
        except OSError as exc:
            raise InputError(f"{target}: cannot write ({exc.strerror}); check the directory") \
                from None

    def _new_part(self) -> tuple[Path, int]:
        """A hidden empty folder beside the target and a descriptor locking it for this run."""
        for _ in range(3):
            path = Path(tempfile.mkdtemp(prefix=_part_prefix(self.target), suffix=PART,
                                         dir=self.target.parent))
            os.chmod(path, _mode(self.target, 0o777))
            lock = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
            if _held(lock, path):
                return path, lock
            os.close(lock)
        raise OSError(0, "another run keeps removing its temporary folder")

    def commit(self) -> None:
        try:
            replace_directory(self.path, self.target)
        finally:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1


def refuse_non_folder(target: Path, earlier: Callable[[Path], bool] | None = None) -> None:
    """A folder output must not land on a file, nor under one; with ``earlier`` (the output
    replaces the folder whole), nor on a folder that holds something other than an earlier
    output of its kind: ``-o ~/Documents`` must not remove the documents."""
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder; give a folder name")
    if earlier is not None and target.is_dir() and any(target.iterdir()) \
            and not earlier(target):
        raise InputError(f"{target}: a folder with other files in it; writing would replace "
                         "it whole, so give a new or empty folder")
    _refuse_file_parent(target)


def _refuse_file_parent(target: Path) -> None:
    """An output cannot go under a regular file (mkdir would say "File exists")."""
    parent = next((p for p in target.absolute().parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise InputError(f"{target}: {parent} is a file, not a folder; give an output under "
                         "a folder")


def replace_directory(staging: Path, target: Path) -> None:
    """Put the finished folder ``staging`` where ``target`` is, the old one removed after."""
    try:
        old = None
        if target.exists():
            old = staging.with_name(f"{staging.name}.old")
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise cannot_write(str(target), exc) from None


def _identity(path: Path) -> Path:
    """A comparable form of a path that may not exist yet."""
    return Path(os.path.abspath(path))


def refuse_clobber(inputs: Iterable[PathLike | None], outputs: Iterable[PathLike | None]) -> None:
    """Refuse an output that is an input, or a folder holding one, or that comes twice.

    Called before anything is read or written; ``-`` and None are skipped.
    """
    sources = [Path(p) for p in inputs if p is not None and str(p) != "-"]
    seen: set[Path] = set()
    for given in outputs:
        if given is None or str(given) == "-":
            continue
        if not str(given).strip():
            raise InputError("--output/-o '': an empty name; give a file name, or - for stdout")
        output = Path(given)
        key = _identity(output)
        if key in seen:
            raise InputError(f"{given}: given for two outputs; give each its own path")
        seen.add(key)
        if _is_special(output):
            continue
        for source in sources:
            if not source.exists():
                continue
            same = output.exists() and os.path.samefile(output, source)
            inside = output.is_dir() and key in _identity(source).parents  # replaced whole
            if same:
                raise InputError(f"{given}: is also the input {source}; writing it would "
                                 "destroy the input, so give another output path")
            if inside:
                raise InputError(f"{given}: a folder holding the input {source}; give a file "
                                 "name (or a folder) elsewhere")


class StdoutOutput(Staged):
    """Stdout with the interface of :class:`OutputFile`: nothing to rename, only flushed."""

    def __init__(self, binary: bool = False) -> None:
        self.path = Path("-")
        self.stream: IO[Any] = sys.stdout.buffer if binary else io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=True)

    def commit(self) -> None:
        self.stream.flush()
        if isinstance(self.stream, io.TextIOWrapper):
            self.stream.detach()  # stdout itself stays open

    discard = commit  # what is on stdout cannot be taken back


def output_file(path: PathLike, binary: bool = False) -> OutputFile | StdoutOutput:
    """An :class:`OutputFile` for ``path``, or stdout for ``-``."""
    return StdoutOutput(binary) if str(path) == "-" else OutputFile(path, binary)
