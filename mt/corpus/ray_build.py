"""``mt corpus build --engine ray``: the same build, spread over a Ray cluster.

``ray.data`` reads the document files, ``map_batches`` sends them to a pool
of translator actors that each load the model once, and the pairs are written
as Parquet files (the declared schema) into one output folder, in input
order, staged beside it and put in its place whole (see mt.outputs). With no
address Ray starts locally; ``--address`` joins a cluster, whose nodes need
``mt`` installed, the model at the same path, and the input and output paths
on storage they all see.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mt.corpus.build import translated_pairs
from mt.errors import InputError, MissingExtraError, MtError
from mt.outputs import StagedDirectory
from mt.translate import BEAM_SIZE


class TranslatorActor:
    """A Ray actor: loads the translator once, turns batches of files into batches of pairs."""

    def __init__(self, model: str, beam: int, doc_ids: dict[str, str]) -> None:
        from mt.corpus.formats import features
        from mt.quality import estimator_for
        from mt.translate import load_translator

        self.translator = load_translator(model, beam_size=beam, threads=1)
        self.estimator = estimator_for(self.translator)
        self.doc_ids = doc_ids
        self.schema = features().arrow_schema

    def __call__(self, batch: dict[str, Any]) -> Any:
        import pyarrow as pa

        rows: list[dict[str, Any]] = []
        for path, data in zip(batch["path"], batch["bytes"], strict=True):
            doc_id = self.doc_ids.get(os.path.abspath(str(path)), str(path))
            try:
                text = bytes(data).decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError:
                raise InputError(f"{doc_id}: not valid UTF-8; convert it to UTF-8") from None
            rows.extend(pair.to_row() for pair in translated_pairs(
                self.translator, self.estimator, (doc_id, text)))
        return pa.Table.from_pylist(rows, schema=self.schema)


def build_on_ray(files: list[str], output: str, model: str | None = None, actors: int = 2,
                 beam: int = BEAM_SIZE, address: str | None = None, docs_per_batch: int = 1,
                 show_progress: bool = False) -> int:
    """Translate ``files`` on Ray into Parquet files under ``output``; the number of pairs."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise MissingExtraError("ray", "ray") from None
    from mt.models import resolve_model

    if actors < 1:
        raise InputError("--actors must be at least 1")
    model_path = resolve_model(model).load_id  # fails here, not in every actor
    paths = [os.path.abspath(f) for f in files]
    missing = [f for f, p in zip(files, paths, strict=True) if not os.path.isfile(p)]
    if missing:
        raise InputError(f"{missing[0]}: no such file; check the path")
    _check_texts(paths, files)
    started = not ray.is_initialized()
    if started:
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    try:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = show_progress
        # Reading and writing are I/O: asking no CPU for them leaves every CPU to the
        # translators (an actor pool holding all CPUs would otherwise starve the reads).
        dataset = ray.data.read_binary_files(paths, include_paths=True, num_cpus=0).map_batches(
            TranslatorActor, batch_size=docs_per_batch, num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=actors),
            fn_constructor_kwargs={"model": model_path, "beam": beam,
                                   "doc_ids": dict(zip(paths, files, strict=True))})
        with StagedDirectory(output, _parquet_only) as staged:  # the old stays till the end
            dataset.write_parquet(str(staged.path), ray_remote_args={"num_cpus": 0})
    except ray.exceptions.RayTaskError as exc:
        cause = getattr(exc, "cause", None)
        if isinstance(cause, MtError):
            raise cause from None
        raise
    finally:
        if started:
            ray.shutdown()
    return _count_rows(output)


def _parquet_only(folder: Path) -> bool:
    """An earlier build's folder: Parquet files and nothing else."""
    return all(entry.suffix == ".parquet" and entry.is_file() for entry in folder.iterdir())


def _check_texts(paths: list[str], names: list[str]) -> None:
    """Each file UTF-8 text, checked here: Ray Data hands an actor's error back as a traceback
    of text (the InputError itself is lost), so bad input is found before Ray starts."""
    from mt.inputs import decode_text

    for path, name in zip(paths, names, strict=True):
        with open(path, "rb") as stream:
            decode_text(stream.read(), name)


def _count_rows(folder: str) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in Path(folder).glob("*.parquet"))
