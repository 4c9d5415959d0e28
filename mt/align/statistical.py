"""The statistical word aligner: eflomal (Bayesian IBM1 + HMM + fertility, Gibbs sampling).

eflomal aligns a whole corpus at once. Run on the big training corpus it
learns the model; its counts saved as Dirichlet priors (``LEX``, ``HMMF``,
``HMMR``, ``FERF``, ``FERR`` lines, eflomal's own format) let a later run on a
handful of sentences start from what was learnt, which is how ``mt`` aligns
new text without the training corpus.

Seeding. eflomal 2.0 has no seed option: its binary seeds its generator with
8 bytes read from ``/dev/urandom``, then hands each sampler a state split off
it inside an OpenMP loop, so which sampler gets which state depends on thread
timing. ``mt`` runs a copy of the binary whose ``/dev/urandom`` path reads
``mt-seed`` in the run's own directory, where the seed is written, and
runs the samplers of each direction on one thread (the two directions still
run side by side). The same input then gives byte-identical links every run.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from mt.align.symmetrize import Pair, parse_pharaoh
from mt.errors import MtError
from mt.paths import cache_root

log = logging.getLogger("mt")
MAX_TOKENS = 1023  # eflomal's limit per sentence; longer ones come back unaligned
SEED = 1
URANDOM = b"\0/dev/urandom\0"
SEED_FILE = "mt-seed"  # relative: the binary runs in its scratch directory
MODEL = 3  # IBM1, then HMM, then HMM + fertility
# Outer level: the forward and reverse directions; inner level: a direction's samplers,
# one thread so that they draw their states in order.
OMP_THREADS = "2,1"


def run_eflomal(source: Sequence[Sequence[str]], target: Sequence[Sequence[str]],
                priors: Iterable[str] | None = None, *, samplers: int = 3,
                iterations: tuple[int, int, int] | None = None,
                null_prior: float = 0.2, workdir: str | Path | None = None,
                seed: int = SEED) -> tuple[list[set[Pair]], list[set[Pair]]]:
    """Forward and reverse alignments (``(source index, target index)`` sets) of a corpus.

    ``source`` and ``target`` are token lists, one per sentence; ``priors`` are
    eflomal priors lines. ``iterations`` (IBM1, HMM, fertility) defaults to
    eflomal's choice, which falls with the square root of the corpus size.
    The same input and ``seed`` give the same links. The link files stay in
    ``workdir`` when one is given.
    """
    try:
        import eflomal
    except ImportError:
        raise MtError("eflomal is not installed: pip install eflomal (it builds with a C "
                      "compiler)") from None
    if len(source) != len(target):
        raise ValueError(f"{len(source)} source sentences but {len(target)} target sentences")
    if not source:
        return [], []
    if not 0 < seed < 2**64:
        raise ValueError(f"seed must be in 1..2**64-1, not {seed}")
    iterations = iterations or default_iterations(len(source))
    with tempfile.TemporaryDirectory(prefix="mt-eflomal-") as scratch:
        run_dir = Path(scratch)
        out_dir = Path(workdir) if workdir else run_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        forward_file, reverse_file = out_dir / "forward.links", out_dir / "reverse.links"
        for path in (forward_file, reverse_file):
            path.unlink(missing_ok=True)
        texts = run_dir / "source.txt", run_dir / "target.txt", run_dir / "priors.txt"
        with texts[0].open("wb") as src, texts[1].open("wb") as trg, \
                texts[2].open("w", encoding="utf-8") as pri:
            eflomal.Aligner(model=MODEL).prepare_files(
                (" ".join(tokens[:MAX_TOKENS]) + "\n" for tokens in source), src,
                (" ".join(tokens[:MAX_TOKENS]) + "\n" for tokens in target), trg,
                priors, pri)
        (run_dir / SEED_FILE).write_bytes(seed.to_bytes(8, "little"))
        command = [str(_binary()), "-m", str(MODEL), "-s", str(texts[0]), "-t", str(texts[1]),
                   "-n", str(samplers), "-N", str(null_prior), "-q",
                   "-1", str(iterations[0]), "-2", str(iterations[1]), "-3", str(iterations[2]),
                   "-f", str(forward_file.resolve()), "-r", str(reverse_file.resolve())]
        if priors is not None:
            command += ["-p", str(texts[2])]
        finished = subprocess.run(command, cwd=run_dir, capture_output=True, text=True,
                                  env={**os.environ, "OMP_NUM_THREADS": OMP_THREADS})
        if finished.returncode:
            last = (finished.stderr.strip().splitlines() or ["no message"])[-1]
            raise MtError(f"eflomal failed (exit {finished.returncode}: {last}); "
                          "reinstall it with pip install --force-reinstall eflomal")
        forward = _read_links(forward_file, len(source))
        reverse = _read_links(reverse_file, len(source))
    return forward, reverse


def default_iterations(sentences: int) -> tuple[int, int, int]:
    """eflomal's own default iterations for model 3, which fall as the corpus grows."""
    iters = max(2, round(5000 / math.sqrt(sentences)))
    quarter = max(1, iters // 4)
    return max(2, quarter), quarter, iters


@lru_cache(maxsize=1)
def _binary() -> Path:
    """The seedable copy of eflomal's binary (made once per binary, in the cache)."""
    import eflomal

    packaged = Path(eflomal.__file__).parent / "bin" / "eflomal"
    original = packaged if packaged.is_file() else Path(shutil.which("eflomal") or packaged)
    try:
        data = original.read_bytes()
    except OSError:
        raise MtError(f"eflomal's binary is missing ({original}); reinstall it with "
                      "pip install --force-reinstall eflomal") from None
    if data.count(URANDOM) != 1:
        raise MtError(f"{original}: this eflomal build has no /dev/urandom seed to replace; "
                      "install eflomal 2.0 (pip install 'eflomal==2.0.0')")
    seed_path = SEED_FILE.encode().ljust(len(URANDOM) - 2, b"\0")
    patched = data.replace(URANDOM, b"\0" + seed_path + b"\0")
    name = f"eflomal-seeded-{hashlib.sha256(data).hexdigest()[:16]}"
    try:
        return _install(patched, cache_root() / "eflomal" / name)
    except OSError:  # no writable cache: one copy for this process
        return _install(patched, Path(tempfile.mkdtemp(prefix="mt-eflomal-bin-")) / name)


def _install(binary: bytes, target: Path) -> Path:
    if target.is_file() and target.read_bytes() == binary:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".eflomal-", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(binary)
    os.chmod(staging, 0o755)
    os.replace(staging, target)  # atomic: a concurrent run never sees half a binary
    return target


def _read_links(path: Path, expected: int) -> list[set[Pair]]:
    if not path.exists():
        raise MtError(f"eflomal wrote no alignment ({path.name}); run with -v to see why")
    lines = path.read_text(encoding="utf-8").split("\n")[:expected]
    if len(lines) != expected:
        raise MtError(f"eflomal wrote {len(lines)} alignments for {expected} sentences")
    return [parse_pharaoh(line) for line in lines]
