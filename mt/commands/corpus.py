"""``mt corpus``: build, filter, split and convert parallel corpora, streaming."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mt.commands.common import (
    add_device_option,
    add_glossary_option,
    add_model_options,
    add_quiet_option,
    bounded,
    chosen_glossary,
    chosen_model,
    progress_bar,
)
from mt.errors import InputError
from mt.limits import MAX_THREADS, MAX_WORKERS

FORMAT_HELP = "tsv, moses, tmx, jsonl, parquet or hf (default: from the file name)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("corpus", help="build, filter, split and convert parallel corpora")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")

    build = verbs.add_parser("build", help="pairs from Arabic documents (translated) or "
                                           "from Arabic + English documents (aligned)")
    build.add_argument("inputs", nargs="+", help="Arabic files or folders, or datasets with "
                                                 "--column")
    build.add_argument("-o", "--output", required=True,
                       help="corpus to write (a folder of Parquet files with --engine ray)")
    build.add_argument("--to", help=FORMAT_HELP)
    build.add_argument("--en", nargs="+", help="the English translations (files, or a folder "
                                               "with the same names): align instead of translate")
    add_model_options(build)
    build.add_argument("--workers", type=bounded(1, MAX_WORKERS), default=1,
                       help="local worker processes")
    build.add_argument("--threads", type=bounded(1, MAX_THREADS),
                       help="torch threads per worker")
    add_device_option(build)
    add_quiet_option(build)
    build.add_argument("--engine", choices=("local", "ray"), default="local")
    build.add_argument("--address", help="Ray cluster address (default: a local Ray)")
    build.add_argument("--actors", type=bounded(1, MAX_WORKERS), default=2,
                       help="Ray translator actors (default 2)")
    build.add_argument("--column", help="text column of a dataset input (save_to_disk folder, "
                                        ".parquet or .jsonl)")
    build.add_argument("--id-column", help="document id column (default: PATH#ROW)")
    build.add_argument("--glob", default="*.txt", help="files to take from folders (*.txt)")
    add_glossary_option(build)
    build.add_argument("--min-quality", type=bounded(0, 1, float),
                       help="keep translated pairs whose quality estimate is at least this "
                            "(0-1); the others go to --rejects with the reason")
    build.add_argument("--rejects", help="pairs set aside by --min-quality, JSONL with a reason "
                                         "(default: OUTPUT.rejects.jsonl)")
    build.set_defaults(handler=run_build)

    filt = verbs.add_parser("filter", help="drop noisy and duplicate pairs, each with a reason")
    filt.add_argument("input", help="corpus to filter (- for stdin)")
    filt.add_argument("-o", "--output", default="-", help="kept pairs (default stdout, TSV)")
    filt.add_argument("--rejects", help="rejected pairs with reasons, JSONL "
                                        "(default OUTPUT.rejects.jsonl)")
    filt.add_argument("--from", dest="from_format", help=FORMAT_HELP)
    filt.add_argument("--to", help=FORMAT_HELP)
    filt.add_argument("--max-words", type=bounded(1), default=200)
    filt.add_argument("--max-ratio", type=float, default=3.0,
                      help="longest side at most this times the shorter, in characters, +10")
    filt.add_argument("--min-arabic", type=float, default=0.5,
                      help="share of Arabic letters on the Arabic side (default 0.5)")
    filt.add_argument("--min-score", type=float, help="reject pairs scored below this")
    filt.add_argument("--min-quality", type=bounded(0, 1, float),
                      help="reject pairs whose quality estimate (mt corpus build) is under this "
                           "(0-1), and pairs that carry none")
    filt.add_argument("--skip", default="", help="checks to turn off, by reason, comma-separated")
    filt.set_defaults(handler=run_filter)

    split = verbs.add_parser("split", help="deterministic train/dev/test without leakage")
    split.add_argument("input", help="corpus to split (a file: it is read twice)")
    split.add_argument("-o", "--output", required=True,
                       help="folder for train, dev, test and rejects.jsonl")
    split.add_argument("--from", dest="from_format", help=FORMAT_HELP)
    split.add_argument("--to", help="format of the splits (default: the input's)")
    split.add_argument("--dev", type=bounded(0), default=1000, help="dev pairs (default 1000)")
    split.add_argument("--test", type=bounded(0), default=1000,
                       help="test pairs (default 1000)")
    split.add_argument("--seed", type=int, default=1)
    split.set_defaults(handler=run_split)

    convert = verbs.add_parser("convert", help="convert between corpus formats, losslessly")
    convert.add_argument("input", help="corpus to read (- for stdin)")
    convert.add_argument("output", help="corpus to write (- for stdout)")
    convert.add_argument("--from", dest="from_format", help=FORMAT_HELP)
    convert.add_argument("--to", help=FORMAT_HELP)
    convert.add_argument("--rejects", help="set aside pairs the output format cannot hold "
                                           "(default: stop with an error)")
    convert.set_defaults(handler=run_convert)


def _bar_iter(items: Iterable[Any], unit: str) -> Iterator[Any]:
    with progress_bar(unit) as bar:
        for item in items:
            yield item
            bar.update(1)


def _summary(title: str, seconds: float, counts: Counter[str], explain: dict[str, str]) -> None:
    """The count of each outcome, on stderr: nothing leaves a stage unaccounted."""
    total = sum(counts.values())
    rate = total / seconds if seconds > 0 else 0.0
    print(f"mt corpus {title}: {total:,} pairs in {seconds:.1f} s ({rate:,.0f} pairs/s)",
          file=sys.stderr)
    width = max(len(name) for name in counts) if counts else 0
    for name, count in counts.most_common():
        share = count / total if total else 0.0
        note = explain.get(name, "")
        print(f"  {name:<{width}}  {count:>11,}  {share:6.1%}  {note}".rstrip(), file=sys.stderr)


def _refuse_clobber(args: argparse.Namespace, outputs: list[str | None]) -> None:
    """Refuse outputs that are the input (or each other) before anything is read."""
    from mt.corpus.formats import corpus_files
    from mt.outputs import refuse_clobber

    files: list[str | None] = []
    if args.output != "-":
        files.extend(corpus_files(args.output, args.to, writing=True))
    refuse_clobber(corpus_files(args.input, args.from_format), files + outputs)


def run_convert(args: argparse.Namespace) -> int:
    from mt.corpus.filters import RejectsWriter
    from mt.corpus.formats import UnwritableError, open_writer, read_corpus

    _refuse_clobber(args, [args.rejects])
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    rejects = RejectsWriter(args.rejects) if args.rejects else None
    with contextlib.nullcontext() if rejects is None else rejects, \
            open_writer(args.output, args.to) as writer:
        for pair in _bar_iter(read_corpus(args.input, args.from_format), "pair"):
            try:
                writer.write(pair)
                counts["written"] += 1
            except UnwritableError as exc:
                if rejects is None:
                    raise
                rejects.reject(pair, exc.reason)
                counts[exc.reason] += 1
    if rejects is not None and rejects.counts:
        print(f"mt: warning: {sum(rejects.counts.values()):,} pairs could not be written; "
              f"see {args.rejects}", file=sys.stderr)
    _summary("convert", time.perf_counter() - started, counts,
             {"written": f"to {args.output}"})
    return 0


def _rejects_path(args: argparse.Namespace) -> str:
    if args.rejects:
        return args.rejects
    if args.output == "-":
        raise InputError("filtering to stdout: give --rejects FILE for the rejected pairs")
    return f"{args.output.rstrip('/')}.rejects.jsonl"


def run_filter(args: argparse.Namespace) -> int:
    from mt.corpus.filters import REASONS, FilterConfig, RejectsWriter, filter_pairs
    from mt.corpus.formats import UnwritableError, open_writer, read_corpus

    skip = frozenset(s.strip() for s in args.skip.split(",") if s.strip())
    unknown = skip - set(REASONS)
    if unknown:
        raise InputError(f"--skip {','.join(sorted(unknown))}: unknown check; "
                         f"use {', '.join(REASONS)}")
    config = FilterConfig(max_words=args.max_words, max_ratio=args.max_ratio,
                          min_arabic=args.min_arabic, min_score=args.min_score,
                          min_quality=args.min_quality, skip=skip)
    _refuse_clobber(args, [_rejects_path(args)])
    started = time.perf_counter()
    with RejectsWriter(_rejects_path(args)) as rejects, \
            open_writer(args.output, args.to) as writer:
        pairs = _bar_iter(read_corpus(args.input, args.from_format), "pair")
        for pair in filter_pairs(pairs, config, rejects.reject):
            try:
                writer.write(pair)
            except UnwritableError as exc:
                rejects.reject(pair, exc.reason)
        counts = Counter({"kept": writer.count, **rejects.counts})
    _summary("filter", time.perf_counter() - started, counts,
             {**REASONS, "kept": f"to {args.output}", "unwritable-tsv": "tab or line break "
              "inside a field", "unwritable-moses": "line break inside a sentence",
              "unwritable-tmx": "a character XML forbids"})
    return 0


def run_split(args: argparse.Namespace) -> int:
    from mt.corpus.filters import RejectsWriter
    from mt.corpus.formats import REGISTRY, corpus_files, detect_format, open_writer, read_corpus
    from mt.corpus.split import LEAK_REASONS, SPLITS, split_corpus
    from mt.outputs import refuse_clobber

    if args.input == "-":
        raise InputError("mt corpus split reads its input twice: give a file, not stdin")
    source_format = detect_format(args.input, args.from_format)
    fmt = detect_format(args.input, args.to) if args.to else source_format
    folder = Path(args.output)
    paths = {name: str(folder / f"{name}{REGISTRY[fmt].suffix}") for name in SPLITS}
    refuse_clobber(corpus_files(args.input, source_format),
                   [f for path in paths.values() for f in corpus_files(path, fmt, writing=True)]
                   + [str(folder / "rejects.jsonl")])
    started = time.perf_counter()
    writers: dict[str, Any] = {}
    try:
        for name, path in paths.items():
            writers[name] = open_writer(path, fmt)
        with RejectsWriter(str(folder / "rejects.jsonl")) as rejects:
            routed = split_corpus(lambda: read_corpus(args.input, source_format),
                                  args.dev, args.test, args.seed, args.input)
            for name, pair in _bar_iter(routed, "pair"):
                if name in writers:
                    writers[name].write(pair)
                else:
                    rejects.reject(pair, name)
            counts = Counter({name: w.count for name, w in writers.items()})
            counts.update(rejects.counts)
    except BaseException:
        for writer in writers.values():
            writer.discard()
        raise
    for writer in writers.values():
        writer.commit()
    _summary("split", time.perf_counter() - started, counts,
             {**LEAK_REASONS, **{name: f"to {w.name}" for name, w in writers.items()}})
    return 0


def run_build(args: argparse.Namespace) -> int:
    from mt.outputs import refuse_clobber

    if args.min_quality is not None and (args.en or args.engine == "ray"):
        raise InputError("--min-quality holds translations to their quality estimate: drop it "
                         "for --en (aligned pairs have none) or use --engine local")
    rejects_path = None if args.min_quality is None else _rejects_path(args)
    refuse_clobber([*args.inputs, *(args.en or []), args.glossary], [args.output, rejects_path])
    started = time.perf_counter()
    if args.engine == "ray":
        if args.en or args.column:
            raise InputError("--engine ray builds from Arabic files only; drop --en/--column "
                             "or use --engine local")
        from mt.corpus.build import list_files
        from mt.corpus.ray_build import build_on_ray

        count = build_on_ray(list_files(args.inputs, args.glob), args.output, args.model,
                             actors=args.actors, beam=args.beam, address=args.address,
                             show_progress=sys.stderr.isatty())
        _summary("build", time.perf_counter() - started, Counter({"built": count}),
                 {"built": f"Parquet files in {args.output}"})
        return 0
    from mt.corpus.build import align_bilingual, iter_documents, pair_files, translate_documents
    from mt.corpus.filters import REASONS, FilterConfig, RejectsWriter, filter_pairs
    from mt.corpus.formats import write_corpus

    rejects = None if rejects_path is None else RejectsWriter(rejects_path)
    with progress_bar("sentence") as bar, rejects or contextlib.nullcontext():
        if args.en:
            pairs = align_bilingual(pair_files(args.inputs, args.en, args.glob), bar.update)
        else:
            documents = iter_documents(args.inputs, args.column, args.id_column, args.glob)
            pairs = translate_documents(documents, chosen_model(args), workers=args.workers,
                                        glossary=chosen_glossary(args),
                                        beam=args.beam, threads=args.threads,
                                        device=args.device, progress=bar.update)
        if rejects is not None:  # --min-quality: the filter's own quality checks, no other
            only_quality = frozenset(REASONS) - {"low-quality", "unrated"}
            pairs = filter_pairs(pairs, FilterConfig(min_quality=args.min_quality,
                                                     skip=only_quality), rejects.reject)
        count = write_corpus(pairs, args.output, args.to or ("jsonl" if args.output == "-"
                                                              else None))
    set_aside = Counter() if rejects is None else rejects.counts
    _summary("build", time.perf_counter() - started, Counter({"built": count, **set_aside}),
             {**REASONS, "built": f"to {args.output}"})
    return 0
