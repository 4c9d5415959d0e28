"""Facts about Arabic script (and noisy text) that several modules share.

Character classes, clitics and copy-normalisation live here, defined once;
nothing in this module rewrites text that spans point into.
"""

from __future__ import annotations

import re

# Character-class bodies, for building patterns: f"[{ARABIC_LETTERS}]".
# Presentation forms included: NFKC (sentencepiece's normaliser) turns ﷺ into four Arabic words.
ARABIC_LETTERS = (
    "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f"
    "\ufb50-\ufdfb\ufe70-\ufefc"
)
HARAKAT = "\u064b-\u065f\u0670"  # short vowels, shadda, sukun, superscript alef
TATWEEL = "\u0640"
# Harakat, Quranic marks and tatweel: dropped from model input only.
_DIACRITICS = f"\u0610-\u061a{HARAKAT}\u06d6-\u06ed{TATWEEL}"
DIACRITICS_RE = re.compile(f"[{_DIACRITICS}]")
ARABIC_LETTER_RE = re.compile(f"[{ARABIC_LETTERS}]")
# A written word: a letter, then letters, harakat or tatweel.
ARABIC_WORD = f"[{ARABIC_LETTERS}][{ARABIC_LETTERS}{HARAKAT}{TATWEEL}]*"
ARABIC_WORD_RE = re.compile(ARABIC_WORD)
LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
# A surrogate code point in a str is always a lone one (from JSON's "\\ud800"): not a character.
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
EXTENDED_INDIC_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGIT_TABLE = str.maketrans(
    ARABIC_INDIC_DIGITS + EXTENDED_INDIC_DIGITS, "0123456789" * 2
)
ARABIC_DECIMAL_SEPARATOR = "٫"
ARABIC_THOUSANDS_SEPARATOR = "٬"


def to_western_digits(text: str) -> str:
    """Arabic-Indic and extended Arabic-Indic digits as ASCII digits, same length."""
    return text.translate(_DIGIT_TABLE)


def strip_diacritics(text: str) -> str:
    """A copy of ``text`` without harakat and tatweel (for model input, not for spans)."""
    return DIACRITICS_RE.sub("", text)


def has_arabic(text: str) -> bool:
    return ARABIC_LETTER_RE.search(text) is not None


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic (0.0 when there are no letters)."""
    arabic = len(ARABIC_LETTER_RE.findall(text))
    latin = len(LATIN_LETTER_RE.findall(text))
    total = arabic + latin
    return arabic / total if total else 0.0


def strip_diacritics_mapped(text: str) -> tuple[str, list[int]]:
    """``strip_diacritics(text)`` and, for each kept character, its index in ``text``.

    The map has one extra entry, ``len(text)``, so a half-open span of the copy
    maps back as ``[index[start], index[end - 1] + 1)``.
    """
    kept = [i for i, char in enumerate(text) if not DIACRITICS_RE.match(char)]
    return "".join(text[i] for i in kept), [*kept, len(text)]


# Proclitics: a conjunction, then a preposition, then the article (وبالسيارات).
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
# Conjunction and/or preposition, longest first: وب, ب, و ...
PROCLITICS = (*(c + p for c in CONJUNCTIONS for p in PREPOSITIONS), *CONJUNCTIONS,
              *PREPOSITIONS)
# The article behind its proclitics, longest first; ل + ال is written لل.
ARTICLE_PREFIXES = (*dict.fromkeys(
    (c + ARTICLE).replace("لال", "لل") for c in PROCLITICS), ARTICLE)

ALEF_FORMS = "أإآٱٲٳٵ"  # alef with hamza, madda or wasla; all read as bare alef
_ALEF_TABLE = str.maketrans(ALEF_FORMS, "ا" * len(ALEF_FORMS))
_WORD_CHARS_RE = re.compile(r"\w+")


def unify_alef(text: str) -> str:
    """Alef with hamza, madda or wasla as bare alef, same length (a copy for matching)."""
    return text.translate(_ALEF_TABLE)


def matching_key(text: str) -> str:
    """A copy of ``text`` under which near-duplicates compare equal (dedup, leakage).

    NFKC (presentation forms as letters), no harakat or tatweel, bare alef,
    Western digits, case-folded, punctuation dropped and spacing collapsed.
    Text with no word characters keeps its symbols, so ``→`` and ``←`` differ.
    """
    import unicodedata

    folded = to_western_digits(unify_alef(strip_diacritics(
        unicodedata.normalize("NFKC", text)))).casefold()
    return " ".join(_WORD_CHARS_RE.findall(folded)) or " ".join(folded.split())


# Leftovers of software strings that a translation should never learn or keep:
# printf (%s, %1$d), Python %(name)s, {name} {{name}} { $name } {0}, escapes left as
# two characters (\\n), template keys (_NAME, app_name_).
PLACEHOLDER_RE = re.compile(
    r"%(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?l{0,2}[sdiufxXcp@](?![A-Za-z])"
    r"|%\([A-Za-z_]\w*\)[sdif]"
    r"|\{\{?\s*\$?[A-Za-z_][\w.-]*\s*\}\}?|\{\d+\}"
    r"|\\[ntr]"
    r"|_[A-Z]{2,}|[a-z]+_[a-z]+_"
)
PARAMETER_RE = re.compile(r"\$\d\b")  # MediaWiki $1: a placeholder only when on both sides
MARKUP_RE = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")


def has_placeholder(ar: str, en: str) -> bool:
    """Whether a pair carries a placeholder (``$1`` counts only when both sides have one)."""
    if PLACEHOLDER_RE.search(ar) or PLACEHOLDER_RE.search(en):
        return True
    return bool(PARAMETER_RE.search(ar) and PARAMETER_RE.search(en))


def has_markup(ar: str, en: str) -> bool:
    """Whether either side carries a tag or an HTML entity."""
    return bool(MARKUP_RE.search(ar) or MARKUP_RE.search(en))


# Letters of Persian and Urdu that Arabic models' vocabularies mostly lack: written
# as their Arabic look-alikes before translating (one character for one, so offsets
# hold), which the model can read, instead of an unknown piece it must drop.
_FOREIGN_LETTERS = str.maketrans("کگپچژٹڈڑںہۀھےیۍې", "ككبجزتدرنههههييي")
# Emoji and pictographs: no Arabic model has pieces for them, so they pass through.
SYMBOL_RUN_RE = re.compile(
    "[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]"
    "[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d]*")


def arabic_lookalikes(text: str) -> str:
    """Persian and Urdu letters as the Arabic letters they look like (same length)."""
    return text.translate(_FOREIGN_LETTERS)
