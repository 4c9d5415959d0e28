"""``mt check``: fidelity findings for pre-aligned pairs or a trace document."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from mt.errors import InputError

CHUNK = 500  # pairs word-aligned in one batch


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="numbers, quotes, names, dates, untranslated or unsupported text",
        description="Findings per pair (--pairs) or for a trace document; exit status 1 when "
                    "any finding is mismatch or missing.")
    p.add_argument("trace", nargs="?", help="a trace document (mt translate/align --format json)")
    p.add_argument("--pairs", metavar="FILE.tsv", help="arabic<TAB>english lines (- for stdin)")
    p.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    p.add_argument("--all", action="store_true", help="list ok spans too")
    p.add_argument("--no-similarity", action="store_true",
                   help="skip the sentence-encoder check for unsupported English sentences")
    p.set_defaults(handler=run)


def _numbered_pairs(path: str) -> Iterator[tuple[int, str, str]]:
    """Numbered pairs of a TSV file; lines with nothing but blanks and tabs are skipped."""
    from mt.inputs import iter_lines, tsv_rows

    for number, fields in tsv_rows(iter_lines(path), path):
        if "".join(fields).strip():
            yield number, fields[0], fields[1]


def _write(key: str, value: int | None, findings: list, text_format: bool) -> None:
    if text_format:
        for f in findings:
            target = "-" if f.target is None else f"[{f.target.start},{f.target.end}]"
            print(f"{key} {value}: {f.kind} {f.status} [{f.source.start},{f.source.end}] -> "
                  f"{target}: {f.detail}")
    else:
        print(json.dumps({key: value, "findings": [f.to_json() for f in findings]},
                         ensure_ascii=False))


def run(args: argparse.Namespace) -> int:
    from itertools import islice

    from mt.align.document import trace_pairs
    from mt.check import check
    from mt.errors import TraceError
    from mt.inputs import read_document
    from mt.types import TraceDocument

    if (args.trace is None) == (args.pairs is None):
        raise InputError("give either a trace document or --pairs FILE.tsv, e.g. "
                         "mt check --pairs pairs.tsv")
    similarity = not args.no_similarity
    failing = False
    text_format = args.format == "text"
    if args.pairs is not None:
        numbered = _numbered_pairs(args.pairs)
        while chunk := list(islice(numbered, CHUNK)):
            documents = trace_pairs([(ar, en) for _, ar, en in chunk])
            for (number, _, _), document in zip(chunk, documents, strict=True):
                findings = check(document, similarity, include_ok=args.all)
                failing |= any(f.fails for f in findings)
                _write("line", number, findings, text_format)
        sys.stdout.flush()
        return 1 if failing else 0
    try:
        document = TraceDocument.loads(read_document(args.trace))
    except TraceError as exc:
        raise InputError(f"{args.trace}: not a trace document ({exc}); give the JSON written by "
                         "mt translate --format json") from None
    findings = check(document, similarity, include_ok=args.all)
    for segment in document.segments:
        _write("segment", segment.id, [f for f in findings if f.segment == segment.id],
               text_format)
    loose = [f for f in findings if f.segment is None]
    if loose:  # outside every segment: still reported, never dropped
        _write("segment", None, loose, text_format)
    return 1 if any(f.fails for f in findings) else 0
