"""Facts in the English: names, numbers and protected spans, with the pipeline's fact steps
on and off, side by side (``--write``: the section goes to RESULTS.md).

The fact steps: protected spans and glossary terms go through placeholders
(``mt.protect``), names of the names table and numbers are put right after
decoding where the attention links them (``mt.translate.repair``). Names and
numbers through placeholders were measured first and lost on UD PUD dev
(number recall 66.7% to 64.4%, BLEU down), so the repair is the mechanism kept.

    python eval/facts.py                 # UD PUD dev (choices) and FLORES-200 devtest (report)
    python eval/facts.py --limit 200     # a look: printed only

Reference-based recall, independent of ``mt check``: of the capitalised words
of the English reference that are not its first word and not function words,
months or weekdays, the share found in the hypothesis (as whole words); of the
numbers of the reference (digit strings without separators, number words as
digits), the share found in the hypothesis. BLEU and chrF beside them.

Protected spans: every sentence of UD PUD dev gets one item of ``PROTECTED``
(Latin words and acronyms, URLs, e-mail, handles, hashtags, code, entities, an
MDX expression, emoji; the items in turn) inserted after its middle word, as
such text stands inside Arabic on real pages; the share that comes out
byte-identical is counted. The baseline is the same model and code with
protection off (``load_translator(facts=False)``, signed ``facts:off``).

Glossary: the CLDR city and territory names of ``../shared/data/lexicon`` as a
user's glossary; every term found in a UD PUD dev sentence must come out in
its English (counted as multisets per sentence), for the CTranslate2 and the
transformers backends, beside the same model without the glossary.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocol import reporting  # noqa: E402
from results import add_write_option, machine, publish, today  # noqa: E402

from mt.evaluate import score, testset_pairs  # noqa: E402
from mt.glossary import Glossary  # noqa: E402
from mt.inputs import read_rows  # noqa: E402
from mt.models import model_hash, resolve_model  # noqa: E402
from mt.protect import protected_spans  # noqa: E402
from mt.translate import load_translator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SEED = ROOT / "seeds" / "000_e65b64538d617a2f.txt"
DEV = DATA / "dev" / "pud.ar-en.tsv.gz"
TEST = DATA / "test" / "flores200_devtest.ar-en.tsv.gz"
PROTECTED = ("GitHub", "YouTube", "VS Code", "COVID-19", "iPhone 15", "https://www.un.org/ar/",
             "news@example.org", "@UN_News", "#عاجل", "`pip install mt`", "&rlm;",
             "{/*your-editor*/}", "🙂", "NASA", "Node.js")
FUNCTION = frozenset(
    "The A An He She It They We I You In On At By For From To Of And But Or As With This That "
    "These Those His Her Its Their Our There Here When While After Before Since If Yet So Mr "
    "Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December".split())
NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({w: str(10 * n) for n, w in enumerate(
    "thirty forty fifty sixty seventy eighty ninety".split(), start=3)})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z]+")


def names(text: str) -> list[str]:
    """The reference's capitalised words, its first word and function words aside."""
    words = _WORD_RE.findall(text)
    return [w for w in words[1:] if w[0].isupper() and w not in FUNCTION]


def numbers(text: str) -> list[str]:
    """Digit strings without separators, and number words as digits."""
    found = []
    for token in _NUMBER_RE.findall(text):
        if token[0].isdigit():
            found.append(token.replace(",", "").rstrip("."))
        elif token.lower() in NUMBER_WORDS:
            found.append(NUMBER_WORDS[token.lower()])
    return found


def recall(references: list[str], hypotheses: list[str], find) -> tuple[int, int]:  # noqa: ANN001
    """(found, total) over the items ``find`` gives of each reference, counted as multisets."""
    found = total = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        wanted, present = Counter(find(reference)), Counter(find(hypothesis))
        total += sum(wanted.values())
        found += sum(min(n, present[item]) for item, n in wanted.items())
    return found, total


def with_protected(sources: list[str]) -> tuple[list[str], list[str]]:
    """Each sentence with one protected item after its middle word, and the items."""
    texts, items = [], []
    for number, source in enumerate(sources):
        item = PROTECTED[number % len(PROTECTED)]
        words = source.split(" ")
        middle = len(words) // 2
        texts.append(" ".join([*words[:middle], item, *words[middle:]]))
        items.append(item)
    return texts, items


def measure(label: str, pairs: list[tuple[str, str]], systems: dict) -> list[str]:  # noqa: ANN001
    """A table row per system: BLEU, chrF, name and number recall on ``pairs``."""
    references = [e for _, e in pairs]
    rows = []
    for name, translator in systems.items():
        hypotheses = [t.text for t in translator.translate_iter(a for a, _ in pairs)]
        bleu, chrf = score(hypotheses, references)
        found_names, all_names = recall(references, hypotheses, names)
        found_numbers, all_numbers = recall(references, hypotheses, numbers)
        rows.append(f"| {label} | {name} | {bleu.score:.2f} | {chrf.score:.1f} | "
                    f"{found_names / all_names:.1%} ({found_names}/{all_names}) | "
                    f"{found_numbers / all_numbers:.1%} ({found_numbers}/{all_numbers}) |")
    return rows


@reporting
def test_rows(systems: dict, limit: int | None) -> list[str]:  # noqa: ANN001
    """FLORES-200 devtest, reported once: nothing here steers a choice."""
    return measure("FLORES-200 devtest (test)", testset_pairs(TEST, limit=limit), systems)


def cldr_glossary() -> Glossary:
    """CLDR's city names and territory names, as a user's glossary."""
    terms = [(row[0], row[1]) for row in read_rows(DATA / "lexicon" / "cldr_cities.ar-en.tsv.gz")]
    terms += [(row[0], row[1]) for row in read_rows(DATA / "lexicon" / "cldr_names.ar-en.tsv.gz")
              if len(row) > 2 and row[2] == "territory"]
    return Glossary("cldr-cities+territories", terms)


def glossary_rows(ref, sources: list[str]) -> list[str]:  # noqa: ANN001
    """The share of glossary terms in the English, with and without the glossary."""
    glossary = cldr_glossary()
    wanted = [Counter(e for _, e in glossary.find(s)) for s in sources]
    chosen = [i for i, w in enumerate(wanted) if w]
    rows = []
    for backend in ("ctranslate2", "transformers"):
        for label, terms in (("without the glossary", None), ("with --glossary", glossary)):
            translator = load_translator(ref, backend=backend, word_links="none",
                                         glossary=terms)
            outputs = [t.text for t in translator.translate_iter(sources[i] for i in chosen)]
            found = sum(min(n, output.count(term)) for i, output in zip(chosen, outputs,
                                                                       strict=True)
                        for term, n in wanted[i].items())
            total = sum(sum(wanted[i].values()) for i in chosen)
            rows.append(f"| {backend} | {label} | {found / total:.1%} ({found}/{total}) | "
                        f"{len(chosen)} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory or hub id (default: embedded)")
    parser.add_argument("--limit", type=int, help="first N rows of each set only")
    add_write_option(parser)
    args = parser.parse_args()
    ref = resolve_model(args.model)
    systems = {"facts off (baseline)": load_translator(ref, word_links="none", facts=False),
               "facts on": load_translator(ref, word_links="none"),
               "facts on, transformers backend": load_translator(ref, backend="transformers",
                                                                 word_links="none")}
    rows = ["| set | system | BLEU | chrF | name recall | number recall |",
            "|---|---|---|---|---|---|"]
    rows += measure("UD PUD (dev)", testset_pairs(DEV, limit=args.limit), systems)
    rows += test_rows(systems, args.limit)
    sources = [a for a, _ in testset_pairs(DEV, limit=args.limit)]
    texts, items = with_protected(sources)
    protected_rows = ["| system | byte-identical | by kind of item (kept of inserted) |",
                      "|---|---|---|"]
    for name, translator in systems.items():
        outputs = [t.text for t in translator.translate_iter(texts)]
        kept: Counter[str] = Counter()
        for output, item in zip(outputs, items, strict=True):
            kept[item] += item in output
        total = Counter(items)
        detail = ", ".join(f"`{item}` {kept[item]}/{total[item]}" for item in PROTECTED)
        protected_rows.append(f"| {name} | {sum(kept.values()) / len(items):.1%} "
                              f"({sum(kept.values())}/{len(items)}) | {detail} |")
    found_spans = sum(len(protected_spans(t)) for t in texts)
    glossary = glossary_rows(ref, sources)
    seed = systems["facts on"].translate_document(SEED.read_text(encoding="utf-8"))
    first = [s.target.slice(seed.target_text) for s in seed.segments[:5] if s.target]
    command = "python eval/facts.py" + (f" --model {args.model}" if args.model else "") + \
        (f" --limit {args.limit}" if args.limit else "")
    markdown = "\n".join([
        "## Facts: names, numbers, protected spans", "",
        "Reference-based recall (eval/facts.py's docstring defines it), the pipeline's fact "
        "steps off and on, same model and decoding, in one run. UD PUD is dev (choices are "
        "made there), FLORES-200 devtest is reported only.", "", *rows, "",
        f"Protected spans: UD PUD dev, one item inserted into each of {len(texts)} sentences "
        f"({found_spans} protected spans found in them, the inserted items included).", "",
        *protected_rows, "",
        "Glossary: CLDR city and territory names as a user's glossary, on the UD PUD dev "
        "sentences holding one of its terms; the share of the terms' English in the output.",
        "", "| backend | system | terms in the English | sentences |", "|---|---|---|---|",
        *glossary, "", "The seed article's first sentences (facts on):", "",
        *[f"> {line}" for line in first], "",
        f"Model: {ref.name}@{model_hash(ref.path)}. Command: `{command} --write`; "
        f"machine: {machine()}; date: {today()}.",
    ])
    publish("facts", markdown, args.write and not args.limit)


if __name__ == "__main__":
    main()
