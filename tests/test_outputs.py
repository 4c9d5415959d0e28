"""Safe outputs: never over an input, never a partial file left looking complete."""

from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path

import pytest

from mt.cli import main
from mt.errors import InputError
from mt.outputs import OutputFile, StagedDirectory, open_output, refuse_clobber

from .conftest import REPO

CORPUS = "مرحبا بكم\tHello\nالطقس جميل\tNice weather\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


def test_a_failed_block_keeps_the_old_file_and_leaves_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    for error in (ValueError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(error)), open_output(target) as stream:
            stream.write("new, half written\n" * 1000)
            raise error
        assert target.read_text(encoding="utf-8") == "old\n"
        assert hidden_leftovers(tmp_path) == []
    with open_output(target) as stream:
        stream.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_outputs_are_gzipped_by_name_and_get_ordinary_permissions(tmp_path: Path) -> None:
    with open_output(tmp_path / "out.txt.gz") as stream:
        stream.write("سلام\n")
    assert gzip.decompress((tmp_path / "out.txt.gz").read_bytes()).decode() == "سلام\n"
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE((tmp_path / "out.txt.gz").stat().st_mode)
    assert mode == 0o666 & ~umask


def _ours(folder: Path) -> bool:
    """An earlier output of these tests."""
    return all(entry.name in ("old", "new", "rows") for entry in folder.iterdir())


def test_a_staged_folder_replaces_the_old_one_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "old").write_text("x")
    with pytest.raises(RuntimeError), StagedDirectory(target, _ours) as staged:
        (staged.path / "new").write_text("y")
        raise RuntimeError
    assert [p.name for p in target.iterdir()] == ["old"]
    with StagedDirectory(target, _ours) as staged:
        (staged.path / "new").write_text("y")
    assert [p.name for p in target.iterdir()] == ["new"]
    assert hidden_leftovers(tmp_path) == []


def test_a_folder_of_other_things_is_never_replaced(tmp_path: Path) -> None:
    """-o ~/Documents (or any folder of the user's) was replaced whole by the output."""
    target = tmp_path / "documents"
    target.mkdir()
    (target / "thesis.txt").write_text("years of work")
    with pytest.raises(InputError, match="documents: a folder with other files in it"):
        StagedDirectory(target, _ours)
    assert (target / "thesis.txt").read_text() == "years of work"
    assert hidden_leftovers(tmp_path) == []
    (target / "thesis.txt").unlink()
    with StagedDirectory(target, _ours) as staged:  # an empty folder is taken
        (staged.path / "new").write_text("y")


def test_refuse_clobber_compares_files_not_spellings(tmp_path: Path) -> None:
    source = tmp_path / "a.tsv"
    source.write_text(CORPUS, encoding="utf-8")
    (tmp_path / "link.tsv").symlink_to(source)
    with pytest.raises(InputError, match="is also the input"):
        refuse_clobber([source], [tmp_path / "link.tsv"])
    with pytest.raises(InputError, match="two outputs"):
        refuse_clobber([source], [tmp_path / "b.tsv", tmp_path / "." / "b.tsv"])
    with pytest.raises(InputError, match="a folder holding the input"):  # a folder replaced whole
        refuse_clobber([source], [tmp_path])
    refuse_clobber([source], [tmp_path / "b.tsv", "-", None])


@pytest.mark.parametrize("args", [
    ["corpus", "convert", "{a}", "{a}"],
    ["corpus", "convert", "{a}", "{b}", "--rejects", "{a}"],
    ["corpus", "filter", "{a}", "-o", "{a}"],
    ["corpus", "filter", "{a}", "-o", "{b}", "--rejects", "{a}"],
    ["corpus", "filter", "{a}", "-o", "{b}", "--rejects", "{b}"],
    ["corpus", "split", "{a}", "-o", "{dir}"],
    ["corpus", "build", "{a}", "--en", "{a}", "-o", "{a}"],
    ["translate", "--lines", "{a}", "-o", "{a}"],
    ["translate", "{a}", "-o", "{a}"],
    ["align", "--pairs", "{a}", "-o", "{a}"],
    ["eval", "--hyp", "{a}", "--ref", "{a}", "-o", "{a}"],
    ["train", "{a}", "-o", "{dir}"],
])
def test_an_output_onto_an_input_is_refused_before_anything_is_touched(
        tmp_path: Path, capsys, args: list[str]) -> None:
    source = tmp_path / "train.tsv"  # also the name split gives its train set
    source.write_text(CORPUS, encoding="utf-8")
    before = source.stat().st_mtime_ns
    paths = {"a": str(source), "b": str(tmp_path / "b.tsv"), "dir": str(tmp_path)}
    code, err = run([arg.format(**paths) for arg in args], capsys)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "is also the input" in err or "two outputs" in err or "a folder holding" in err
    assert source.read_text(encoding="utf-8") == CORPUS and source.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.tsv"]


def test_a_conversion_failing_part_way_keeps_the_old_output(tmp_path: Path, capsys) -> None:
    rows = [{"translation": {"ar": f"جملة {i}", "en": f"sentence {i}"}} for i in range(15)]
    rows[3]["translation"]["en"] = "a\ttab"  # TSV cannot hold it: the run stops at pair 4
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    target = tmp_path / "out.tsv"
    target.write_text("the old corpus\n", encoding="utf-8")
    code, err = run(["corpus", "convert", str(source), str(target)], capsys)
    assert code == 2 and "pair 4" in err
    assert target.read_text(encoding="utf-8") == "the old corpus\n"
    assert hidden_leftovers(tmp_path) == []


def test_translate_lines_failing_part_way_keeps_the_old_output(tiny_model: Path, tmp_path: Path,
                                                               capsys) -> None:
    source = tmp_path / "lines.txt"
    source.write_bytes("مرحبا\n".encode() * 600 + b"\xff\n")
    target = tmp_path / "out.txt"
    target.write_text("old translation\n", encoding="utf-8")
    code, err = run(["translate", "--lines", "--model", str(tiny_model), str(source),
                     "-o", str(target)], capsys)
    assert code == 2 and f"{source}:601" in err
    assert target.read_text(encoding="utf-8") == "old translation\n"
    assert hidden_leftovers(tmp_path) == []


def test_a_full_disk_is_one_line_exit_2(tmp_path: Path, capsys) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    source = tmp_path / "a.tsv"
    source.write_text(CORPUS, encoding="utf-8")
    code, err = run(["corpus", "convert", str(source), "/dev/full", "--to", "tsv"], capsys)
    assert code == 2 and err.count("\n") == 1 and "/dev/full" in err and "space" in err
    assert Path("/dev/full").is_char_device()


def test_an_output_file_over_a_folder_is_refused(tmp_path: Path, capsys) -> None:
    source = tmp_path / "a.tsv"
    source.write_text(CORPUS, encoding="utf-8")
    (tmp_path / "d").mkdir()
    code, err = run(["corpus", "convert", str(source), str(tmp_path / "d"), "--to", "parquet"],
                    capsys)
    assert code == 2 and err.count("\n") == 1 and "is a directory" in err
    with pytest.raises(InputError, match="is a directory"):
        OutputFile(tmp_path / "d")


def test_ctrl_c_part_way_through_translate_lines_keeps_the_old_output(tiny_model: Path,
                                                                      tmp_path: Path) -> None:
    """A live run interrupted after writing a line: the old file stays, no partial one.

    The line comes out while the pipe is still open: a live pipe is answered line
    by line, not after a window of 256 lines.
    """
    import select
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "out.txt"
    target.write_text("old translation\n", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mt", "translate", "--lines", "--model", str(tiny_model), "-",
         "-o", str(target)], stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        cwd=Path(__file__).resolve().parent.parent)
    try:
        assert process.stdin is not None and process.stderr is not None
        process.stdin.write("مرحبا بكم\n".encode())
        process.stdin.flush()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:  # the first line is in the hidden partial file
            parts = list(tmp_path.glob(".out.txt.*.part"))
            if parts and parts[0].stat().st_size:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the first line was never written")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
        select.select([process.stderr], [], [], 5)
        assert "interrupted" in process.stderr.read().decode()
    finally:
        process.kill()
        process.wait()
    assert target.read_text(encoding="utf-8") == "old translation\n"
    assert hidden_leftovers(tmp_path) == []


def test_a_writer_whose_commit_fails_leaves_no_part_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet raised inside commit() (a segment too large for a row group): a .part stayed."""
    import pyarrow as pa

    from mt.corpus.formats.arrow import ParquetWriter
    from mt.corpus.record import Pair

    class TooLarge:
        def __init__(self, real: object) -> None:
            self.close = real.close  # type: ignore[attr-defined]

        def write_table(self, table: object) -> None:
            raise pa.ArrowCapacityError("array cannot contain more than 2147483646 bytes")

    target = tmp_path / "out.parquet"
    with pytest.raises(InputError, match="out.parquet: cannot write these rows as Arrow"), \
            ParquetWriter(str(target)) as writer:
        monkeypatch.setattr(writer, "writer", TooLarge(writer.writer))
        writer.write(Pair("نص", "text"))  # held until commit, where the batch is written
    assert list(tmp_path.iterdir()) == []


FILE_SIZE_LIMIT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
from mt.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("to", ["hf", "parquet", "jsonl"])
def test_a_disk_that_refuses_the_bytes_is_one_line_and_leaves_nothing(tmp_path: Path,
                                                                      to: str) -> None:
    """The system refuses writes past 20 kB (RLIMIT_FSIZE: the write call fails as on a full
    disk); --to hf gave an OSError traceback from Arrow's own file."""
    import subprocess
    import sys

    source = tmp_path / "a.tsv"
    source.write_text("".join(f"مرحبا {n * 7919 % 100003}\tHello {n}\n" for n in range(8000)),
                      encoding="utf-8")
    target = tmp_path / "out" / "pairs"
    done = subprocess.run([sys.executable, "-c", FILE_SIZE_LIMIT, "corpus", "convert",
                           str(source), str(target), "--to", to], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert f"{target}: cannot write (File too large)" in done.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_a_dataset_save_that_fails_is_one_line_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """No space left for the ``datasets`` folder's own files, after the rows were written."""
    import errno

    from datasets import Dataset

    def full(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Dataset, "save_to_disk", full)
    source = tmp_path / "a.tsv"
    source.write_text(CORPUS, encoding="utf-8")
    target = tmp_path / "out" / "pairs"
    code, err = run(["corpus", "convert", str(source), str(target), "--to", "hf"], capsys)
    assert code == 2 and err.count("\n") == 1 and "No space left on device" in err, err
    assert list((tmp_path / "out").iterdir()) == []


def test_a_part_file_left_by_sigkill_is_removed_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL runs no clean-up: the hidden .part stayed for ever; its lock died with the
    run, so the next run writing the same target removes it."""
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "out.tsv"
    process = subprocess.Popen(
        [sys.executable, "-m", "mt", "corpus", "convert", "-", str(target), "--from", "tsv"],
        stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        assert process.stdin is not None
        process.stdin.write(CORPUS.encode())
        process.stdin.flush()
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".out.tsv.*.part")) and time.monotonic() < deadline:
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
    finally:
        process.kill()
        process.wait()
    left = list(tmp_path.glob(".out.tsv.*.part"))
    assert len(left) == 1 and not target.exists()
    source = tmp_path / "a.tsv"
    source.write_text(CORPUS, encoding="utf-8")
    assert main(["corpus", "convert", str(source), str(target)]) == 0
    assert hidden_leftovers(tmp_path) == [] and target.read_text(encoding="utf-8") == CORPUS


def test_only_abandoned_parts_of_the_same_target_are_removed(tmp_path: Path) -> None:
    import fcntl

    target = tmp_path / "pairs"
    target.mkdir()
    abandoned = [tmp_path / ".pairs.abcd1234.part", tmp_path / ".pairs.abcd1234.part.old",
                 tmp_path / ".pairs.wxyz_789.part"]
    abandoned[0].mkdir()
    (abandoned[0] / "rows").write_text("x")
    abandoned[1].mkdir()
    abandoned[2].write_text("half a file")
    kept = [tmp_path / ".pairs.live0000.part", tmp_path / ".pairs2.abcd1234.part",
            tmp_path / ".pairs.b.abcd1234.part", tmp_path / ".pairs.abcd.part",
            tmp_path / ".pairs.link0000.part"]
    for path in kept[:4]:
        path.write_text("not ours to remove")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("kept")
    kept[4].symlink_to(elsewhere)
    live = os.open(kept[0], os.O_RDONLY)  # a run writing it now holds its lock
    fcntl.flock(live, fcntl.LOCK_EX)
    try:
        with StagedDirectory(target, _ours) as staged:
            (staged.path / "new").write_text("new")
    finally:
        os.close(live)
    assert not any(path.exists() for path in abandoned)
    assert all(path.exists() or path.is_symlink() for path in kept)
    assert (elsewhere / "keep").read_text() == "kept" and (target / "new").exists()


def test_a_replaced_folder_kept_aside_stays_while_the_target_is_missing(tmp_path: Path) -> None:
    """Killed between the two renames of a folder's replacement: the .old is the only copy."""
    old = tmp_path / ".pairs.abcd1234.part.old"
    old.mkdir()
    (old / "rows").write_text("the previous output")
    with StagedDirectory(tmp_path / "pairs", _ours) as staged:
        assert (old / "rows").exists()
        (staged.path / "rows").write_text("new")
