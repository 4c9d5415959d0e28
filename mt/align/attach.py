"""English function words that Arabic writes inside another word, or not at all.

Statistical aligners leave them unlinked or link them at random:

- Arabic has no indefinite article, so ``a`` and ``an`` link to nothing;
- ``the`` is ``ال`` inside the noun, or no mark at all on the first noun of
  a construct (``طاولة المطبخ``, the kitchen counter): an unlinked ``the``
  joins the word of the noun after it;
- a subject pronoun is the verb's prefix or suffix (``احتاج``, I need;
  ``أخذتُ``, I took): an unlinked ``I``/``you``/``we``/… joins the verb
  after it (or the auxiliary before it, ``can I``), unless the Arabic writes
  the pronoun as a word of its own that is still unlinked;
- an object pronoun is the verb's suffix, or part of a fixed phrase
  (``شكرا``, thank you; ``معذرة``, excuse me): an unlinked ``me``/``him``/…
  joins the word before it.

Only content words lend their links: never a punctuation mark.
"""

from __future__ import annotations

from collections.abc import Sequence

from mt.align.tokens import normalise_arabic
from mt.types import Span

ATTACHED_SCORE = 0.5
NO_COUNTERPART = frozenset({"a", "an"})
ARTICLE_REACH = 3  # words after "the" to look for its noun
SUBJECT_PRONOUNS = {
    "i": {"انا"}, "you": {"انت", "انتم", "انتما", "انتن", "انتي"}, "we": {"نحن"},
    "he": {"هو"}, "she": {"هي"}, "they": {"هم", "هن", "هما"},
}
OBJECT_PRONOUNS = frozenset({"me", "him", "her", "us", "them"})
AUXILIARIES = frozenset(
    "can could will would shall should may might must do does did am are is was were have has "
    "had".split())

Links = dict[tuple[int, int], float]


def attach_function_words(source: str, target: str, source_words: Sequence[Span],
                          target_words: Sequence[Span], links: Links) -> Links:
    """``links`` (word index pairs to scores) with the English function words above fixed."""
    lower = [w.slice(target).lower() for w in target_words]
    links = {(i, j): s for (i, j), s in links.items() if lower[j] not in NO_COUNTERPART}
    content = [any(c.isalnum() for c in w) for w in lower]
    by_target: dict[int, list[int]] = {}
    for i, j in sorted(links):
        if content[j] and any(c.isalnum() for c in source_words[i].slice(source)):
            by_target.setdefault(j, []).append(i)
    linked_source = {i for i, _ in links}
    arabic = [normalise_arabic(w.slice(source)) for w in source_words]
    added: Links = {}
    for j, word in enumerate(lower):
        if j in by_target or not content[j]:
            continue
        before_auxiliary = j > 0 and lower[j - 1] in AUXILIARIES
        if word == "the":
            neighbours = list(range(j + 1, j + 1 + ARTICLE_REACH))
        elif word in SUBJECT_PRONOUNS:
            own = [i for i, form in enumerate(arabic)
                   if form in SUBJECT_PRONOUNS[word] and i not in linked_source]
            if own:
                added[own[0], j] = ATTACHED_SCORE
                linked_source.add(own[0])
                continue
            # "you" is an object too: "thank you" lends from before when nothing follows.
            neighbours = [j - 1] if before_auxiliary else [j + 1, j + 2]
            if word == "you":
                neighbours.append(j - 1)
        elif word in OBJECT_PRONOUNS:
            neighbours = [j - 1]
        else:
            continue
        for k in neighbours:
            if k in by_target:
                added[by_target[k][0], j] = ATTACHED_SCORE
                break
    return {**links, **added}
