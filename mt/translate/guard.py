"""The stutter guard: no piece or short run of pieces three times in a row in the output,
and no word twice in a row.

Small MarianMT models fall into loops inside a word ("as|ual|ual|ual") that an
n-gram ban of 4 cannot see, and double words ("armed armed arms"; 13.6% of the
embedded model's outputs on UD PUD dev against 0.1% of the references). Both
backends decode, then hand their hypotheses here: in a hypothesis that
stutters, every repeat of a run past the second is cut, and so is the first
of a doubled word, its pieces and attention rows together so that word links
stay aligned with the text. (Decoding a stuttering sentence again with no
repeated bigram scored the same on dev and degrades badly on weak models; see
eval/RESULTS.md.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from mt.translate.backend import Hypothesis
from mt.translate.options import DecodeOptions

MAX_RUN = 4  # runs of up to this many pieces are checked
MAX_REPEATS = 2  # a run may occur twice in a row ("ha ha"), not three times
_WORD_RE = re.compile(r"\w+")
_LETTERS_REPEATED_RE = re.compile(r"([^\W\d_]{1,8}?)\1\1")  # "ualualual", "sss"
_LEADING_LETTERS_RE = re.compile(r"[^\W\d_]+")
# Words whose tripled letters are English, not a loop: Roman numerals ("Part III", "XXX"), "www".
_TRIPLES_IN_ENGLISH_RE = re.compile(r"[IVXLCDM]+|www|WWW")  # capitals only: "dididid" loops
WORD_START = "▁"  # sentencepiece's mark of a piece that begins a word
DOUBLES_IN_ENGLISH = frozenset({"had", "that"})  # "he had had enough", "that that is"


def _repeats_at(pieces: list[str], stop: int) -> bool:
    """Whether ``pieces[:stop]`` ends in a run repeated ``MAX_REPEATS + 1`` times."""
    for run in range(1, MAX_RUN + 1):
        begin = stop - run * (MAX_REPEATS + 1)
        if begin < 0:
            break
        unit = pieces[stop - run:stop]
        if all(pieces[begin + k * run:begin + (k + 1) * run] == unit
               for k in range(MAX_REPEATS)):
            return True
    return False


def stutter_start(pieces: list[str]) -> int | None:
    """Index of the first piece that completes a third repeat of a run, or None."""
    for stop in range(1, len(pieces) + 1):
        if _repeats_at(pieces, stop):
            return stop - 1
    return None


def repeats_word(text: str) -> bool:
    """Whether a word occurs three times in a row (case-insensitive)."""
    words = [w.casefold() for w in _WORD_RE.findall(text)]
    return any(words[i] == words[i + 1] == words[i + 2] for i in range(len(words) - 2))


def text_stutters(text: str) -> bool:
    """Whether a reader sees a stutter: letters looping inside a word, or a word three times."""
    looping = any(_LETTERS_REPEATED_RE.search(word) and not _TRIPLES_IN_ENGLISH_RE.fullmatch(word)
                  for word in _WORD_RE.findall(text))
    return looping or repeats_word(text)


def stutters(hypothesis: Hypothesis) -> bool:
    return stutter_start(hypothesis.target_pieces) is not None or repeats_word(hypothesis.text)


def _without_runs(pieces: list[str]) -> list[int]:
    """Indices of ``pieces`` left after cutting every run's third and later repeats."""
    kept: list[int] = []
    text: list[str] = []
    for index, piece in enumerate(pieces):
        text.append(piece)
        if _repeats_at(text, len(text)):
            text.pop()
        else:
            kept.append(index)
    return kept


def _words(pieces: list[str]) -> list[list[int]]:
    """Indices of ``pieces`` grouped into words: a word begins at a piece marked ``▁``."""
    words: list[list[int]] = []
    for index, piece in enumerate(pieces):
        if piece.startswith(WORD_START) or not words:
            words.append([])
        words[-1].append(index)
    return words


def _doubled(word: str, following: str) -> bool:
    """Whether ``word``, letters only, is repeated by the word after it ("armed armed,")."""
    letters = _LEADING_LETTERS_RE.match(following)
    return (word.isalpha() and word.casefold() not in DOUBLES_IN_ENGLISH
            and letters is not None and letters.group().casefold() == word.casefold())


def _without_doubled_words(pieces: list[str]) -> list[int]:
    """Indices of ``pieces`` left after cutting each word that the next word repeats.

    The first copy goes, so that punctuation the second one carries ("September
    September.") stays.
    """
    groups = _words(pieces)
    words = ["".join(pieces[i] for i in group).removeprefix(WORD_START) for group in groups]
    return [index for k, group in enumerate(groups)
            if not (k + 1 < len(words) and _doubled(words[k], words[k + 1]))
            for index in group]


def doubles_word(pieces: list[str]) -> bool:
    """Whether a word of letters follows itself (``▁armed ▁armed``)."""
    return len(_without_doubled_words(pieces)) < len(pieces)


def kept_pieces(pieces: list[str]) -> list[int]:
    """Indices of ``pieces`` left after cutting third repeats of runs and doubled words."""
    runs_cut = _without_runs(pieces)
    return [runs_cut[i] for i in _without_doubled_words([pieces[i] for i in runs_cut])]


def collapse(hypothesis: Hypothesis, detokenize: Callable[[list[str]], str]) -> Hypothesis:
    """``hypothesis`` with repeated runs cut to two and doubled words to one; attention
    rows follow the pieces."""
    kept = kept_pieces(hypothesis.target_pieces)
    pieces = [hypothesis.target_pieces[i] for i in kept]
    attention = hypothesis.attention[kept] if hypothesis.attention is not None else None
    return replace(hypothesis, text=detokenize(pieces).strip(), target_pieces=pieces,
                   attention=attention)


def guarded(decode: Callable[[list[str]], list[Hypothesis]],
            detokenize: Callable[[list[str]], str], texts: list[str],
            options: DecodeOptions) -> list[Hypothesis]:
    """``decode(texts)`` with the repeats of stuttering hypotheses cut (when ``options.guard``)."""
    hypotheses = decode(texts)
    if not options.guard:
        return hypotheses
    return [collapse(h, detokenize) if stutters(h) or doubles_word(h.target_pieces) else h
            for h in hypotheses]
