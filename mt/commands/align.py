"""``mt align``: word links of sentence pairs (``--pairs``), or two whole documents."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from mt.commands.common import progress_bar, write_output
from mt.errors import InputError, one_of
from mt.types import Span, TraceDocument


@dataclass(frozen=True)
class Inputs:
    """What ``mt align`` is given, as its messages name it, and the ``--format`` it takes."""

    name: str  # "--format X is for NAME"
    usage: str  # "USAGE use ..."
    formats: tuple[str, ...]  # the first is the default


PAIRS = Inputs("--pairs", "with --pairs", ("jsonl", "pharaoh"))
DOCUMENTS = Inputs("documents", "for documents", ("json", "html", "beads"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("align", help="align Arabic with English: word links of sentence pairs "
                                     "(--pairs), or two documents")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="AR_FILE EN_FILE: an Arabic document and its English translation "
                        "(text, HTML, DOCX, SRT or Markdown, by suffix)")
    p.add_argument("--pairs", metavar="FILE.tsv",
                   help="word-align pre-aligned 'arabic<TAB>english' lines (- for stdin); "
                        "one output line per input line")
    p.add_argument("--format", choices=(*PAIRS.formats, *DOCUMENTS.formats),
                   help="jsonl (default) or pharaoh with --pairs; json (default), html or "
                        "beads (vecalign's plain format: '[ar lines]:[en lines]:cost', 0-based "
                        "line numbers, cost = 1 - similarity) for documents")
    p.add_argument("--units", choices=("lines", "sentences"), default="lines",
                   help="documents: segments keep your lines whole (default), or one a "
                        "sentence bead")
    p.add_argument("--aligner", metavar="DIR", help="word aligner tables (default models/align)")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mt.outputs import refuse_clobber

    refuse_clobber([args.pairs, *args.files], [args.output])
    if args.pairs is not None:
        if args.files:
            raise InputError("give either --pairs FILE.tsv or AR_FILE EN_FILE, not both")
        args.format = _format_for(args.format, PAIRS, DOCUMENTS)
        return run_pairs(args)
    if len(args.files) != 2:
        raise InputError("give AR_FILE EN_FILE (two documents) or --pairs FILE.tsv")
    args.format = _format_for(args.format, DOCUMENTS, PAIRS)
    return run_documents(args)


def _format_for(given: str | None, inputs: Inputs, other: Inputs) -> str:
    """``--format`` for these inputs: theirs, or their default; another's is an error."""
    if given is None:
        return inputs.formats[0]
    if given not in inputs.formats:
        raise InputError(f"--format {given} is for {other.name}; {inputs.usage} use "
                         f"{one_of(inputs.formats)}")
    return given


def _format_pair(source: str, target: str, links: list, fmt: str) -> str:
    if fmt == "pharaoh":
        from mt.segment import split_words

        source_index = {w: i for i, w in enumerate(split_words(source))}
        target_index = {w: i for i, w in enumerate(split_words(target))}
        return " ".join(f"{source_index[link.source]}-{target_index[link.target]}"
                        for link in links)
    return json.dumps({"source": source, "target": target,
                       "links": [{"source": link.source.to_json(),
                                  "target": link.target.to_json(), "score": link.score}
                                 for link in links]}, ensure_ascii=False)


def run_pairs(args: argparse.Namespace) -> int:

    from mt.align.words import WordAligner
    from mt.inputs import iter_lines, tsv_rows

    aligner = WordAligner(args.aligner)
    name = "<stdin>" if args.pairs == "-" else args.pairs
    # A blank line is an empty pair, so that output lines stay in step with input lines.
    pairs = [(fields[0], fields[1]) if fields else ("", "")
             for _, fields in tsv_rows(iter_lines(args.pairs), name)]
    lines: list[str] = []
    with progress_bar("pair", total=len(pairs)) as bar:
        for (source, target), links in zip(pairs, aligner.align_iter(pairs), strict=True):
            lines.append(_format_pair(source, target, links, args.format) + "\n")
            bar.update(1)
    write_output(args, "".join(lines))
    return 0


def _line_numbers(text: str, span: Span | None) -> list[int]:
    if span is None:
        return []
    first = text.count("\n", 0, span.start)
    return list(range(first, first + text.count("\n", span.start, span.end) + 1))


def format_beads(document: TraceDocument) -> str:
    """Segments as vecalign's alignment lines, ``[0, 1]:[0]:0.123456`` (0-based line numbers
    of the two inputs; the third field a cost, lower is better, as vecalign's)."""
    rows = []
    for segment in document.segments:
        source = _line_numbers(document.source_text, segment.source)
        target = _line_numbers(document.target_text, segment.target)
        similarity = segment.score if source and target and segment.score is not None else 0.0
        rows.append(f"{source}:{target}:{1 - similarity:.6f}\n")
    return "".join(rows)


def run_documents(args: argparse.Namespace) -> int:
    from mt.align.document import align_documents
    from mt.documents import dumps, extract, with_documents

    source, target = extract(args.files[0]), extract(args.files[1])
    document = align_documents(source.text, target.text, aligner_dir=args.aligner,
                               units=args.units)
    if args.format == "beads":
        write_output(args, format_beads(document))
    elif args.format == "html":
        from mt.report import report

        write_output(args, report(document, title=" ↔ ".join(args.files),
                                  where=source.where if source.origins else None))
    else:
        write_output(args, dumps(with_documents(document, source, target)) + "\n")
    return 0
