"""How alike an Arabic word and a Latin word sound: transliteration similarity for names.

Both words become strings of sound classes (``ق ك`` and ``c k q`` are all
``K``; ``ش`` and ``sh`` are ``X``). A weighted edit distance then compares
them: Arabic writes long vowels (``ا و ي``) but not short ones, so an English
vowel costs little to insert, and near sounds (``t``/``d``, ``s``/``z``) cost
half a mismatch. ``similarity`` is 1 for a perfect match, near 0 for unrelated
words; ``سارة``/``Sara`` 1.0, ``زينب``/``Zainab`` 0.95, ``كريم``/``car`` 0.48.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from mt.arabic import strip_diacritics

VOWEL = "V"
LONG_VOWELS = frozenset("AWY")  # ا و ي: vowels or consonants in Arabic script
_ARABIC_DIGRAPHS = {"تش": "X", "دج": "J"}
_ARABIC = {
    **dict.fromkeys("بپ", "B"), **dict.fromkeys("تط", "T"), "ث": "T", "ج": "J", "چ": "X",
    **dict.fromkeys("حه", "H"), **dict.fromkeys("خقك", "K"), **dict.fromkeys("دضذ", "D"),
    "ر": "R", **dict.fromkeys("زظ", "Z"), **dict.fromkeys("سص", "S"), "ش": "X",
    **dict.fromkeys("غگ", "G"), **dict.fromkeys("فڤ", "F"), "ل": "L", "م": "M", "ن": "N",
    "و": "W", **dict.fromkeys("يئ", "Y"), **dict.fromkeys("اآأإىة", "A"),
    **dict.fromkeys("ءؤع", ""),
}
_ENGLISH_DIGRAPHS = {"sh": "X", "ch": "X", "th": "T", "kh": "K", "gh": "G", "ph": "F",
                     "ck": "K", "dh": "D", "ou": VOWEL, "ee": VOWEL, "oo": VOWEL}
_ENGLISH = {
    **dict.fromkeys("bp", "B"), **dict.fromkeys("fv", "F"), "t": "T", "d": "D", "j": "J",
    "g": "G", **dict.fromkeys("kcq", "K"), "x": "KS", "h": "H", "r": "R", "z": "Z", "s": "S",
    "l": "L", "m": "M", "n": "N", "w": "W", "y": "Y", **dict.fromkeys("aeiou", VOWEL),
}
_NEAR = {frozenset(p) for p in ("TD", "KG", "GJ", "BF", "SX", "TS", "JX", "HK", "DZ")}
SZ = frozenset("SZ")  # an English s between vowels is a z: Rosa روزا, Elizabeth إليزابيث
_SOFTENED = {"c": "S", "g": "J"}  # before e, i, y: Cecil سيسيل, Gisèle جيزيل
VOWEL_INSERT = 0.15  # short vowels are not written in Arabic
LONG_VOWEL_DROP = 0.4
H_INSERT = 0.4  # a silent h: Sarah, Ahmed's h is written though


def _classes(word: str, digraphs: dict[str, str], letters: dict[str, str],
             softened: dict[str, str] | None = None) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in digraphs:
            symbol, i = digraphs[pair], i + 2
        elif softened and word[i] in softened and pair[1:] in ("e", "i", "y"):
            symbol, i = softened[word[i]], i + 1
        else:
            symbol, i = letters.get(word[i], ""), i + 1
        for char in symbol:
            if not out or out[-1] != char:  # doubled letters are one sound (no shadda)
                out.append(char)
    return "".join(out)


@lru_cache(maxsize=65536)
def arabic_sounds(word: str) -> str:
    """Sound classes of an Arabic word: ``زينب`` → ``ZYNB``."""
    return _classes(strip_diacritics(word), _ARABIC_DIGRAPHS, _ARABIC)


@lru_cache(maxsize=65536)
def latin_sounds(word: str) -> str:
    """Sound classes of a Latin word, accents dropped: ``Zainab`` → ``ZVNVB``."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word.lower())
                    if not unicodedata.combining(c))
    return _classes(plain, _ENGLISH_DIGRAPHS, _ENGLISH, _SOFTENED)


@lru_cache(maxsize=1024)
def _substitution(a: str, e: str) -> float:
    if a == e or (a in LONG_VOWELS and e == VOWEL):
        return 0.0
    if a in LONG_VOWELS and e in LONG_VOWELS:  # و/ي for y/w
        return 0.3
    pair = frozenset((a, e))
    return 0.3 if pair == SZ else 0.5 if pair in _NEAR else 1.0


def _insertion(e: str) -> float:
    return VOWEL_INSERT if e == VOWEL else H_INSERT if e == "H" else 1.0


@lru_cache(maxsize=65536)
def sound_distance(arabic: str, latin: str, limit: float = float("inf")) -> float:
    """Weighted edit distance between two sound-class strings; ``inf`` as soon as it
    must exceed ``limit`` (a row's minimum never falls), which is what makes a
    thresholded comparison cheap."""
    inserts = [_insertion(e) for e in latin]
    previous = [0.0]
    for cost in inserts:
        previous.append(previous[-1] + cost)
    for a in arabic:
        drop = LONG_VOWEL_DROP if a in LONG_VOWELS else 1.0
        current = [previous[0] + drop]
        for j, e in enumerate(latin):
            current.append(min(previous[j + 1] + drop, current[j] + inserts[j],
                               previous[j] + _substitution(a, e)))
        if min(current) > limit:
            return float("inf")
        previous = current
    return previous[-1]


def similarity(arabic: str, latin: str, floor: float = 0.0) -> float:
    """Transliteration similarity in [0, 1] of an Arabic word and a Latin-script word.

    A score below ``floor`` may come back as 0.0: callers that only keep scores
    at a threshold pass it, and the distance stops early.
    """
    a, e = arabic_sounds(arabic), latin_sounds(latin)
    consonants = max(sum(c not in LONG_VOWELS for c in a), sum(c != VOWEL for c in e), 1)
    if not a or not e:
        return 0.0
    return max(0.0, 1.0 - sound_distance(a, e, (1.0 - floor) * consonants + 1e-9) / consonants)
