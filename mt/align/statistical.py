"""The statistical word aligner: eflomal (Bayesian IBM1 + HMM + fertility, Gibbs sampling).

eflomal aligns a whole corpus at once. Run on the big training corpus it
learns the model; its counts saved as Dirichlet priors (``LEX``, ``HMMF``,
``HMMR``, ``FERF``, ``FERR`` lines, eflomal's own format) let a later run on a
handful of sentences start from what was learnt, which is how ``mt`` aligns
new text without the training corpus.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from mt.align.symmetrize import Pair, parse_pharaoh
from mt.errors import MtError

log = logging.getLogger("mt")
MAX_TOKENS = 1023  # eflomal's limit per sentence; longer ones come back unaligned


def run_eflomal(source: Sequence[Sequence[str]], target: Sequence[Sequence[str]],
                priors: Iterable[str] | None = None, *, samplers: int = 3,
                iterations: tuple[int, int, int] | None = None,
                null_prior: float = 0.2, workdir: str | Path | None = None,
                ) -> tuple[list[set[Pair]], list[set[Pair]]]:
    """Forward and reverse alignments (``(source index, target index)`` sets) of a corpus.

    ``source`` and ``target`` are token lists, one per sentence; ``priors`` are
    eflomal priors lines. ``iterations`` (IBM1, HMM, fertility) defaults to
    eflomal's choice, which falls with the square root of the corpus size.
    The link files stay in ``workdir`` when one is given.
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
    aligner = eflomal.Aligner(model=3, n_iterations=iterations, n_samplers=samplers,
                              null_prior=null_prior)
    with tempfile.TemporaryDirectory(prefix="mt-eflomal-") as scratch:
        directory = Path(workdir or scratch)
        directory.mkdir(parents=True, exist_ok=True)
        forward_file, reverse_file = directory / "forward.links", directory / "reverse.links"
        for path in (forward_file, reverse_file):
            path.unlink(missing_ok=True)
        aligner.align(
            (" ".join(tokens[:MAX_TOKENS]) + "\n" for tokens in source),
            (" ".join(tokens[:MAX_TOKENS]) + "\n" for tokens in target),
            links_filename_fwd=str(forward_file), links_filename_rev=str(reverse_file),
            priors_input=priors,
        )
        forward = _read_links(forward_file, len(source))
        reverse = _read_links(reverse_file, len(source))
    return forward, reverse


def _read_links(path: Path, expected: int) -> list[set[Pair]]:
    if not path.exists():
        raise MtError(f"eflomal wrote no alignment ({path.name}); run with -v to see why")
    lines = path.read_text(encoding="utf-8").split("\n")[:expected]
    if len(lines) != expected:
        raise MtError(f"eflomal wrote {len(lines)} alignments for {expected} sentences")
    return [parse_pharaoh(line) for line in lines]
