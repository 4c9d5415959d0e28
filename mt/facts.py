"""Facts the English must get right whatever the model does: what the translator puts
in through a placeholder (``mt.protect.mask``) instead of leaving it to the model.

Each fact is a span of the Arabic and the English it must become:
- the terms of a user's glossary (``mt.glossary``): their English;
- protected spans (``mt.protect``): themselves, byte for byte.

Numbers are not among them: put in the same way as an English reader writes
them (``7 آلاف`` 7,000), they lowered number recall on UD PUD dev (66.7% to
64.4%), and names cost dev BLEU (eval/RESULTS.md, "Facts"; PROTOCOL.md).
"""

from __future__ import annotations

from mt.glossary import Glossary
from mt.protect import protected_spans
from mt.types import Span


def find_facts(text: str, glossary: Glossary | None = None) -> list[tuple[Span, str]]:
    """Every fact of ``text`` as (span, English), in order, none overlapping: a glossary
    term wins over a protected span it overlaps."""
    facts = [] if glossary is None else glossary.find(text)
    for span in protected_spans(text):
        if not any(span.start < k.end and k.start < span.end for k, _ in facts):
            facts.append((span, span.slice(text)))
    return sorted(facts, key=lambda fact: fact[0].start)
