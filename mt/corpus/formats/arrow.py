"""The Arrow formats: Parquet (a file, or a folder of them) and a ``datasets`` folder (hf).

Both hold every field of a pair in the declared schema (:func:`features`) and are read
and written a batch of rows at a time.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from mt.corpus.formats.schema import features
from mt.corpus.formats.writer import PairWriter
from mt.corpus.record import Pair
from mt.errors import InputError
from mt.outputs import OutputFile, StagedDirectory, cannot_write

BATCH_ROWS = 4096


def is_dataset_folder(path: Path) -> bool:
    """A folder ``save_to_disk`` wrote."""
    return path.is_dir() and ((path / "dataset_info.json").is_file()
                              or (path / "state.json").is_file())


def is_parquet_folder(path: Path) -> bool:
    """A folder of Parquet files (as Ray writes them) that is not a ``datasets`` folder."""
    return path.is_dir() and not is_dataset_folder(path) and any(path.glob("*.parquet"))


def _iter_rows(tables: Iterable[Any]) -> Iterator[Pair]:
    for table in tables:
        for row in table.to_pylist():
            yield Pair.from_row(row)


def read_parquet(path: str) -> Iterator[Pair]:
    """A Parquet file, or every ``*.parquet`` in a folder in name order (as Ray writes them)."""
    import pyarrow.parquet as pq

    target = Path(path)
    files = sorted(target.glob("*.parquet")) if target.is_dir() else [target]
    if not files or not all(f.is_file() for f in files):
        raise InputError(f"{path}: no Parquet file there; check the path")
    import pyarrow as pa

    for file in files:
        try:
            batches = pq.ParquetFile(file).iter_batches(batch_size=BATCH_ROWS)
            yield from _iter_rows(batches)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{file}: not a readable Parquet file ({exc}); write it again, "
                             "or give --from with its real format") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{file}: not a corpus table ({exc}); it needs a "
                             "'translation' column with 'ar' and 'en'") from None


def read_hf(path: str) -> Iterator[Pair]:
    """A ``datasets`` folder written by ``save_to_disk`` (one split), memory-mapped."""
    from datasets import Dataset, load_from_disk

    try:
        dataset = load_from_disk(path)
    except FileNotFoundError:
        raise InputError(f"{path}: not a datasets folder; check the path") from None
    if not isinstance(dataset, Dataset):
        raise InputError(f"{path}: holds several splits ({', '.join(dataset)}); give one, "
                         f"e.g. {path}/{next(iter(dataset))}")
    try:
        yield from _iter_rows(dataset.with_format("arrow").iter(batch_size=BATCH_ROWS))
    except (KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a corpus dataset (missing {exc}); it needs a "
                         "'translation' column with 'ar' and 'en'") from None


class _ArrowRowsWriter(PairWriter):
    """Pairs gathered into Arrow tables of the declared schema, ``batch`` rows at a time."""

    batch = BATCH_ROWS
    schema: Any  # the Arrow schema, set before _start

    def _start(self, writer: Any) -> None:
        import pyarrow as pa

        self._pa = pa
        self.writer = writer
        self.rows: list[dict[str, Any]] = []

    def _write(self, pair: Pair) -> None:
        self.rows.append(pair.to_row())
        if len(self.rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            try:
                table = self._pa.Table.from_pylist(self.rows, schema=self.schema)
                self.writer.write_table(table)
            except OSError as exc:  # Arrow's own file refused the bytes (a full disk)
                raise cannot_write(self.name, exc) from None
            except self._pa.ArrowException as exc:  # a text over Arrow's 2 GiB a batch
                raise InputError(f"{self.name}: cannot write these rows as Arrow ({exc}); "
                                 "split the longest texts or write --to jsonl") from None
            self.rows = []


class ParquetWriter(_ArrowRowsWriter):
    """Row groups of the declared schema (its Features in the file's metadata)."""

    fmt = "parquet"
    batch = BATCH_ROWS * 4  # larger row groups read faster

    def __init__(self, where: str | IO[bytes], name: str = "<parquet>") -> None:
        """``where``: a path (written safely, see mt.outputs) or an open binary stream."""
        super().__init__(where if isinstance(where, str) else name)
        import pyarrow.parquet as pq

        self.schema = features().arrow_schema
        self._file = OutputFile(where, binary=True) if isinstance(where, str) else None
        self._start(pq.ParquetWriter(where if self._file is None else self._file.stream,
                                     self.schema))

    def commit(self) -> None:
        self._flush()
        self.writer.close()
        if self._file is not None:
            self._file.commit()

    def discard(self) -> None:
        with suppress(Exception):
            self.writer.close()
        if self._file is not None:
            self._file.discard()


class HfWriter(_ArrowRowsWriter):
    """A ``datasets`` folder: rows streamed into an Arrow file, then ``save_to_disk``."""

    fmt = "hf"

    def __init__(self, path: str) -> None:
        super().__init__(path)
        import pyarrow as pa

        self._folder = StagedDirectory(path, is_dataset_folder)
        # The rows' scratch file lies below the staged folder, not in it: datasets refuses
        # to save a dataset into the folder its own file is in.
        scratch = self._folder.path / ".rows"
        self._arrow = scratch / "pairs.arrow"
        self.schema = features().arrow_schema
        try:
            scratch.mkdir()
            self._sink = pa.OSFile(str(self._arrow), "wb")
            self._start(pa.ipc.new_stream(self._sink, self.schema))
        except OSError as exc:
            self._folder.discard()
            raise cannot_write(path, exc) from None

    def commit(self) -> None:
        self._flush()
        try:
            self.writer.close()
            self._sink.close()
            self._save()
        except OSError as exc:  # the rows' footer or the dataset's files (a full disk)
            self._folder.discard()
            raise cannot_write(self.name, exc) from None
        except BaseException:
            self._folder.discard()
            raise
        self._folder.commit()

    def _save(self) -> None:
        """The staged folder made a ``datasets`` folder of the streamed rows."""
        from datasets import Dataset

        with _quiet_datasets():
            Dataset.from_file(str(self._arrow)).save_to_disk(str(self._folder.path))
        shutil.rmtree(self._arrow.parent)

    def discard(self) -> None:
        with suppress(Exception):
            self.writer.close()
            self._sink.close()
        self._folder.discard()


@contextmanager
def _quiet_datasets() -> Iterator[None]:
    """``save_to_disk`` draws its own progress bar; the library must not print."""
    from datasets.utils import logging as ds_logging

    was_enabled = ds_logging.is_progress_bar_enabled()
    ds_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            ds_logging.enable_progress_bar()
