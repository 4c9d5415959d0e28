"""Translating units, streams and whole documents, with word links and a signature.

Three tiers, as in CTranslate2: ``translate_batch`` on the backend,
``Translator.translate_iter`` (streaming, local length sorting, order kept),
and ``translate_document`` / ``translate_lines`` giving a whole text's
segments and word links (a ``TranslatedText``). Translation traces nothing:
the caller that wants the traced spans adds them with
``mt.trace.trace_translation``. No input is ever truncated: a unit longer
than the model's limit is split at clause or word boundaries, translated in
pieces and joined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields, replace
from itertools import islice
from typing import Protocol

from mt.arabic import arabic_lookalikes, has_arabic, strip_diacritics_mapped
from mt.facts import find_facts
from mt.glossary import Glossary
from mt.protect import Masked, mask
from mt.segment import line_breaks, split_lines, split_sentences
from mt.translate.backend import Backend, Hypothesis, Scored
from mt.translate.links import ALIGNMENT_HEADS, word_links
from mt.translate.options import TranslatorOptions
from mt.translate.repair import repair
from mt.types import Link, Repair, Segment, Signature, Span, TranslatedText, WordLink

ProgressCallback = Callable[[int], None]
CLAUSE_BREAK_RE = re.compile(r"[،,؛;:]\s+|\s+(?=و)")
WORD_BREAK_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Translation:
    """One source unit's translation; link spans are relative to ``source`` and ``text``."""

    source: str
    text: str
    score: float
    links: tuple[WordLink, ...] = ()
    copied: bool = False  # no Arabic letters: the source itself, not translated
    repairs: tuple[Repair, ...] = ()  # names and numbers written in after decoding


def _chunks(text: str, breaks: re.Pattern[str], fits: Callable[[str], bool]) -> list[Span]:
    """Greedy packing of the pieces between ``breaks`` into spans of ``text`` that fit."""
    cuts = [m.end() for m in breaks.finditer(text)] + [len(text)]
    spans: list[Span] = []
    start = previous = 0
    for cut in cuts:
        if previous > start and not fits(text[start:cut]):
            spans.append(Span(start, previous))
            start = previous
        previous = cut
    spans.append(Span(start, len(text)))
    return spans


def split_long(text: str, count_tokens: Callable[[str], int], limit: int) -> list[Span]:
    """``text`` as spans of at most ``limit`` tokens: whole, at clauses, at words, at characters."""
    def fits(piece: str) -> bool:
        return count_tokens(piece) <= limit

    if fits(text):
        return [Span(0, len(text))]
    result: list[Span] = []
    for clause in _chunks(text, CLAUSE_BREAK_RE, fits):
        if fits(clause.slice(text)):
            result.append(clause)
            continue
        for words in _chunks(clause.slice(text), WORD_BREAK_RE, fits):
            words = words.shift(clause.start)
            if fits(words.slice(text)):
                result.append(words)
                continue
            step = max(1, limit // 2)  # one giant "word": cut by characters
            result.extend(Span(s, min(s + step, words.end))
                          for s in range(words.start, words.end, step))
    return [span for span in result if span.slice(text).strip()]


def _take(iterator: Iterator[str], size: int) -> list[str]:
    """Up to ``size`` items; from a live source (see ``mt.inputs.LiveLines``), only those ready.

    So the first lines typed into a pipe are answered at once, not after ``size``.
    """
    window = list(islice(iterator, 1))
    pending = getattr(iterator, "pending", None)
    while window and len(window) < size and (pending is None or pending()):
        item = next(iterator, None)
        if item is None:
            break
        window.append(item)
    return window


def _fitting_input(backend: Backend) -> int:
    """Most source pieces whose decoding limit still fits the model's positions.

    With ``</s>`` on the source and the start token on the target, both sides
    then stay within ``max_positions``, whatever the checkpoint has.
    """
    fits = backend.max_positions - 1
    pieces = fits - 1
    while pieces > 1 and backend.options.max_new_tokens(pieces + 1) > fits:
        pieces -= 1
    return pieces


def _plan(text: str, model_spans: Callable[[str], list[Span]],
          facts: Sequence[tuple[Span, str]]) -> list[tuple[Span, str | None]]:
    """``text`` as pieces in order, each (span, its English, or None where the model
    translates it): the ``facts``, put in as they are given, and the stretches
    between, cut by ``model_spans`` where they have Arabic and copied where not."""
    pieces: list[tuple[Span, str | None]] = []
    start = 0
    for span, english in [*facts, (Span(len(text), len(text)), "")]:
        stretch = text[start:span.start]
        if has_arabic(stretch):
            pieces += [(piece.shift(start), None) for piece in model_spans(stretch)]
        elif stretch.strip():
            left = len(stretch) - len(stretch.lstrip())
            kept = Span(start + left, start + len(stretch.rstrip()))
            pieces.append((kept, kept.slice(text)))
        if len(span):
            pieces.append((span, english))
        start = span.end
    return pieces


def _unmasked(masked: Masked, translation: Translation) -> Translation | None:
    """The translation of a masked unit with its placeholders replaced by their facts'
    English, links mapped back to the unit; None where the model lost or garbled one."""
    found = masked.unmask(translation.text)
    if found is None:
        return None
    text, copies, moved = found
    links = [WordLink(old, new, 1.0) for old, new in copies]
    for source, target, weight in translation.links:
        target = Span(moved[target.start], moved[target.end])
        if not any(target.start < new.end and new.start < target.end for _, new in copies):
            links.append(WordLink(masked.source_span(source), target, weight))
    return Translation(masked.original, text, translation.score, tuple(sorted(links)))


def _put_in(source: str, english: str) -> Translation:
    """A piece whose English is given (a copy, or a glossary term), linked to its source."""
    return Translation(source, english, 0.0,
                       (WordLink(Span(0, len(source)), Span(0, len(english)), 1.0),),
                       copied=True)


def _join(translations: list[tuple[Span, Translation]], source: str) -> Translation:
    """Pieces of one unit joined back into one translation, links shifted.

    Two translated pieces are joined by a space; a copied piece keeps the
    source's spacing on that side (``(GitHub)`` stays whole), but not after an
    Arabic letter it is written against (``وGitHub``: "and GitHub", the
    proclitic being a word of its own in English). The score is the translated
    pieces' mean: a copy has no log-probability.
    """
    texts: list[str] = []
    links: list[WordLink] = []
    scores: list[float] = []
    offset = 0
    previous: tuple[Span, Translation] | None = None
    for span, piece in translations:
        if previous is not None:
            touching = previous[0].end == span.start and not source[span.start - 1].isspace() \
                and not source[span.start].isspace() and not has_arabic(source[span.start - 1])
            separator = "" if touching and (piece.copied or previous[1].copied) else " "
            texts.append(separator)
            offset += len(separator)
        links.extend(WordLink(s.shift(span.start), t.shift(offset), w)
                     for s, t, w in piece.links)
        texts.append(piece.text)
        if not piece.copied:
            scores.append(piece.score)
        offset += len(piece.text)
        previous = (span, piece)
    return Translation(source, "".join(texts), sum(scores) / len(scores) if scores else 0.0,
                       tuple(links))


class Aligner(Protocol):
    """What the translator needs of a word aligner (``mt.align.words.WordAligner``)."""

    @property
    def signature(self) -> str: ...

    def align_batch(self, pairs: Sequence[tuple[str, str]],
                    spans: Sequence[tuple[Span | None, Span | None]] | None = None,
                    hints: Sequence[Iterable[WordLink]] | None = None
                    ) -> Sequence[Sequence[WordLink]]: ...


class Translator:
    """Document-level translation over any backend, its settings fixed at construction.

    With an ``aligner``, a document's links come from it, in one batch, with the
    model's attention as hints (attention alone is weak in a small model);
    without one, from attention alone; none when the backend gives no attention.
    The signature is derived from the backend, its model and options and the
    aligner: another setting is another ``Translator``.
    """

    def __init__(self, backend: Backend, options: TranslatorOptions | None = None,
                 aligner: Aligner | None = None, facts: bool = True,
                 glossary: Glossary | None = None) -> None:
        from mt.models import model_hash

        self._backend = backend
        self._options = options or TranslatorOptions()
        self._aligner = aligner
        self._facts = facts
        self._glossary = glossary
        self._unit_limit = min(self._options.max_input_tokens, backend.max_input_tokens,
                               _fitting_input(backend))
        model, decode = backend.model, backend.options
        method = "attention" + (f"+{aligner.signature}" if aligner else "")
        self._settings = Signature(
            aligner=method if backend.attention else "none", model=model.name,
            weights=model_hash(model.path), revision=model.revision, backend=backend.family,
            compute_type=backend.compute_type,
            decode=tuple(zip((f.name for f in fields(decode)), astuple(decode), strict=True)),
            attention_heads=ALIGNMENT_HEADS.label if backend.attention else None,
            facts=facts, glossary=None if glossary is None else glossary.name)

    @property
    def backend(self) -> Backend:
        return self._backend

    @property
    def options(self) -> TranslatorOptions:
        return self._options

    @property
    def aligner(self) -> Aligner | None:
        return self._aligner

    @property
    def facts(self) -> bool:
        """Whether facts are put in: protected spans and glossary terms through placeholders,
        names and numbers put right after decoding (``mt.translate.repair``)."""
        return self._facts

    @property
    def glossary(self) -> Glossary | None:
        return self._glossary

    @property
    def max_input_tokens(self) -> int:
        """Source pieces of one unit at most: the options' limit within the model's."""
        return self._unit_limit

    @property
    def settings(self) -> Signature:
        """Everything that decides this translator's output."""
        return self._settings

    @property
    def signature(self) -> str:
        """The settings as trace documents carry them."""
        return str(self._settings)

    def _count(self, text: str) -> int:
        return len(self._backend.tokenize(text))

    def _translate_units(self, units: list[str]) -> list[Translation]:
        """Translate model-ready units (each within the limit), sorted into token batches."""
        normalised = [(arabic_lookalikes(text), index)
                      for text, index in map(strip_diacritics_mapped, units)]
        lengths = [self._count(text) for text, _ in normalised]
        order = sorted(range(len(units)), key=lambda i: lengths[i])
        results: list[Translation | None] = [None] * len(units)
        batch: list[int] = []

        def flush() -> None:
            hypotheses = self._backend.translate_batch([normalised[i][0] for i in batch])
            for index, hypothesis in zip(batch, hypotheses, strict=True):
                results[index] = self.to_translation(units[index], *normalised[index],
                                                     hypothesis)
            batch.clear()

        for index in order:
            if not units[index].strip():
                results[index] = Translation(units[index], "", 0.0)
                continue
            widest = max([lengths[i] for i in batch] + [lengths[index]])
            if batch and (widest * (len(batch) + 1) > self._options.max_batch_tokens
                          or len(batch) >= self._options.max_batch_size):
                flush()
            batch.append(index)
        if batch:
            flush()
        return [r for r in results if r is not None]

    @staticmethod
    def to_translation(unit: str, normalised: str, index: list[int],
                       hypothesis: Hypothesis) -> Translation:
        """``hypothesis`` for the normalised ``unit`` as a translation of ``unit``: attention
        links mapped onto its characters through ``index`` (what eval/word_links.py scores)."""
        links: tuple[WordLink, ...] = ()
        if hypothesis.attention is not None:
            links = tuple(
                WordLink(Span(index[s.start], index[s.end - 1] + 1), t, w)
                for s, t, w in word_links(normalised, hypothesis.source_pieces, hypothesis.text,
                                          hypothesis.target_pieces, hypothesis.attention)
            )
        return Translation(unit, hypothesis.text, hypothesis.score, links)

    def _facts_of(self, text: str) -> list[tuple[Span, str]]:
        return find_facts(text, self._glossary) if self._facts else []

    def _masked(self, text: str, facts: list[tuple[Span, str]]) -> Masked | None:
        """``text`` with its ``facts`` as placeholders, when it has some and is one unit
        (one sentence that fits the model)."""
        if not facts:
            return None
        masked = mask(text, facts)
        return masked if len(self._units(masked.text)) == 1 else None

    def _translate_planned(self, texts: Sequence[str],
                           facts: Sequence[list[tuple[Span, str]]]) -> list[Translation]:
        """Units cut into pieces at their ``facts`` (see ``_plan``): the model's pieces in
        one batch."""
        plans = [_plan(text, self._units, found)
                 for text, found in zip(texts, facts, strict=True)]
        translated = iter(self._translate_units(
            [span.slice(text) for text, plan in zip(texts, plans, strict=True)
             for span, english in plan if english is None]))
        return [_join([(span, next(translated) if english is None
                        else _put_in(span.slice(text), english)) for span, english in plan],
                      text)
                for text, plan in zip(texts, plans, strict=True)]

    def _translate_window(self, window: list[str]) -> list[Translation]:
        """A window of units. A unit with facts (``mt.facts``) is translated with them as
        placeholders; where the model lost one, cut at them and translated around them."""
        results: list[Translation | None] = [None] * len(window)
        facts = {i: self._facts_of(text) for i, text in enumerate(window) if has_arabic(text)}
        masks = {i: m for i, found in facts.items()
                 if (m := self._masked(window[i], found)) is not None}
        for (index, masked), translation in zip(
                masks.items(), self._translate_units([m.text for m in masks.values()]),
                strict=True):
            results[index] = _unmasked(masked, translation)
        pending = [i for i in facts if results[i] is None]
        for index, translation in zip(pending, self._translate_planned(
                [window[i] for i in pending], [facts[i] for i in pending]), strict=True):
            results[index] = translation
        if self._facts:
            for index, found in facts.items():
                done = results[index]
                if done is not None:
                    text, links, repairs = repair(done.source, done.text, done.links,
                                                  [span for span, _ in found])
                    results[index] = replace(done, text=text, links=links, repairs=repairs)
        return [result if result is not None
                else Translation(text, text, 0.0, copied=True) if text.strip()
                else Translation(text, "", 0.0)  # nothing Arabic to translate: copied
                for text, result in zip(window, results, strict=True)]

    def translate_iter(self, sources: Iterable[str],
                       progress: ProgressCallback | None = None) -> Iterator[Translation]:
        """Translations of ``sources`` in order, streamed window by window."""
        iterator = iter(sources)
        while window := _take(iterator, self._options.window):
            yield from self._translate_window(window)
            if progress is not None:
                progress(len(window))

    def _units(self, text: str) -> list[Span]:
        """What the model translates of ``text``: its sentences, a long one cut to fit.

        A line of several sentences (``--lines``, a ``q`` of the API) is never one
        unit: the model drops sentences from a unit it was not trained on.
        """
        sentences = split_sentences(text, "ar")
        if len(sentences) <= 1:
            return split_long(text, self._count, self._unit_limit)
        return [piece.shift(sentence.span.start) for sentence in sentences
                for piece in split_long(sentence.span.slice(text), self._count,
                                        self._unit_limit)]

    def translate_spans(self, text: str, spans: list[Span], one_per_line: bool = False,
                        progress: ProgressCallback | None = None) -> TranslatedText:
        """The translation of ``text`` whose segments are ``spans`` of it.

        Between two segments the translation gets as many newlines as the source
        has there (a space when it has none), so paragraphs keep their shape;
        ``one_per_line`` puts exactly one newline between segments instead.
        """
        translations = self.translate_iter((s.slice(text) for s in spans), progress)
        parts: list[str] = []
        segments: list[Segment] = []
        links: list[Link] = []
        copied: list[int] = []
        repairs: list[Repair] = []
        offset = 0
        for number, (span, translation) in enumerate(zip(spans, translations, strict=True)):
            if number:
                gap = text[spans[number - 1].end:span.start]
                separator = "\n" if one_per_line else "\n" * line_breaks(gap) or " "
                parts.append(separator)
                offset += len(separator)
            target = Span(offset, offset + len(translation.text))
            segments.append(Segment(number, span, target, round(translation.score, 4)))
            links.extend(Link(number, s.shift(span.start), t.shift(offset), round(w, 4))
                         for s, t, w in translation.links)
            repairs.extend(Repair(r.kind, r.source.shift(span.start), r.target.shift(offset),
                                  number) for r in translation.repairs)
            parts.append(translation.text)
            offset = target.end
            if translation.copied:
                copied.append(number)
        target_text = "".join(parts)
        if self._aligner is not None:
            links = self._align_words(self._aligner, text, target_text, segments, links)
        return TranslatedText(self.signature, text, target_text, tuple(segments), tuple(links),
                              tuple(copied), tuple(repairs))

    @staticmethod
    def _align_words(aligner: Aligner, source: str, target: str, segments: list[Segment],
                     attention: list[Link]) -> list[Link]:
        """Word links of every translated segment from the word aligner, in one batch."""
        hints: dict[int, list[WordLink]] = {}
        for link in attention:
            hints.setdefault(link.segment, []).append(
                WordLink(link.source, link.target, link.score))
        aligned = [s for s in segments if s.source and s.target and len(s.target)]
        found = aligner.align_batch(
            [(source, target)] * len(aligned), [(s.source, s.target) for s in aligned],
            [hints.get(s.id, []) for s in aligned])
        return [Link(segment.id, s, t, round(w, 4))
                for segment, links in zip(aligned, found, strict=True) for s, t, w in links]

    def translate_document(self, text: str,
                           progress: ProgressCallback | None = None) -> TranslatedText:
        """A whole document, split into sentences by ``mt.segment``."""
        spans = [sentence.span for sentence in split_sentences(text, "ar")]
        return self.translate_spans(text, spans, progress=progress)

    def translate_lines(self, text: str,
                        progress: ProgressCallback | None = None) -> TranslatedText:
        """One segment per input line, empty lines included: one output line per input line."""
        return self.translate_spans(text, split_lines(text), one_per_line=True,
                                    progress=progress)

    def nbest_iter(self, sources: Iterable[str], n: int,
                   progress: ProgressCallback | None = None
                   ) -> Iterator[tuple[str, list[Scored]]]:
        """Each of ``sources`` with its ``nbest``, in order, streamed window by window."""
        iterator = iter(sources)
        while window := _take(iterator, self._options.window):
            yield from zip(window, self.nbest(window, n), strict=True)
            if progress is not None:
                progress(len(window))

    def nbest(self, texts: Sequence[str], n: int) -> list[list[Scored]]:
        """Up to ``n`` distinct translations of each text from the beam's ``n`` best, best
        first: the raw beam, for reranking, data and alternatives (no facts put in, no
        stutter guard, no word links, so the first is not always ``translate_document``'s).

        Each unit (sentence) is decoded alone; the k-th translation of a text joins its
        units' k-th outputs (a unit's last where it has fewer) with a space, scored by
        their mean. A unit without Arabic is copied.
        """
        units = [[span.slice(text) for span in self._units(text)] for text in texts]
        todo = [unit for parts in units for unit in parts if has_arabic(unit)]
        decoded: list[list[Scored]] = []
        size = self._options.max_batch_size
        for begin in range(0, len(todo), size):
            decoded += self._backend.nbest([arabic_lookalikes(strip_diacritics_mapped(u)[0])
                                            for u in todo[begin:begin + size]], n)
        found = iter(decoded)
        results = []
        for parts in units:
            ranked = [next(found) if has_arabic(unit) else [Scored(unit.strip(), 0.0)]
                      for unit in parts]
            translated = [r for r, unit in zip(ranked, parts, strict=True) if has_arabic(unit)]
            distinct: dict[str, float] = {}
            for k in range(n):
                picks = [r[min(k, len(r) - 1)] for r in ranked]
                text = " ".join(p.text for p in picks if p.text)
                scores = [r[min(k, len(r) - 1)].score for r in translated]
                distinct.setdefault(text, sum(scores) / len(scores) if scores else 0.0)
            results.append([Scored(text, round(score, 4)) for text, score in distinct.items()])
        return results
