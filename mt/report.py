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
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from mt.check import Finding
from mt.types import Span, TraceDocument

_CSS = """
body{font:15px/1.7 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:.6em 1.2em;background:#234;color:#fff}
header h1{font-size:1.1em;margin:0} header p{margin:.2em 0 0;font-size:.8em;opacity:.8}
main{display:grid;grid-template-columns:1fr 1fr;gap:1em;padding:1em}
.text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;border-radius:4px;padding:1em}
.text[dir=rtl]{font-size:1.15em;font-family:"Noto Naskh Arabic","Amiri",serif}
[data-k]{cursor:pointer;border-radius:2px}
.st-ok{border-bottom:2px solid #2a2} .st-unverified{border-bottom:2px dotted #c80}
.st-mismatch{border-bottom:3px solid #d22;background:#fee}
.st-missing{border-bottom:3px dashed #d22;background:#fee}
.hl{background:#ffe066 !important;outline:1px solid #c90}
.pin{background:#ffd43b !important}
section{padding:0 1em 1em} table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
tr[data-k]:hover{background:#f3f3f3} .ar{direction:rtl;unicode-bidi:isolate}
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
  function light(keys,cls){
    document.querySelectorAll('.'+cls).forEach(function(e){e.classList.remove(cls);});
    keys.forEach(function(k){(index[k]||[]).forEach(function(e){e.classList.add(cls);});});
  }
  var pinned=null;
  document.addEventListener('mouseover',function(ev){
    var el=ev.target.closest('[data-k]'); light(el?focus(el):[],'hl');
  });
  document.addEventListener('click',function(ev){
    var el=ev.target.closest('[data-k]');
    var keys=el?focus(el):[];
    var same=pinned&&keys.join(' ')===pinned.join(' ');
    pinned=(!el||same)?null:keys; light(pinned||[],'pin');
  });
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


# The report's one script, allowed by its hash: inline handlers (an attribute that a
# value smuggled into the page would carry) never run.
SCRIPT_SOURCE = script_hash(_JS)
POLICY = f"default-src 'none'; style-src 'unsafe-inline'; script-src {SCRIPT_SOURCE}"


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
    for start, end in pairwise(bounds):
        for number in ends[start]:
            active.pop(number, None)
        for number in starts[start]:
            active[number] = ranges[number][1:]
        out.extend(_empty(key, css) for key, css in empties[start])
        out.append(_wrap(text[start:end], active.values()))
    out.extend(_empty(key, css) for key, css in empties[len(text)])
    return "".join(out)


def _empty(key: str, css: str) -> str:
    return f'<span data-k="{escape(key)}" class="{escape(css)}">\u2038</span>'


def _wrap(piece: str, inside: Iterable[tuple[str, str]]) -> str:
    keys = [key for key, _ in inside]
    if not keys:
        return escape(piece)
    classes = " ".join(sorted({css for _, css in inside if css}))
    css = f' class="{escape(classes)}"' if classes else ""
    return f'<span data-k="{escape(" ".join(keys))}"{css}>{escape(piece)}</span>'


def _ranges(document: TraceDocument, findings: Sequence[Finding], side: str
            ) -> list[tuple[Span, str, str]]:
    ranges: list[tuple[Span, str, str]] = []
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
    for number, finding in enumerate(findings):
        span = getattr(finding, side)
        if span is not None and finding.kind in ("untranslated", "unsupported"):
            ranges.append((span, f"f{number}", f"st-{finding.status}"))
    return ranges


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
        key = traced_keys.get((finding.kind, finding.source, finding.target), f"f{number}")
        rows.append(f'<tr data-k="{escape(key)}">'
                    f"<td>{escape(finding.kind)}</td><td{css}>{status}</td>"
                    f'<td class="ar">{source}</td><td>{target}</td>'
                    f"<td>{escape(finding.detail)}</td>"
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
        rows.append(f'<tr data-k="g{segment.id}" data-doubt="{rank}" data-order="{segment.id}">'
                    f"<td>{segment.id + 1}</td>"
                    f'<td><span class="{badge}">{segment.quality:.2f} {label}</span></td>'
                    f'<td class="ar">{escape(segment.source.slice(document.source_text))}'
                    f"</td><td>{escape(segment.target.slice(document.target_text))}</td>"
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
