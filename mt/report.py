"""The HTML report: Arabic and English side by side, every trace clickable.

One self-contained page (inline CSS and script, a Content-Security-Policy
that forbids any fetch and runs no script but the page's own, named by its
hash): the Arabic right to left, the English left to right, both exactly as
in the trace document. Each text is cut at every boundary of a segment, link
or traced span, and each piece carries the keys of what it
belongs to (``g3`` segment 3, ``l7`` link 7, ``s2`` traced span 2, ``f4``
finding 4); hovering a piece lights up everything sharing its most specific
key on both sides (a traced span, else its word links, else its segment), and
a click pins it. Traced spans are underlined by status, findings are listed
under the texts. Sentences whose quality estimate is under its threshold
(``mt.quality``) are tinted, counted in the header ("N sentences to check")
and listed most doubtful first. Every value put into the page, text or attribute,
goes through ``escape``: nothing from a trace document is ever markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from mt.arabic import ARABIC_LETTERS, HARAKAT, TATWEEL
from mt.check import Finding
from mt.types import Span, TraceDocument

# Arabic words and what lies between two of them (spaces, digits, punctuation), no more.
_ARABIC_LETTER = f"[{ARABIC_LETTERS}{HARAKAT}{TATWEEL}]"
ARABIC_RUN_RE = re.compile(f"{_ARABIC_LETTER}+(?:[^A-Za-z=:;]*?{_ARABIC_LETTER}+)*")

_CSS = """
body{font:15px/1.7 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:.6em 1.2em;background:#234;color:#fff}
header h1{font-size:1.1em;margin:0;overflow-wrap:anywhere}
header p{margin:.2em 0 0;font-size:.8em;opacity:.8;overflow-wrap:anywhere}
main{display:grid;grid-template-columns:1fr 1fr;gap:1em;padding:1em}
.text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;border-radius:4px;padding:1em;
max-height:70vh;overflow:auto;overflow-wrap:anywhere;min-width:0}
.text[dir=rtl]{font-size:1.15em;font-family:"Noto Naskh Arabic","Amiri",serif}
[data-k]{cursor:pointer;border-radius:2px}
.st-ok{border-bottom:2px solid #2a2} .st-unverified{border-bottom:2px dotted #c80}
.st-mismatch{border-bottom:3px solid #d22;background:#fee}
.st-missing{border-bottom:3px dashed #d22;background:#fee}
.hl{background:#ffe066 !important;outline:1px solid #c90}
.pin{background:#ffd43b !important}
.home.hl,.home.pin{outline:2px dashed #d22;background:#fee !important}
[data-k]:focus-visible{outline:3px solid #1a5fd0;outline-offset:1px}
.pulse{animation:pulse .6s ease-out 3}
@keyframes pulse{0%{box-shadow:0 0 0 0 rgba(230,120,0,.9)}
100%{box-shadow:0 0 0 .5em rgba(230,120,0,0)}}
@media (prefers-reduced-motion:reduce){.pulse{animation:none;outline:3px solid #e67800}}
section{padding:0 1em 1em}
table{border-collapse:collapse;width:100%;background:#fff;table-layout:fixed}
td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
tr[data-k]:hover{background:#f3f3f3} .ar{direction:rtl;unicode-bidi:isolate}
.en{unicode-bidi:isolate} bdi{unicode-bidi:isolate}
@media (max-width:600px){main{grid-template-columns:1fr;padding:.5em}
.text{max-height:40vh;padding:.6em} section{padding:0 .5em .5em} td,th{padding:.2em .3em}}
.bad{color:#b00;font-weight:bold}
.doubt{background:#fff1e0;box-shadow:inset 0 -1px #e8a33d}
.badge{display:inline-block;min-width:3.2em;padding:0 .4em;border-radius:3px;text-align:center;
font-variant-numeric:tabular-nums;background:#e6f4e6;color:#1d5c1d}
.badge.check{background:#fde2c8;color:#8a3b00;font-weight:bold}
.tocheck{font-weight:bold;color:#ffd08a}
"""

_JS = """
(function(){
  var index={},size={};
  document.querySelectorAll('[data-k]').forEach(function(el){
    el.dataset.k.split(' ').forEach(function(k){
      (index[k]=index[k]||[]).push(el); size[k]=(size[k]||0)+el.textContent.length;
    });
  });
  // The most specific thing under the pointer: a finding, else the innermost traced
  // span (a number inside a quote), else the word links, else the segment.
  function focus(el){
    var keys=el.dataset.k.split(' ');
    var order=['f','s','l','g'];
    for(var i=0;i<order.length;i++){
      var chosen=keys.filter(function(k){return k[0]===order[i];});
      if(!chosen.length) continue;
      if(order[i]!=='s') return chosen;
      chosen.sort(function(a,b){return size[a]-size[b];});
      return [chosen[0]];
    }
    return [];
  }
  // What keys light: theirs, and for a traced span missing in the English (s3), the
  // English sentence that should hold it (m3).
  function lit(keys){
    var all=[];
    keys.forEach(function(k){
      (index[k]||[]).forEach(function(e){all.push(e);});
      if(k[0]==='s') (index['m'+k.slice(1)]||[]).forEach(function(e){all.push(e);});
    });
    return all;
  }
  function light(keys,cls){
    document.querySelectorAll('.'+cls).forEach(function(e){e.classList.remove(cls);});
    lit(keys).forEach(function(e){e.classList.add(cls);});
  }
  // Both texts scrolled to what a finding names, the page to the texts, the spans pulsed.
  function reveal(keys){
    var shown=lit(keys);
    ['source','target'].forEach(function(side){
      var pane=document.getElementById(side);
      var first=shown.filter(function(e){return pane.contains(e);})[0];
      if(!first) return;
      pane.scrollTop+=first.getBoundingClientRect().top-pane.getBoundingClientRect().top
        -pane.clientHeight/3;
    });
    var top=document.querySelector('main').getBoundingClientRect().top+window.scrollY;
    if(window.parent!==window) window.parent.postMessage({mt:'scroll',top:top},'*');
    else window.scrollTo(0,top);
    shown.forEach(function(e){
      e.classList.remove('pulse'); void e.offsetWidth; e.classList.add('pulse');
    });
    setTimeout(function(){shown.forEach(function(e){e.classList.remove('pulse');});},2000);
  }
  var pinned=null;
  document.addEventListener('mouseover',function(ev){
    var el=ev.target.closest('[data-k]'); light(el?focus(el):[],'hl');
  });
  document.addEventListener('focusin',function(ev){
    var el=ev.target.closest('[data-k]'); light(el?focus(el):[],'hl');
  });
  function pin(el){
    var keys=el?focus(el):[];
    var same=pinned&&keys.join(' ')===pinned.join(' ');
    pinned=(!el||same)?null:keys; light(pinned||[],'pin');
    if(pinned&&el.tagName==='TR') reveal(pinned);
  }
  document.addEventListener('click',function(ev){
    if(ev.target.closest('button')) return;
    pin(ev.target.closest('[data-k]'));
  });
  document.addEventListener('keydown',function(ev){
    var el=ev.target.closest&&ev.target.closest('[data-k]');
    if(!el||(ev.key!=='Enter'&&ev.key!==' ')) return;
    ev.preventDefault(); pin(el);
  });
  // In the page of mt serve the report is a frame sized to its content: no scroll inside.
  if(window.parent!==window){
    document.documentElement.style.overflow='hidden';
    var tell=function(){
      var height=Math.ceil(document.body.getBoundingClientRect().bottom+window.scrollY);
      window.parent.postMessage({mt:'height',height:height},'*');
    };
    new ResizeObserver(tell).observe(document.body); tell();
  }
  // The sentence table: most doubtful first, or in reading order.
  var sorter=document.getElementById('sort-sentences');
  if(sorter) sorter.addEventListener('click',function(){
    var body=document.querySelector('#sentences tbody');
    var by=sorter.dataset.by==='doubt'?'order':'doubt';
    Array.prototype.slice.call(body.rows).sort(function(a,b){
      return Number(a.dataset[by])-Number(b.dataset[by]);
    }).forEach(function(row){body.appendChild(row);});
    sorter.dataset.by=by;
    sorter.textContent=by==='doubt'?'show in reading order':'show most doubtful first';
  });
})();
"""


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script (``'sha256-...'``)."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


# The icon of the report and of mt serve's page: inline, so that showing it fetches nothing.
ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
            '<rect width="32" height="32" rx="6" fill="#234"/>'
            '<path d="M6 11h13l-4-4M26 21H13l4 4" fill="none" stroke="#ffd43b" '
            'stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>')
ICON_LINK = ('<link rel="icon" type="image/svg+xml" href="data:image/svg+xml;base64,'
             f'{base64.b64encode(ICON_SVG.encode()).decode()}">')

# The report's one script, allowed by its hash: inline handlers (an attribute that a
# value smuggled into the page would carry) never run.
SCRIPT_SOURCE = script_hash(_JS)
POLICY = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
          f"script-src {SCRIPT_SOURCE}")


def escape(value: object) -> str:
    """``value`` as HTML text safe in an element or a quoted attribute: the one escaper."""
    return html.escape(str(value), quote=True)


def _pieces(text: str, ranges: Sequence[tuple[Span, str, str]]) -> str:
    """``text`` as escaped HTML, cut at every range boundary; pieces carry the range keys.

    ``ranges`` are (span, key, css class); an empty span marks its position
    with an empty, still hoverable piece. One sweep over the boundaries.
    """
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    empties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    cuts = {0, len(text)}
    for number, (span, key, css) in enumerate(ranges):
        if len(span) == 0:
            empties[span.start].append((key, css))
        else:
            starts[span.start].append(number)
            ends[span.end].append(number)
            cuts.update((span.start, span.end))
    cuts.update(empties)
    bounds = sorted(cuts)
    active: dict[int, tuple[str, str]] = {}
    out: list[str] = []
    reachable: set[str] = set()
    for start, end in pairwise(bounds):
        for number in ends[start]:
            active.pop(number, None)
        for number in starts[start]:
            active[number] = ranges[number][1:]
        out.extend(_empty(key, css, reachable) for key, css in empties[start])
        out.append(_wrap(text[start:end], list(active.values()), reachable))
    out.extend(_empty(key, css, reachable) for key, css in empties[len(text)])
    return "".join(out)


def _tab_stop(keys: Iterable[str], reachable: set[str]) -> str:
    """``tabindex`` on the first piece of a traced span or finding (keyboard: Tab to it,
    Enter pins it); the other pieces of it, and word links and segments, are no stops."""
    new = {key for key in keys if key[0] in "sf"} - reachable
    reachable.update(new)
    return ' tabindex="0"' if new else ""


def _empty(key: str, css: str, reachable: set[str]) -> str:
    return (f'<span data-k="{escape(key)}" class="{escape(css)}"'
            f'{_tab_stop([key], reachable)}>\u2038</span>')


def _wrap(piece: str, inside: Sequence[tuple[str, str]], reachable: set[str]) -> str:
    keys = [key for key, _ in inside]
    if not keys:
        return escape(piece)
    classes = " ".join(sorted({css for _, css in inside if css}))
    css = f' class="{escape(classes)}"' if classes else ""
    return (f'<span data-k="{escape(" ".join(keys))}"{css}{_tab_stop(keys, reachable)}>'
            f"{escape(piece)}</span>")


def _ranges(document: TraceDocument, findings: Sequence[Finding], side: str
            ) -> list[tuple[Span, str, str]]:
    ranges: list[tuple[Span, str, str]] = []
    home = _homes(document)
    for segment in document.segments:
        span = getattr(segment, side)
        if span is not None:
            ranges.append((span, f"g{segment.id}", "doubt" if segment.doubt else ""))
    for number, link in enumerate(document.links):
        ranges.append((getattr(link, side), f"l{number}", ""))
    for number, traced in enumerate(document.spans):
        span = getattr(traced, side)
        if span is not None:
            ranges.append((span, f"s{number}", f"st-{traced.status}"))
        elif side == "target" and (english := home(traced.source)) is not None:
            ranges.append((english, f"m{number}", "home"))  # the English that should hold it
    for number, finding in enumerate(findings):
        span = getattr(finding, side)
        if span is not None and finding.kind in ("untranslated", "unsupported"):
            ranges.append((span, f"f{number}", f"st-{finding.status}"))
    return ranges


def _homes(document: TraceDocument) -> Callable[[Span | None], Span | None]:
    """A lookup: the English of the segment whose Arabic holds a span (where a span missing
    in the English should have been), or None; a bisection each."""
    held = sorted((s.source.start, s.source.end, s.target) for s in document.segments
                  if s.source is not None and s.target is not None and len(s.target))
    starts = [start for start, _, _ in held]

    def home(source: Span | None) -> Span | None:
        if source is None:
            return None
        at = bisect_right(starts, source.start) - 1
        if at >= 0 and source.end <= held[at][1]:
            return held[at][2]
        return None

    return home


def _isolated(detail: str, quote: str) -> str:
    """``detail`` as HTML whose Arabic stays Arabic in a left-to-right cell: the quoted
    Arabic it starts with, and every other run of Arabic words, each in its own ``<bdi>``
    (else "7 آلاف = 7,000" shows as "7 7,000 = آلاف")."""
    head = quote if quote.strip() and detail.startswith(quote) else ""
    parts = [f'<bdi dir="rtl">{escape(head)}</bdi>'] if head else []
    rest, start = detail[len(head):], 0
    for run in ARABIC_RUN_RE.finditer(rest):
        parts += [escape(rest[start:run.start()]),
                  f'<bdi dir="rtl">{escape(run.group())}</bdi>']
        start = run.end()
    return "".join(parts) + escape(rest[start:])


def _findings_table(document: TraceDocument, findings: Sequence[Finding],
                    where: Callable[[Span], str | None] | None = None) -> str:
    if not findings:
        return "<p>No findings.</p>"
    # A finding about a traced span lights that span: one lookup each (a scan was quadratic).
    traced_keys: dict[tuple[str, Span, Span | None], str] = {}
    for index, traced in enumerate(document.spans):
        traced_keys.setdefault((traced.kind, traced.source, traced.target), f"s{index}")
    rows = []
    for number, finding in enumerate(findings):
        source = escape(finding.source.slice(document.source_text))
        target = "" if finding.target is None else escape(
            finding.target.slice(document.target_text))
        status = escape(finding.status)
        css = ' class="bad"' if finding.fails else ""
        quote = finding.source.slice(document.source_text)
        key = traced_keys.get((finding.kind, finding.source, finding.target), f"f{number}")
        rows.append(f'<tr data-k="{escape(key)}" '
                    f'tabindex="0"><td>{escape(finding.kind)}</td><td{css}>{status}</td>'
                    f'<td class="ar">{source}</td><td class="en" dir="ltr">{target}</td>'
                    f'<td dir="ltr">{_isolated(finding.detail, quote)}</td>'
                    + ("" if where is None else
                       f"<td>{escape(where(finding.source) or '')}</td>") + "</tr>")
    place = "" if where is None else "<th>in the file</th>"
    return ("<table><thead><tr><th>kind</th><th>status</th><th>Arabic</th><th>English</th>"
            f"<th>detail</th>{place}</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _sentences_table(document: TraceDocument) -> str:
    """Every segment with a quality estimate, most doubtful first; "check" under the threshold."""
    rated = [s for s in document.segments if s.quality is not None and s.target is not None]
    if not rated:
        return ""
    rows = []
    for rank, segment in enumerate(sorted(rated, key=lambda s: (s.quality or 0.0, s.id))):
        assert segment.source is not None and segment.target is not None
        badge = "badge check" if segment.doubt else "badge"
        label = "check" if segment.doubt else "ok"
        rows.append(f'<tr data-k="g{segment.id}" data-doubt="{rank}" data-order="{segment.id}" '
                    'tabindex="0">'
                    f"<td>{segment.id + 1}</td>"
                    f'<td><span class="{badge}">{segment.quality:.2f} {label}</span></td>'
                    f'<td class="ar">{escape(segment.source.slice(document.source_text))}'
                    f'</td><td class="en" dir="ltr">'
                    f"{escape(segment.target.slice(document.target_text))}</td>"
                    "</tr>")
    return ('<section><h2>Sentences by estimated quality</h2>'
            '<p><button type="button" id="sort-sentences" data-by="doubt">show in reading '
            'order</button></p><table id="sentences"><thead><tr><th>#</th><th>quality</th>'
            "<th>Arabic</th><th>English</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table></section>")


def render_html(document: TraceDocument, findings: Sequence[Finding],
                title: str = "mt trace", where: Callable[[Span], str | None] | None = None
                ) -> str:
    """A self-contained HTML page for ``document`` and its findings (``mt.check``).

    ``where`` names the place in the original file of a source span (a
    document's paragraph and run, say), shown beside each finding.
    """
    failing = sum(f.fails for f in findings)
    summary = (f"{len(document.segments)} segments, {len(document.links)} word links, "
               f"{len(document.spans)} traced spans, {len(findings)} findings "
               f"({failing} failing)")
    to_check = sum(bool(s.doubt) for s in document.segments)
    check_note = (f'<span class="tocheck">{to_check} sentence{"s" * (to_check != 1)} to '
                  "check</span> · " if any(s.quality is not None for s in document.segments)
                  else "")
    source = _pieces(document.source_text, _ranges(document, findings, "source"))
    target = _pieces(document.target_text, _ranges(document, findings, "target"))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{ICON_LINK}'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{check_note}{escape(document.signature)} · "
        f"{escape(summary)}</p></header><main>"
        f'<div class="text" id="source" dir="rtl" lang="{escape(document.source_lang)}">'
        f"{source}</div>"
        f'<div class="text" id="target" dir="ltr" lang="{escape(document.target_lang)}">'
        f"{target}</div></main>"
        f'<section><h2>Findings</h2><div id="findings">'
        f"{_findings_table(document, findings, where)}"
        f"</div></section>{_sentences_table(document)}<script>{_JS}</script></body></html>\n"
    )


def report(document: TraceDocument, title: str = "mt trace",
           where: Callable[[Span], str | None] | None = None) -> str:
    """The report ``--format html`` writes: ``document`` with the findings of
    ``mt check`` (sentence similarity included)."""
    from mt.check import check

    return render_html(document, check(document), title=title, where=where)
