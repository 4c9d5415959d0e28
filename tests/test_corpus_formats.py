from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mt.corpus.formats import (
    REGISTRY,
    UnwritableError,
    detect_format,
    open_writer,
    read_corpus,
    write_corpus,
)
from mt.corpus.formats.arrow import HfWriter, ParquetWriter, read_parquet
from mt.corpus.formats.text import (
    JsonlWriter,
    MosesWriter,
    TsvWriter,
    read_jsonl,
    read_moses,
    read_tsv,
)
from mt.corpus.formats.tmx import TmxWriter, read_tmx
from mt.corpus.record import Pair
from mt.errors import InputError
from mt.types import Span, WordLink

# What a corpus must survive: quotes, <>&, bidi marks, Arabic-Indic digits, emoji,
# backslashes, a BOM, and (where the format allows) tabs and line breaks.
TRICKY = "\"'«»“”<>&;\\\u200e\u200f\u202b\u202c\u2066\u2069٠١٢٣٤٥٦٧٨٩😀🇸🇦\ufeff\t\n\r\u2028\x85 "
texts = st.text(st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=("Cs",))),
                max_size=30)
spans = st.builds(lambda a, b: Span(min(a, b), max(a, b)), st.integers(0, 500),
                  st.integers(0, 500))
floats = st.floats(allow_nan=False, width=64)
links = st.builds(WordLink, spans, spans, floats)
pairs = st.builds(
    Pair, texts, texts, st.none() | texts, st.none() | st.integers(0, 2**40),
    st.none() | spans, st.none() | spans, st.none() | floats, st.none() | texts,
    st.lists(links, max_size=3).map(tuple))
corpora = st.lists(pairs, max_size=6)
# Derandomised: the same examples every run; no deadline: the machine may be busy.
steady = settings(derandomize=True, deadline=None, max_examples=150,
                  suppress_health_check=[HealthCheck.too_slow])

FIXED = [
    Pair("قال \"نعم\" <b>&amp; ٣٠٠ \u200f😀 C:\\path", "He said \"yes\" <b>&amp; 300 😀 C:\\path"),
    Pair("\ufeffسطر\tمع\nفاصل\r", "a\tb\nc\r\n", "doc 1", 3, Span(0, 12), Span(4, 9), -0.25,
         "mt:0.1.0|model:x@0", (WordLink(Span(0, 3), Span(0, 1), 0.5),)),
    Pair("", "", ""),
]


def _tsv_safe(pair: Pair) -> bool:
    return not any(c in pair.ar + pair.en for c in "\t\n\r") and not any(
        c in (pair.doc or "") for c in "\n\r")


def _write_text(writer_class, corpus: list[Pair]) -> tuple[str, list[Pair]]:
    """Write what the format can hold; return the text and the pairs written."""
    stream = io.StringIO()
    writer = writer_class(stream)
    written = []
    for pair in corpus:
        try:
            writer.write(pair)
            written.append(pair)
        except UnwritableError as exc:
            assert exc.reason == f"unwritable-{writer.fmt}"
    writer.commit()
    assert writer.count == len(written)
    return stream.getvalue(), written


@steady
@given(corpora)
def test_jsonl_round_trip_is_lossless(corpus: list[Pair]) -> None:
    text, written = _write_text(JsonlWriter, corpus)
    assert written == corpus
    assert list(read_jsonl(io.StringIO(text))) == corpus


@steady
@given(corpora)
def test_tmx_round_trip_is_lossless(corpus: list[Pair]) -> None:
    text, written = _write_text(TmxWriter, corpus)
    assert list(read_tmx(io.BytesIO(text.encode("utf-8")))) == written
    forbidden = [p for p in corpus if p not in written]
    assert all(any(ord(c) < 0x20 and c not in "\t\n\r" or c in "\ufffe\uffff"
                   for c in p.ar + p.en + (p.doc or "") + (p.signature or ""))
               for p in forbidden)


@steady
@given(corpora)
def test_tsv_round_trip_keeps_text_and_doc_and_refuses_what_it_cannot_hold(
        corpus: list[Pair]) -> None:
    text, written = _write_text(TsvWriter, corpus)
    assert written == [p for p in corpus if _tsv_safe(p)]
    assert list(read_tsv(io.StringIO(text))) == [Pair(p.ar, p.en, p.doc) for p in written]


@steady
@given(corpora)
def test_moses_round_trip_keeps_every_line(corpus: list[Pair]) -> None:
    ar, en = io.StringIO(), io.StringIO()
    writer = MosesWriter(ar, en)
    written = []
    for pair in corpus:
        try:
            writer.write(pair)
            written.append(pair)
        except UnwritableError:
            assert any(c in pair.ar + pair.en for c in "\n\r")
    back = list(read_moses(io.StringIO(ar.getvalue()), io.StringIO(en.getvalue())))
    assert back == [Pair(p.ar, p.en) for p in written]


@settings(steady, max_examples=30)
@given(corpora)
def test_parquet_round_trip_is_lossless(corpus: list[Pair]) -> None:
    sink = io.BytesIO()
    writer = ParquetWriter(sink)
    for pair in corpus:
        writer.write(pair)
    writer.commit()
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(sink.getvalue()))
    assert [Pair.from_row(row) for row in table.to_pylist()] == corpus


def test_files_round_trip_in_every_format(tmp_path: Path) -> None:
    full = FIXED
    for fmt, name in [("jsonl", "c.jsonl.gz"), ("tmx", "c.tmx"), ("parquet", "c.parquet"),
                      ("hf", "c_hf")]:
        path = str(tmp_path / name)
        assert write_corpus(full, path, "hf" if fmt == "hf" else None) == len(full)
        assert detect_format(path) == fmt
        assert list(read_corpus(path)) == full, fmt
    safe = [FIXED[0], FIXED[2]]
    write_corpus(safe, str(tmp_path / "m"), "moses")
    assert (tmp_path / "m.ar").read_text(encoding="utf-8").count("\n") == 2
    assert detect_format(str(tmp_path / "m")) == "moses"
    assert list(read_corpus(str(tmp_path / "m"))) == [Pair(p.ar, p.en) for p in safe]


def test_hf_dataset_has_the_declared_features(tmp_path: Path) -> None:
    from datasets import load_from_disk

    writer = HfWriter(str(tmp_path / "ds"))
    for pair in FIXED:
        writer.write(pair)
    writer.commit()
    dataset = load_from_disk(str(tmp_path / "ds"))
    assert dataset.features["translation"].languages == ["ar", "en"]
    assert dataset[1]["translation"] == {"ar": FIXED[1].ar, "en": FIXED[1].en}
    assert dataset[1]["source"] == [0, 12] and dataset[0]["score"] is None
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]  # no staging folder left
    assert not any(p.name.startswith(".") for p in (tmp_path / "ds").iterdir())


def test_tsv_refuses_a_tab_loudly_naming_the_pair() -> None:
    writer = TsvWriter(io.StringIO(), "out.tsv")
    writer.write(FIXED[0])
    with pytest.raises(UnwritableError, match=r"out.tsv: pair 2 .*tab.*--rejects"):
        writer.write(FIXED[1])


def test_write_corpus_sends_unwritable_pairs_aside(tmp_path: Path) -> None:
    aside: list[tuple[Pair, str]] = []
    count = write_corpus(FIXED, str(tmp_path / "c.tsv"),
                         on_unwritable=lambda p, r: aside.append((p, r)))
    assert count == 2 and aside == [(FIXED[1], "unwritable-tsv")]


def test_tsv_reader_takes_crlf_bom_extra_columns_and_skips_blank_lines() -> None:
    text = "\ufeffمرحبا\tHello\r\n\nشكرا\tThanks\tpkg\textra\n"
    assert list(read_tsv(io.StringIO(text))) == [
        Pair("مرحبا", "Hello"), Pair("شكرا", "Thanks", "pkg\textra")]


def test_tsv_keeps_a_leading_bom_that_belongs_to_the_text() -> None:
    text, _ = _write_text(TsvWriter, [Pair("\ufeffنص", "text")])
    assert list(read_tsv(io.StringIO(text))) == [Pair("\ufeffنص", "text")]


@pytest.mark.parametrize(("reader", "content", "message"), [
    (read_tsv, "بلا تبويب\n", "found no tab"),
    (read_jsonl, '{"translation": {"ar": "x"}}\n', "not a corpus record"),
    (read_jsonl, "not json\n", ":1: not a corpus record"),
])
def test_malformed_lines_name_file_and_line(reader, content: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(reader(io.StringIO(content), "bad"))


def test_moses_files_of_different_lengths_are_an_error() -> None:
    with pytest.raises(InputError, match="fewer lines"):
        list(read_moses(io.StringIO("a\nb\n"), io.StringIO("a\n"), "m"))
    with pytest.raises(InputError, match="more lines"):
        list(read_moses(io.StringIO("a\n"), io.StringIO("a\nb\n"), "m"))


def test_tmx_from_other_tools_language_variants_and_inline_codes() -> None:
    tmx = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence"
 adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="EN-US"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> &amp; go</seg></tuv>
<tuv xml:lang="fr"><seg>Cliquez</seg></tuv><tuv lang="ar-SA"><seg>انقر <hi>هنا</hi></seg></tuv></tu>
<tu><tuv xml:lang="ar"><seg>وحيد</seg></tuv></tu>
</body></tmx>"""
    assert list(read_tmx(io.BytesIO(tmx.encode()))) == [
        Pair("انقر هنا", "Click here & go"), Pair("وحيد", "")]


def test_tmx_errors_are_input_errors() -> None:
    with pytest.raises(InputError, match="not well-formed"):
        list(read_tmx(io.BytesIO(b"<tmx><body><tu>"), "x.tmx"))
    french = b'<tmx><body><tu><tuv xml:lang="fr"><seg>x</seg></tuv></tu></body></tmx>'
    with pytest.raises(InputError, match="neither an ar nor an en"):
        list(read_tmx(io.BytesIO(french), "x.tmx"))


def test_tmx_escapes_markup_and_carriage_returns() -> None:
    text, _ = _write_text(TmxWriter, [Pair("<a> & b\r", "x]]>y")])
    assert "<seg>&lt;a&gt; &amp; b&#13;</seg>" in text and "x]]&gt;y" in text
    assert 'xml:lang="ar"' in text and '<tmx version="1.4">' in text


def test_format_detection(tmp_path: Path) -> None:
    assert [detect_format(n) for n in ("a.tsv.gz", "a.TMX", "a.jsonl", "a.parquet", "-")] == [
        "tsv", "tmx", "jsonl", "parquet", "tsv"]
    with pytest.raises(InputError, match="cannot tell the corpus format"):
        detect_format(str(tmp_path / "a.csv"))
    with pytest.raises(InputError, match="unknown corpus format"):
        detect_format("a.tsv", "xlsx")


def test_an_unknown_suffix_is_one_line_naming_the_file_and_every_registered_way_out(
        tmp_path: Path) -> None:
    path = str(tmp_path / "corpus.csv")
    for writing in (False, True):
        with pytest.raises(InputError) as caught:
            detect_format(path, writing=writing)
        assert str(caught.value) == (
            f"{path}: cannot tell the corpus format from the name; use .tsv, .tmx, .jsonl or "
            ".parquet, or give --from/--to (tsv, moses, tmx, jsonl, parquet, hf)")


def test_each_suffix_names_its_format_in_any_case_and_gzipped() -> None:
    named = {suffix: fmt.name for fmt in REGISTRY.values() for suffix in fmt.suffixes}
    assert named == {".tsv": "tsv", ".tmx": "tmx", ".jsonl": "jsonl", ".parquet": "parquet"}
    for suffix, fmt in named.items():
        for name in (f"a{suffix}", f"a{suffix.upper()}.gz", f"dir/a.b{suffix}"):
            assert detect_format(name, writing=True) == fmt


def test_formats_without_a_suffix_are_told_by_what_is_there_and_only_when_reading(
        tmp_path: Path) -> None:
    write_corpus(FIXED, str(tmp_path / "ds"), "hf")
    write_corpus(FIXED, str(tmp_path / "ds" / "stray.parquet"))
    assert detect_format(str(tmp_path / "ds")) == "hf"  # a datasets folder, whatever else
    write_corpus(FIXED[:1], str(tmp_path / "m"), "moses")
    assert detect_format(str(tmp_path / "m")) == "moses"
    for name in ("ds", "m"):
        with pytest.raises(InputError, match="cannot tell the corpus format"):
            detect_format(str(tmp_path / name), writing=True)


def test_only_stream_formats_go_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("moses", "parquet", "hf"):
        with pytest.raises(InputError, match=f"^{fmt} cannot go to stdout; give -o PATH$"):
            open_writer("-", fmt)
    for fmt in ("tsv", "tmx", "jsonl"):
        write_corpus(FIXED[:1], "-", fmt)
        assert FIXED[0].en.split()[0] in capsys.readouterr().out


def test_parquet_folder_is_read_in_file_name_order(tmp_path: Path) -> None:
    write_corpus(FIXED[:1], str(tmp_path / "d" / "b.parquet"))
    write_corpus(FIXED[2:], str(tmp_path / "d" / "a.parquet"))
    assert detect_format(str(tmp_path / "d")) == "parquet"
    assert list(read_parquet(str(tmp_path / "d"))) == [FIXED[2], FIXED[0]]


def test_missing_and_non_utf8_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_corpus(str(tmp_path / "none.tsv")))
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"\xff\xfe\tx\n")
    with pytest.raises(InputError, match="not valid UTF-8"):
        list(read_corpus(str(bad)))


def test_tmx_highlights_nested_deeper_than_python_recursion_keep_their_text() -> None:
    depth = 5000  # a RecursionError traceback before (issue 30)
    seg = "<hi>" * depth + "نص" + "</hi>" * depth + ' <ph x="1">{b}</ph>آخر'
    tmx = ('<tmx version="1.4"><body><tu><tuv xml:lang="ar"><seg>' + seg + "</seg></tuv>"
           '<tuv xml:lang="en"><seg>text <hi>and <hi>more</hi></hi>.</seg></tuv></tu></body></tmx>')
    assert list(read_tmx(io.BytesIO(tmx.encode()))) == [Pair("نص آخر", "text and more.")]
