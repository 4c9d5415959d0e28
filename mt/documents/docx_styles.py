"""The look of Arabic runs given to their English: complex-script properties made Latin ones.

Word shows Arabic with a run's complex-script properties (``w:szCs``, ``w:bCs``,
``w:iCs``) and English with the Latin ones (``w:sz``, ``w:b``, ``w:i``); a document
written in Arabic often sets only the first, or sets the two apart (Arabic at 12 pt,
Latin at the default 10 or a larger 14). A translated run gets, where the two differ
and the complex-script one is set somewhere,
the Latin property set to its complex-script value, each looked up as Word does:
the run, its character style, its paragraph's style (each with the styles it is based
on), the document defaults. ``w:rtl`` and ``w:cs`` (show this run as complex script)
are removed from it.
"""

from __future__ import annotations

from typing import Any

from mt.documents.docx_package import local, w

PAIRS = (("szCs", "sz"), ("bCs", "b"), ("iCs", "i"))
DEFAULTS = {"sz": "20", "szCs": "20"}  # half-points: Word's 10 pt; b and i default off
# Run properties in the order the schema wants them (those after sz, b, i that matter).
ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
         "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
         "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight",
         "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
         "eastAsianLayout", "specVanish", "oMath")
_TRUE = {"1", "on", "true"}


def _value(name: str, element: Any | None) -> str:
    """A property's value, toggles as true/false, None found: the default."""
    if element is None:
        return DEFAULTS.get(name, "false")
    value = element.get(w("val"))
    if name in ("sz", "szCs"):
        return value or DEFAULTS[name]
    return "true" if value is None or value.lower() in _TRUE else "false"


class ComplexScript:
    """Gives translated runs the look their Arabic had (see the module's docstring)."""

    def __init__(self, styles: Any | None) -> None:
        self._styles: dict[str, Any] = {}
        self._default_paragraph: str | None = None
        self._defaults: Any | None = None
        if styles is None:
            return
        for style in styles.iter(w("style")):
            self._styles[style.get(w("styleId"), "")] = style
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in _TRUE:
                self._default_paragraph = style.get(w("styleId"))
        self._defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")

    def _in_style(self, style_id: str | None, name: str) -> Any | None:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            found = style.find(f"{w('rPr')}/{w(name)}")
            if found is not None:
                return found
            based = style.find(w("basedOn"))
            style_id = None if based is None else based.get(w("val"))
        return None

    def _effective(self, run: Any, paragraph: Any, name: str) -> Any | None:
        properties = run.find(w("rPr"))
        if properties is not None and properties.find(w(name)) is not None:
            return properties.find(w(name))
        character = None if properties is None else properties.find(w("rStyle"))
        found = self._in_style(None if character is None else character.get(w("val")), name)
        if found is not None:
            return found
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        found = self._in_style(self._default_paragraph if style is None
                               else style.get(w("val")), name)
        if found is not None:
            return found
        return None if self._defaults is None else self._defaults.find(w(name))

    def apply(self, run: Any, paragraph: Any) -> None:
        """Set ``run``'s Latin size, bold and italic to its complex-script ones where they
        differ; drop its ``w:rtl`` and ``w:cs``."""
        for complex_name, latin in PAIRS:
            found = self._effective(run, paragraph, complex_name)
            if found is None:  # set nowhere: the file said nothing about the Arabic's look
                continue
            complex_value = _value(complex_name, found)
            if complex_value != _value(latin, self._effective(run, paragraph, latin)):
                self._set(run, latin, complex_value)
        properties = run.find(w("rPr"))
        if properties is not None:
            for child in list(properties):
                if local(child) in ("rtl", "cs"):
                    properties.remove(child)

    @staticmethod
    def _set(run: Any, name: str, value: str) -> None:
        properties = run.find(w("rPr"))
        if properties is None:
            properties = run.makeelement(w("rPr"), {})
            run.insert(0, properties)
        for old in properties.findall(w(name)):
            properties.remove(old)
        element = properties.makeelement(w(name), {w("val"): value})
        rank = ORDER.index(name)
        later = next((i for i, child in enumerate(properties)
                      if local(child) in ORDER and ORDER.index(local(child)) > rank), None)
        properties.insert(len(properties) if later is None else later, element)

