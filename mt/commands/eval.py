"""``mt eval``: BLEU, chrF and TER exactly as sacrebleu computes them."""

from __future__ import annotations

import argparse
import json

from mt.commands.common import add_translator_options, bounded, translate_each, write_output
from mt.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="score translations with sacrebleu (BLEU, chrF, TER)")
    p.add_argument("--hyp", help="system output, one segment per line")
    p.add_argument("--ref", help="reference translations, one per line")
    p.add_argument("--testset", help="arabic<TAB>english[<TAB>label] file (.tsv or .tsv.gz) "
                                     "to translate and score")
    p.add_argument("--label", help="with --testset: only rows whose third column is LABEL")
    p.add_argument("--limit", type=bounded(1), help="with --testset: only the first N rows")
    p.add_argument("--save-hyp", help="with --testset: write the translations here")
    add_translator_options(p, word_links=False,  # scores need no word links
                           purpose="the model to translate --testset with: ")
    p.add_argument("--metrics", default="bleu,chrf", help="comma-separated: bleu,chrf,ter")
    p.add_argument("--confidence", action="store_true", help="bootstrap 95%% intervals")
    p.add_argument("--paired-with", metavar="OTHER_HYP",
                   help="paired bootstrap test of --hyp against this baseline output")
    p.add_argument("--bootstrap", type=bounded(2), default=1000,
                   help="resamples (default 1000)")
    p.add_argument("--format", choices=("text", "json"), default="text")
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


def run(args: argparse.Namespace) -> int:
    from mt.evaluate import METRIC_NAMES, paired, score
    from mt.inputs import read_lines
    from mt.outputs import refuse_clobber

    refuse_clobber([args.hyp, args.ref, args.paired_with, args.testset],
                   [args.output, args.save_hyp])
    metrics = [m.strip().lower() for m in args.metrics.split(",") if m.strip()]
    unknown = [m for m in metrics if m not in METRIC_NAMES]
    if unknown or not metrics:
        raise InputError(f"--metrics {args.metrics}: choose from {','.join(METRIC_NAMES)}")
    if args.testset:
        hypotheses, references = _testset(args)
    elif args.hyp and args.ref:
        hypotheses, references = read_lines(args.hyp), read_lines(args.ref)
    else:
        raise InputError("nothing to score: give --hyp FILE --ref FILE, or --testset FILE.tsv")
    if not references:
        raise InputError(f"{args.ref or args.testset}: no lines to score; give files with one "
                         "segment per line")
    if len(hypotheses) != len(references):
        raise InputError(f"{args.hyp}: {len(hypotheses)} lines but {args.ref} has "
                         f"{len(references)}; give files with one line per segment")
    if args.paired_with:
        baseline = read_lines(args.paired_with)
        if len(baseline) != len(references):
            raise InputError(f"{args.paired_with}: {len(baseline)} lines, expected "
                             f"{len(references)}")
        results = paired(hypotheses, baseline, references, metrics, args.bootstrap)
        if args.format == "json":
            write_output(args, json.dumps({k: [s.to_json() for s in v]
                                           for k, v in results.items()}, indent=2) + "\n")
        else:
            lines = []
            for system, scores in results.items():
                for s in scores:
                    p = "" if s.p_value is None else f"  p = {s.p_value:.4f}"
                    lines.append(f"{system:8} {s.metric:5} {s.formatted}{p}")
            lines += [f"signature {s.metric}: {s.signature}" for s in results["system"]]
            write_output(args, "\n".join(lines) + "\n")
        return 0
    scores = score(hypotheses, references, metrics, args.confidence, args.bootstrap)
    if args.format == "json":
        write_output(args, json.dumps([s.to_json() for s in scores], indent=2) + "\n")
    else:
        write_output(args, "".join(f"{s.formatted}\n  {s.signature}\n" for s in scores))
    return 0
