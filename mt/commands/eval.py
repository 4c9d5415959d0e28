"""``mt eval``: BLEU, chrF, chrF++ and TER exactly as sacrebleu computes and prints them."""

from __future__ import annotations

import argparse
import json

from mt.commands.common import add_translator_options, bounded, translate_each, write_output
from mt.errors import InputError

# Resamples a bootstrap may draw: ten times sacrebleu's default (100,000,000 ran for ever).
MAX_BOOTSTRAP = 10_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="score translations with sacrebleu (BLEU, chrF, chrF++, TER)")
    p.add_argument("--hyp", help="system output, one segment per line")
    p.add_argument("--ref", action="append",
                   help="reference translations, one per line; repeat for several references")
    p.add_argument("--testset", help="arabic<TAB>english[<TAB>label] file (.tsv or .tsv.gz) "
                                     "to translate and score")
    p.add_argument("--label", help="with --testset: only rows whose third column is LABEL")
    p.add_argument("--limit", type=bounded(1), help="with --testset: only the first N rows")
    p.add_argument("--save-hyp", help="with --testset: write the translations here")
    add_translator_options(p, word_links=False,  # scores need no word links
                           purpose="the model to translate --testset with: ")
    p.add_argument("--metrics", default="bleu,chrf",
                   help="comma-separated: bleu,chrf,chrf++,ter (chrf++: chrF with word "
                        "bigrams, sacrebleu's CHRF(word_order=2))")
    p.add_argument("--confidence", action="store_true", help="bootstrap 95%% intervals")
    p.add_argument("--paired-with", metavar="SYSTEM", nargs="+", action="extend",
                   help="paired bootstrap test, as sacrebleu -i BASELINE SYSTEM... --paired-bs: "
                        "the first file is the baseline, every other system (these files, then "
                        "--hyp) is tested against it")
    p.add_argument("--bootstrap", type=bounded(2, MAX_BOOTSTRAP), default=1000,
                   help=f"resamples (default 1000, at most {MAX_BOOTSTRAP:,})")
    p.add_argument("--width", type=bounded(0), default=1,
                   help="decimals of the printed scores, as sacrebleu's --width (default 1)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: sacrebleu's own -f json records")
    p.add_argument("-o", "--output", help="write the scores here instead of stdout")
    p.set_defaults(handler=run)


def _testset(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """Translate the Arabic column of ``--testset``; returns hypotheses and references."""
    from mt.evaluate import testset_pairs

    rows = testset_pairs(args.testset, args.label, args.limit)
    if not rows:
        raise InputError(f"{args.testset}: no rows to score; check the file and --label")
    hypotheses = [t.text for t in translate_each(args, (r[0] for r in rows), "sent", len(rows),
                                                 word_links="none")]  # no links wanted
    if args.save_hyp:
        from mt.outputs import open_output

        with open_output(args.save_hyp) as out:
            out.writelines(h + "\n" for h in hypotheses)
    return hypotheses, [r[1] for r in rows]


def _same_length(path: str, lines: list[str], expected: int, against: str) -> None:
    if len(lines) != expected:
        raise InputError(f"{path}: {len(lines)} lines but {against} has {expected}; give files "
                         "with one line per segment")


def _metrics(text: str) -> list[str]:
    from mt.evaluate import METRIC_NAMES

    metrics = [m.strip().lower() for m in text.split(",") if m.strip()]
    if not metrics or any(m not in METRIC_NAMES for m in metrics):
        raise InputError(f"--metrics {text}: choose from {','.join(METRIC_NAMES)}")
    return metrics


def _json(records: list) -> str:  # noqa: ANN001
    """As sacrebleu prints them: one record alone, several as a list."""
    return json.dumps(records[0] if len(records) == 1 else records, indent=1,
                      ensure_ascii=False) + "\n"


def _references(args: argparse.Namespace) -> tuple[list[list[str]], str, list[str] | None]:
    """The reference streams, the file named in errors, and the hypotheses when known."""
    from mt.inputs import read_lines

    if args.testset and (args.ref or args.hyp):
        raise InputError("--testset carries its references and makes its hypotheses: give "
                         "--testset or --hyp/--ref, not both")
    if [args.hyp, *(args.ref or [])].count("-") > 1:
        raise InputError("--hyp - and --ref -: stdin can be read once; give it to one of "
                         "them and the others as files")
    if args.testset:
        hypotheses, references = _testset(args)
        return [references], args.testset, hypotheses
    if not args.ref or not (args.hyp or args.paired_with):
        raise InputError("nothing to score: give --hyp FILE --ref FILE, or --testset FILE.tsv")
    streams = [read_lines(path) for path in args.ref]
    if not streams[0]:
        raise InputError(f"{args.ref[0]}: no lines to score; give files with one segment a line")
    for path, stream in zip(args.ref[1:], streams[1:], strict=True):
        _same_length(path, stream, len(streams[0]), args.ref[0])
    return streams, args.ref[0], read_lines(args.hyp) if args.hyp else None


def run(args: argparse.Namespace) -> int:
    from mt.evaluate import paired, score
    from mt.inputs import read_lines
    from mt.outputs import refuse_clobber

    refuse_clobber([args.hyp, *(args.ref or []), *(args.paired_with or []), args.testset],
                   [args.output, args.save_hyp])
    metrics = _metrics(args.metrics)
    streams, reference_name, hypotheses = _references(args)
    own = [] if hypotheses is None else [(args.hyp or args.testset, hypotheses)]
    if args.paired_with:
        systems = [(path, read_lines(path)) for path in args.paired_with] + own
        if len(systems) < 2:
            raise InputError(f"--paired-with {args.paired_with[0]}: a paired test needs a "
                             "baseline and a system; name both, or give --hyp")
        for name, lines in systems:
            _same_length(name, lines, len(streams[0]), reference_name)
        results = paired(systems, streams, metrics, args.bootstrap, args.width)
        if args.format == "json":  # sacrebleu's layout, list and all
            write_output(args, json.dumps([r.to_json() for r in results], indent=4,
                                          ensure_ascii=False) + "\n")
            return 0
        lines = [f"{system.name}  {s.record['name']}  {s.formatted}"
                 + ("" if s.p_value is None else f"  p = {s.p_value:.4f}")
                 for system in results for s in system.scores]
        write_output(args, "\n".join(lines + [f"signature {s.record['name']}: {s.signature}"
                                              for s in results[0].scores]) + "\n")
        return 0
    assert hypotheses is not None  # _references demands --hyp or --testset without a test
    _same_length(own[0][0], hypotheses, len(streams[0]), reference_name)
    scores = score(hypotheses, streams, metrics, args.confidence, args.bootstrap, args.width)
    if args.format == "json":
        write_output(args, _json([s.record for s in scores]))
    else:
        write_output(args, "".join(f"{s.formatted}\n" for s in scores))
    return 0
