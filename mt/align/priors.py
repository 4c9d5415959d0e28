"""eflomal's Dirichlet priors: what a trained alignment model carries to new text.

Five kinds of counts, written in eflomal's own priors format (one per line,
tab-separated) so that ``eflomal-align --priors`` can use the file too:

    LEX   arabic-token  english-token  count   token pairs linked (both directions)
    HMMF  jump  count                          jumps between linked source positions
    HMMR  jump  count                          the same, in the reverse direction
    FERF  arabic-token  fertility  count       how many words an Arabic token links
    FERR  english-token  fertility  count      the same for English tokens

``Priors.lines`` writes only the lines about a given vocabulary, so aligning
one sentence pair reads a few hundred lines, not the whole table.
"""

from __future__ import annotations

import gzip
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mt.errors import ModelError


@dataclass
class Priors:
    lexical: dict[str, dict[str, float]] = field(default_factory=dict)
    jumps_forward: Counter[int] = field(default_factory=Counter)
    jumps_reverse: Counter[int] = field(default_factory=Counter)
    fertility_source: dict[str, dict[int, float]] = field(default_factory=dict)
    fertility_target: dict[str, dict[int, float]] = field(default_factory=dict)

    def add_lexical(self, source: str, target: str, count: float) -> None:
        row = self.lexical.setdefault(source, {})
        row[target] = row.get(target, 0.0) + count

    def lines(self, source_vocabulary: Iterable[str] | None = None,
              target_vocabulary: Iterable[str] | None = None) -> Iterator[str]:
        """Priors lines; with vocabularies, only those about their tokens."""
        sources = None if source_vocabulary is None else set(source_vocabulary)
        targets = None if target_vocabulary is None else set(target_vocabulary)
        for source in sorted(self.lexical if sources is None else sources & self.lexical.keys()):
            for target, count in sorted(self.lexical[source].items()):
                if targets is None or target in targets:
                    yield f"LEX\t{source}\t{target}\t{count:g}\n"
        for kind, table, vocabulary in (("FERF", self.fertility_source, sources),
                                        ("FERR", self.fertility_target, targets)):
            for token in sorted(table if vocabulary is None else vocabulary & table.keys()):
                for fertility, count in sorted(table[token].items()):
                    yield f"{kind}\t{token}\t{fertility}\t{count:g}\n"
        for kind, jumps in (("HMMF", self.jumps_forward), ("HMMR", self.jumps_reverse)):
            for jump, count in sorted(jumps.items()):
                yield f"{kind}\t{jump}\t{count:g}\n"

    def save(self, path: Path) -> None:
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
            out.writelines(self.lines())

    @classmethod
    def load(cls, path: Path) -> Priors:
        priors = cls()
        fertility: dict[str, dict[str, dict[int, float]]] = {
            "FERF": defaultdict(dict), "FERR": defaultdict(dict)}
        try:
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                for number, line in enumerate(stream, start=1):
                    fields = line.rstrip("\n").split("\t")
                    kind = fields[0]
                    try:
                        if kind == "LEX":
                            priors.add_lexical(fields[1], fields[2], float(fields[3]))
                        elif kind in fertility:
                            fertility[kind][fields[1]][int(fields[2])] = float(fields[3])
                        elif kind == "HMMF":
                            priors.jumps_forward[int(fields[1])] = float(  # type: ignore[assignment]
                                fields[2])  # a count, written back as read
                        elif kind == "HMMR":
                            priors.jumps_reverse[int(fields[1])] = float(  # type: ignore[assignment]
                                fields[2])
                        else:
                            raise ValueError(kind)
                    except (ValueError, IndexError):
                        raise ModelError(f"{path}:{number}: not an eflomal priors line; "
                                         "rebuild it with python -m mt.align.build") from None
        except OSError as exc:
            raise ModelError(f"{path}: cannot read the aligner's priors ({exc}); "
                             "rebuild them with python -m mt.align.build") from None
        priors.fertility_source = dict(fertility["FERF"])
        priors.fertility_target = dict(fertility["FERR"])
        return priors
