"""Alignment of Arabic with English: words (``words.py``) and documents (``document.py``).

``align_words(source, target, source_span=None, target_span=None)`` gives the
word links of one sentence pair as ``WordLink(source, target, score)`` with
character spans into the texts as given; ``align_words_batch`` does a corpus
in one statistical run. Nothing heavy is imported until they are called.
"""

from mt.align.words import WordAligner, WordLink, align_words, align_words_batch, load_aligner

__all__ = ["WordAligner", "WordLink", "align_words", "align_words_batch", "load_aligner"]
