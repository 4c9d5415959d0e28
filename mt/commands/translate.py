"""``mt translate``: a document or one segment per line into English."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from mt.commands.common import (
    add_glossary_option,
    add_translator_options,
    bounded,
    defer_notice,
    load_chosen_translator,
    output_stream,
    progress_bar,
    translate_each,
    write_output,
)
from mt.documents import DOCUMENT_FORMATS, FRONT_MATTER_KEYS
from mt.errors import InputError
from mt.limits import MAX_BATCH_TOKENS
from mt.types import NOT_ARABIC

if TYPE_CHECKING:
    from mt.documents import Extraction
    from mt.glossary import Glossary
    from mt.translate import Translator
    from mt.types import TranslatedText

MAX_N_BEST = 64  # --n-best: the beam is widened to N
DOUBT_MARK = "[check] "  # before a sentence the quality estimate flags, in --mark-doubt text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate an Arabic document into English")
    p.add_argument("file", nargs="?", default="-",
                   help="text (.txt), HTML, DOCX, SRT or Markdown file, or - for stdin")
    p.add_argument("--input-format", choices=tuple(DOCUMENT_FORMATS),
                   help="the file's format (default: from its suffix; text otherwise)")
    p.add_argument("--front-matter", default=",".join(FRONT_MATTER_KEYS), metavar="KEYS",
                   help="Markdown: the front matter fields to translate, comma-separated "
                        f"(default {','.join(FRONT_MATTER_KEYS)}; '' translates none)")
    p.add_argument("--format", choices=("document", "text", "json", "html"),
                   help="document: the input's own format, translated (default for HTML, "
                        "DOCX, SRT, Markdown); text (default otherwise); json: the trace; "
                        "html: the side-by-side report")
    p.add_argument("--lines", action="store_true",
                   help="one segment per input line: exactly one output line per input line")
    p.add_argument("--n-best", type=bounded(1, MAX_N_BEST), metavar="N",
                   help="with --lines: one JSON line per input line with the beam's N best "
                        "distinct translations and their scores (mean token log-probability)")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.add_argument("--mark-doubt", action="store_true",
                   help=f"text: put {DOUBT_MARK.strip()!r} before each sentence whose quality "
                        "estimate says a reader should check it (json and html always carry "
                        "the estimate)")
    p.add_argument("--batch-tokens", type=bounded(1, MAX_BATCH_TOKENS), default=2048,
                   help="padded source tokens per batch (default 2048)")
    add_translator_options(p)
    add_glossary_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mt.documents import document_format
    from mt.inputs import iter_lines, read_document
    from mt.outputs import refuse_clobber

    refuse_clobber([args.file, args.glossary], [args.output])
    fmt = document_format(args.file, args.input_format)
    if fmt != "text":
        return run_document(args, fmt)
    if args.format == "document":
        raise InputError(f"{args.file}: --format document is for HTML, DOCX, SRT and Markdown "
                         "files; give --input-format or use --format text")
    if args.n_best is not None:
        return run_nbest(args)
    args.format = args.format or "text"
    # First lines out before the last are in, unless each needs its quality estimate.
    streaming = args.lines and args.format == "text" and not args.mark_doubt
    source = iter_lines(args.file) if streaming else read_document(args.file, keep_bom=True)
    if not isinstance(source, str):
        copied = 0
        with output_stream(args) as out:
            # Text prints no word links: none are made, and the aligner is not loaded.
            for translation in translate_each(args, source, "line", word_links="none"):
                out.write(translation.text + "\n")
                out.flush()
                copied += translation.copied
        _warn_not_arabic(args, copied, "line")
        return 0
    text = source
    # Text prints no word links: none are made, and the aligner is not loaded.
    translator = load_chosen_translator(args, "none" if args.format == "text" else None)
    translate = translator.translate_lines if args.lines else translator.translate_document
    with progress_bar("segment") as bar:
        translated = translate(text, progress=bar.update)
    _warn_not_arabic(args, len(translated.copied), "line" if args.lines else "segment")
    _write_translation(args, _rated(args, translator, translated), translator.glossary)
    return 0


def run_nbest(args: argparse.Namespace) -> int:
    """``--lines --n-best N``: per input line, ``{"line", "source", "hypotheses": [{"text",
    "score"}, ...]}`` best first, streamed as the lines come."""
    import json

    from mt.inputs import iter_lines

    if not args.lines or args.format is not None or args.mark_doubt:
        raise InputError("--n-best: give it with --lines alone (it writes one JSON line per "
                         "input line): drop --format and --mark-doubt, or add --lines")
    lines = iter_lines(args.file)
    translator = load_chosen_translator(args, "none")
    with output_stream(args) as out, progress_bar("line") as bar:
        for number, (source, hypotheses) in enumerate(translator.nbest_iter(
                lines, args.n_best, bar.update), 1):
            out.write(json.dumps({"line": number, "source": source, "hypotheses": [
                {"text": h.text, "score": h.score} for h in hypotheses]},
                ensure_ascii=False) + "\n")
            out.flush()
    return 0


def _rated(args: argparse.Namespace, translator: Translator, translated: TranslatedText
           ) -> TranslatedText:
    """``translated`` with each segment's quality estimate where the output shows it."""
    if args.format == "text" and not args.mark_doubt:
        return translated
    from mt.quality import estimator_for, with_quality

    return with_quality(translated, estimator_for(translator))


def _marked(translated: TranslatedText) -> str:
    """The English with ``DOUBT_MARK`` before every segment flagged for checking."""
    text, parts, end = translated.target_text, [], 0
    for segment in translated.segments:
        if segment.doubt and segment.target is not None:
            parts += [text[end:segment.target.start], DOUBT_MARK]
            end = segment.target.start
    return "".join(parts) + text[end:]


def _write_translation(args: argparse.Namespace, translated: TranslatedText,
                       glossary: Glossary | None, source: Extraction | None = None,
                       written: dict[str, Any] | None = None) -> None:
    """``translated`` as ``--format`` asks: the English alone (nothing traced), or the trace
    as JSON or as the HTML report, its glossary terms traced; ``source`` maps a structured
    file's text."""
    if args.format == "text":
        if translated.segments:
            write_output(args, (_marked(translated) if args.mark_doubt
                                else translated.target_text) + "\n")
        return
    from mt.documents import dumps, with_documents
    from mt.report import report
    from mt.trace import trace_translation

    trace = trace_translation(translated, glossary)
    if args.format == "json":
        write_output(args, dumps(trace.to_json() if source is None
                                 else with_documents(trace, source, written=written)) + "\n")
    else:
        write_output(args, report(trace, title=args.file,
                                  where=None if source is None else source.where))


def _warn_not_arabic(args: argparse.Namespace, count: int, unit: str) -> None:
    """One warning for the whole run, once it is written: text with no Arabic letters is
    copied, not translated."""
    if count:
        shown = "<stdin>" if args.file == "-" else args.file
        defer_notice(args, f"mt: warning: {shown}: {count} {unit}{'s' * (count > 1)} with no "
                     f"Arabic letters copied unchanged (marked {NOT_ARABIC} in the trace)")


def _warn_untranslated(args: argparse.Namespace, count: int) -> None:
    """One warning for the whole file, once it is written: text its reader could not
    translate is never dropped silently."""
    if count:
        shown = "<stdin>" if args.file == "-" else args.file
        defer_notice(args, f"mt: warning: {shown}: {count} piece{'s' * (count > 1)} of text "
                     "left untranslated (status untranslated under "
                     "document.source.untranslated in the trace)")


def _warn_reading(args: argparse.Namespace, written: dict[str, Any]) -> None:
    """One warning for the whole file: subtitle cues a viewer cannot read in their time, or
    too long for two lines."""
    from mt.documents.subtitles import MAX_CPS

    cues = written.get("cues", [])
    flagged = [cue for cue in cues if cue["flags"]]
    if flagged:
        shown = "<stdin>" if args.file == "-" else args.file
        fast = sum(any("cps" in flag for flag in cue["flags"]) for cue in flagged)
        defer_notice(args, f"mt: warning: {shown}: {len(flagged)} of {len(cues)} cues over "
                     f"the reading limits ({fast} faster than {MAX_CPS:g} characters a "
                     "second); each is flagged under document.output.cues in the trace "
                     "(--format json)")


def run_document(args: argparse.Namespace, fmt: str) -> int:
    """An HTML, DOCX, SRT or Markdown file: read, translated, written back (see mt.documents)."""
    from mt.documents import check_output_suffix, parse, translate_parsed

    if args.lines:
        raise InputError(f"{args.file}: --lines is for plain text; drop it for a {fmt} file")
    args.format = args.format or "document"
    if args.format == "document":
        check_output_suffix(args.output, fmt)
        if fmt == "docx" and (args.output or "-") == "-" and sys.stdout.isatty():
            raise InputError(f"{args.file}: a .docx is binary; give -o OUT.docx")
    keys = tuple(key.strip() for key in args.front_matter.split(",") if key.strip())
    parsed = parse(args.file, fmt, keys)  # bad input fails here, before the model loads
    translator = load_chosen_translator(args)
    with progress_bar("segment") as bar:
        result = translate_parsed(translator, parsed, args.file, progress=bar.update)
    _warn_untranslated(args, len(result.source.untranslated))
    _warn_reading(args, result.written)
    if args.format == "document":
        write_output(args, result.output)
    else:
        _write_translation(args, _rated(args, translator, result.translated),
                           translator.glossary, result.source, result.written)
    return 0
