"""Building corpora: translate Arabic documents, or align bilingual ones.

Files are read by suffix (text, HTML, DOCX, SRT, Markdown; see ``mt.documents``),
and span offsets point into their extracted text.

From Arabic documents (files, folders, or a column of a dataset), each
document is translated with ``Translator.translate_document`` and every
segment becomes a pair carrying its provenance: document id, segment number,
source and target spans in the document's texts, model score, signature and
word links (relative to the pair). Documents go to parallel worker processes
that each load the model once; results come back in input order and only a
bounded number of documents is in flight, so memory stays flat.

From an Arabic document and its English translation, the two are aligned
sentence by sentence (``mt.align.document.align_documents``) and every
aligned segment, n:m, becomes a pair with its alignment score. A sentence
with no counterpart still becomes a pair, with an empty side, so that the
filter reports it instead of it vanishing.
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from mt.corpus.record import Pair
from mt.errors import InputError
from mt.models import ModelRef, resolve_model
from mt.quality import QualityEstimator, estimator_for, with_quality
from mt.translate import BEAM_SIZE
from mt.types import TraceDocument, TranslatedText, WordLink

if TYPE_CHECKING:
    from mt.glossary import Glossary
    from mt.translate import Translator

log = logging.getLogger("mt")
Document = tuple[str, str]  # (document id, text)
Progress = Callable[[int], None]


def list_files(paths: Iterable[str], pattern: str = "*.txt") -> list[str]:
    """Files as given, and the files under each folder matching ``pattern``, in name order.

    ``pattern`` is relative and stays inside the folder: no ``..``, no absolute path.
    """
    parts = PurePosixPath(pattern.replace("\\", "/")).parts
    if not pattern.strip() or pattern.startswith(("/", "\\")) or ".." in parts or \
            PureWindowsPath(pattern).drive:
        raise InputError(f"--glob {pattern!r}: a pattern must stay inside the folder; give "
                         "one relative to it, e.g. --glob '*.txt' or --glob 'news/*.txt'")
    files: list[str] = []
    for path in paths:
        target = Path(path)
        if target.is_dir():
            found = sorted(str(p) for p in target.rglob(pattern)
                           if p.is_file() and not p.name.startswith("."))
            if not found:
                raise InputError(f"{path}: no {pattern} file in this folder; "
                                 "give files or --glob PATTERN")
            files.extend(found)
        else:
            files.append(path)
    return files


def _dataset_rows(path: str, columns: list[str]) -> Iterator[dict[str, Any]]:
    """Rows of a ``save_to_disk`` folder, a Parquet file or a JSONL file, a batch at a time."""
    if path.endswith((".jsonl", ".jsonl.gz")):
        from mt.inputs import open_input

        with open_input(path) as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except (ValueError, RecursionError):
                        row = None
                    if not isinstance(row, dict):
                        raise InputError(f"{path}:{number}: not a JSON object; fix the line")
                    yield {column: row.get(column) for column in columns}
        return
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        batches = pq.ParquetFile(path).iter_batches(batch_size=256, columns=columns)
    else:
        from datasets import load_from_disk

        batches = load_from_disk(path).with_format("arrow").select_columns(columns).iter(256)
    for batch in batches:
        yield from batch.to_pylist()


def iter_documents(paths: Iterable[str], column: str | None = None,
                   id_column: str | None = None, pattern: str = "*.txt") -> Iterator[Document]:
    """``(doc id, text)`` of each file, or of each row's ``column`` in dataset inputs."""
    from mt.documents import extract

    if column is None:
        for path in list_files(paths, pattern):
            yield path, extract(path).text
        return
    columns = [column] + ([id_column] if id_column else [])
    for path in paths:
        try:
            for number, row in enumerate(_dataset_rows(path, columns)):
                text = row.get(column)
                if not isinstance(text, str):
                    raise InputError(f"{path}: row {number} has no text in column {column!r}; "
                                     "check --column")
                yield str(row[id_column]) if id_column else f"{path}#{number}", text
        except (KeyError, ValueError, FileNotFoundError) as exc:
            raise InputError(f"{path}: cannot read column {column!r} ({exc}); give a "
                             "save_to_disk folder, .parquet or .jsonl with that column") from None


def pairs_from_trace(doc_id: str, document: TraceDocument | TranslatedText) -> list[Pair]:
    """One pair per segment of a trace document, links made relative to the pair."""
    links: dict[int, list[WordLink]] = {}
    segments = {segment.id: segment for segment in document.segments}
    for link in document.links:
        segment = segments[link.segment]
        if segment.source is not None and segment.target is not None:
            links.setdefault(link.segment, []).append(WordLink(
                link.source.shift(-segment.source.start), link.target.shift(-segment.target.start),
                link.score))
    pairs = []
    for segment in document.segments:
        pairs.append(Pair(
            ar="" if segment.source is None else segment.source.slice(document.source_text),
            en="" if segment.target is None else segment.target.slice(document.target_text),
            doc=doc_id, segment=segment.id, source=segment.source, target=segment.target,
            score=segment.score, signature=document.signature,
            links=tuple(links.get(segment.id, ())), quality=segment.quality,
        ))
    return pairs


# One translator per worker process, loaded once by the pool's initializer.
_worker_translator: Any = None


def _init_worker(model: ModelRef, beam: int, threads: int | None, device: str,
                 glossary: Glossary | None) -> None:
    global _worker_translator
    from mt.translate import load_translator

    _worker_translator = load_translator(model, beam_size=beam, threads=threads, device=device,
                                         glossary=glossary)


def translated_pairs(translator: Translator, estimator: QualityEstimator,
                      document: Document) -> list[Pair]:
    """A document's pairs, each with its quality estimate."""
    doc_id, text = document
    return pairs_from_trace(doc_id, with_quality(translator.translate_document(text),
                                                 estimator))


def _translate(document: Document) -> list[Pair]:
    return translated_pairs(_worker_translator, estimator_for(_worker_translator), document)


def _ordered_map(pool: Any, function: Callable[[Document], list[Pair]],
                 items: Iterable[Document], ahead: int) -> Iterator[list[Pair]]:
    """``pool.imap`` in input order, with at most ``ahead`` items read but not yet returned."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(pool.apply_async(function, (item,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def translate_documents(documents: Iterable[Document], model: str | ModelRef | None = None,
                        workers: int = 1, beam: int = BEAM_SIZE, threads: int | None = None,
                        device: str = "auto", progress: Progress | None = None,
                        glossary: Glossary | None = None) -> Iterator[Pair]:
    """Pairs of every document, in order; ``workers`` > 1 translates in parallel processes.

    Each worker gets ``threads`` torch threads (default: the CPUs shared out).
    """
    if workers < 1:
        raise InputError("--workers must be at least 1")
    if workers == 1:
        from mt.translate import load_translator

        translator = load_translator(model, beam_size=beam, threads=threads, device=device,
                                     glossary=glossary)
        estimator = estimator_for(translator)
        results = (translated_pairs(translator, estimator, document) for document in documents)
        yield from _counted(results, progress)
        return
    import multiprocessing

    if not isinstance(model, ModelRef):
        model = resolve_model(model)  # once, not in every worker
    per_worker = threads or max(1, (os.cpu_count() or 1) // workers)
    # spawn, not fork: a forked copy of a process that has started torch threads can hang.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, _init_worker, (model, beam, per_worker, device, glossary)
                      ) as pool:
        yield from _counted(_ordered_map(pool, _translate, documents, ahead=2 * workers),
                            progress)


def _counted(results: Iterable[list[Pair]], progress: Progress | None) -> Iterator[Pair]:
    for pairs in results:
        if progress is not None:
            progress(len(pairs))
        yield from pairs


def pair_files(ar_paths: Iterable[str], en_paths: Iterable[str],
               pattern: str = "*.txt") -> list[tuple[str, str]]:
    """Arabic and English files matched one to one: files in order, folders by file name."""
    ar_list, en_list = list(ar_paths), list(en_paths)
    if len(ar_list) == 1 and len(en_list) == 1 and Path(ar_list[0]).is_dir():
        root_ar, root_en = Path(ar_list[0]), Path(en_list[0])
        pairs = []
        for ar_file in list_files(ar_list, pattern):
            en_file = root_en / Path(ar_file).relative_to(root_ar)
            if not en_file.is_file():
                raise InputError(f"{en_file}: missing English counterpart of {ar_file}; "
                                 "give folders with the same file names")
            pairs.append((ar_file, str(en_file)))
        return pairs
    if len(ar_list) != len(en_list):
        raise InputError(f"{len(ar_list)} Arabic files but {len(en_list)} English ones; "
                         "give one --en file per document")
    return list(zip(ar_list, en_list, strict=True))


def align_bilingual(files: Iterable[tuple[str, str]],
                    progress: Progress | None = None) -> Iterator[Pair]:
    """Pairs of aligned segments of each (Arabic file, English file); doc id: the Arabic file."""
    from mt.align.document import align_documents  # lazy: it loads the sentence encoder
    from mt.documents import extract

    for ar_file, en_file in files:
        pairs = pairs_from_trace(ar_file, align_documents(extract(ar_file).text,
                                                          extract(en_file).text))
        if progress is not None:
            progress(len(pairs))
        yield from pairs
