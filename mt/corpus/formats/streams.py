"""The formats that are streams (TSV, Moses, TMX, JSONL): their files opened by path.

Inputs open through :func:`mt.inputs.open_input` (``-``: stdin, ``.gz`` read through) and
outputs through :func:`mt.outputs.output_file` (``-``: stdout; files written beside the
target and renamed in only when the whole corpus is written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from mt.corpus.formats.writer import PairWriter
from mt.corpus.record import Pair
from mt.inputs import open_input
from mt.outputs import OutputFile, StdoutOutput, output_file

StreamReader = Callable[[Any, str], Iterator[Pair]]  # (stream, name) -> pairs


def path_reader(read: StreamReader, binary: bool = False) -> Callable[[str], Iterator[Pair]]:
    """``read`` over the file at a path (``-``: stdin)."""
    def read_path(path: str) -> Iterator[Pair]:
        with open_input(path, binary=binary) as stream:
            yield from read(stream, path)

    return read_path


class FileWriter(PairWriter):
    """A stream writer together with the output files it writes into."""

    def __init__(self, inner: PairWriter, files: list[OutputFile | StdoutOutput]) -> None:
        super().__init__(inner.name)
        self.inner, self.files, self.fmt = inner, files, inner.fmt

    def write(self, pair: Pair) -> None:
        self.inner.write(pair)
        self.count = self.inner.count

    def commit(self) -> None:
        try:
            self.inner.commit()
        except BaseException:
            self.discard()
            raise
        for file in self.files:
            file.commit()

    def discard(self) -> None:
        for file in self.files:
            file.discard()


def open_files(paths: list[str], make: Callable[[list[IO[str]]], PairWriter]) -> FileWriter:
    """The writer ``make`` builds on text streams to ``paths``; all of them or none written."""
    files: list[OutputFile | StdoutOutput] = []
    try:
        for path in paths:
            files.append(output_file(path))
        return FileWriter(make([file.stream for file in files]), files)
    except BaseException:
        for file in files:
            file.discard()
        raise


def path_writer(writer: Callable[[IO[str], str], PairWriter]) -> Callable[[str], PairWriter]:
    """A writer on one text stream (TSV, TMX, JSONL), opened on a path (``-``: stdout)."""
    return lambda path: open_files([path], lambda streams: writer(streams[0], path))
