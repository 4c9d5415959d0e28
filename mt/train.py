"""Training and fine-tuning MarianMT models on parallel TSV data.

From scratch, a joint sentencepiece model is trained first and written as the
three files ``MarianTokenizer`` loads (``source.spm``, ``target.spm``,
``vocab.json``). Batches are built by token budget over length-sorted pairs.
Training checkpoints (model, optimiser, schedule, data position) so that a
killed run resumes where it stopped; every checkpoint also refreshes a
``save_pretrained`` directory that ``mt translate --model DIR`` loads.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from mt.arabic import arabic_ratio, has_arabic, has_markup, has_placeholder, strip_diacritics
from mt.device import DEVICES
from mt.errors import InputError, one_of
from mt.hub import MARIAN_TOKENIZER_FILES, TOKENIZER_FILES
from mt.inputs import read_pairs
from mt.limits import MAX_BATCH_TOKENS, MAX_THREADS, Bounds
from mt.translate.options import BEAM_SIZE

log = logging.getLogger("mt")

# Tokenised English as MADAR ships it ("Hello . My name is John ."), which a model copies.
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([.,!?;:%)\]])")
_SPACE_AFTER_OPEN_RE = re.compile(r"([(\[])\s+")
_SPACED_HYPHEN_RE = re.compile(r"(?<=\w) - (?=\w)")


def detokenize_english(text: str) -> str:
    """English with tokeniser spacing around punctuation undone ("one , two ." -> "one, two.")."""
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN_RE.sub(r"\1", text)
    return _SPACED_HYPHEN_RE.sub("-", text)


@dataclass(frozen=True)
class DataSource:
    """A parallel file and how much of it one epoch draws (0.5: half, 2.0: twice)."""

    path: str
    weight: float = 1.0

    @classmethod
    def parse(cls, spec: str) -> DataSource:
        """``PATH`` or ``PATH:WEIGHT`` (a weight above 0)."""
        path, sep, weight = spec.rpartition(":")
        if sep and re.fullmatch(r"[-+]?\d+(\.\d+)?", weight) and not Path(spec).exists():
            if float(weight) <= 0:
                raise InputError(f"{spec}: weight {weight} draws nothing; give a weight above 0 "
                                 "(1: the file once an epoch) or leave the file out")
            return cls(path, float(weight))
        return cls(spec, 1.0)


@dataclass(frozen=True)
class Option:
    """How a ``TrainConfig`` field is given on the command line, and the values it takes."""

    flag: str
    help: str = ""
    bounds: Bounds = Bounds()
    choices: tuple[str, ...] = ()


def _option(default: Any, flag: str, help: str = "", low: float | None = None,
            high: float | None = None, above: bool = False,
            choices: tuple[str, ...] = ()) -> Any:
    """A ``TrainConfig`` field that ``mt train`` offers as ``flag`` (see ``config_options``)."""
    return field(default=default, metadata={
        "option": Option(flag, help, Bounds(low, high, above), choices)})


@dataclass
class TrainConfig:
    """Everything a training run needs; saved beside the checkpoint.

    The fields made with ``_option`` are ``mt train``'s options, their ranges
    checked here too, so the library refuses what the command line refuses.
    """

    sources: list[DataSource]
    output: str
    workdir: str
    init: str | None = _option(None, "--init", "fine-tune this MarianMT directory instead of "
                                               "starting afresh")
    tokenizer: str | None = _option(  # reuse this model directory's sentencepiece files
        None, "--tokenizer", "from scratch, but with this model directory's sentencepiece files")
    vocab_size: int = _option(12000, "--vocab-size", "sentencepiece pieces", 100, 1_000_000)
    d_model: int = _option(256, "--d-model", "hidden size (a multiple of --heads)", 1, 65536)
    encoder_layers: int = _option(6, "--encoder-layers", low=1, high=256)
    decoder_layers: int = _option(2, "--decoder-layers", low=1, high=256)
    attention_heads: int = _option(4, "--heads", "attention heads", 1, 1024)
    ffn_dim: int = _option(1024, "--ffn-dim", "feed-forward size", 1, 1 << 20)
    dropout: float = 0.1
    max_length: int = 128
    max_tokens: int = _option(4096, "--max-tokens", "tokens per batch", 1, MAX_BATCH_TOKENS)
    learning_rate: float = _option(1e-3, "--lr", "peak learning rate", 0, 1, above=True)
    warmup_steps: int = _option(1000, "--warmup", "steps of linear warm-up", 1)
    label_smoothing: float = 0.1
    max_steps: int = _option(100_000, "--max-steps", low=1)
    max_hours: float = _option(0.0, "--max-hours", "stop after this long (0: never)", 0)
    save_every: int = _option(500, "--save-every", "steps between checkpoints", 1)
    keep_checkpoints: int = _option(  # weight snapshots kept for averaging (workdir/snapshots)
        0, "--keep-checkpoints", "keep the weights of the last N checkpoints in "
                                 "WORKDIR/snapshots (for averaging; 0: none)", 0, 10_000)
    log_every: int = _option(50, "--log-every", "steps between progress lines", 1)
    threads: int = _option(2, "--threads", low=1, high=MAX_THREADS)
    seed: int = _option(1, "--seed", low=0, high=2**32 - 1)
    precision: str = _option(  # bf16: autocast (CUDA or CPU), weights and optimiser in fp32
        "fp32", "--precision", "bf16: mixed precision (weights and optimiser stay fp32); on a "
                               "CPU it pays only where the CPU has bf16 instructions "
                               "(AVX512-BF16, AMX)", choices=("fp32", "bf16"))
    device: str = _option("auto", "--device", "auto: CUDA when present (default), else the CPU",
                          choices=DEVICES)

    def __post_init__(self) -> None:
        for name, option in config_options():
            value = getattr(self, name)
            if option.choices and value not in option.choices:
                raise InputError(f"{option.flag} {value}: unknown; use {one_of(option.choices)}")
            if isinstance(value, (int, float)) and (problem := option.bounds.problem(value)):
                raise InputError(f"{option.flag}: {problem}")
        if self.init is None and self.d_model % self.attention_heads:
            raise InputError(f"--d-model {self.d_model} is not a multiple of --heads "
                             f"{self.attention_heads}; each head takes an equal share of it")


def config_options() -> list[tuple[str, Option]]:
    """``TrainConfig``'s fields offered as ``mt train`` options, in order."""
    return [(f.name, f.metadata["option"]) for f in fields(TrainConfig) if "option" in f.metadata]


def clean_pair(ar: str, en: str, max_chars: int = 600) -> tuple[str, str] | None:
    """The pair as the model should see it, or None when it is noise.

    Drops placeholders and markup, empty or overlong sides, wrong scripts and
    implausible length ratios; removes harakat from the Arabic copy and
    tokeniser spacing from the English.
    """
    ar = strip_diacritics(ar).strip()
    en = detokenize_english(en.strip())
    if not ar or not en or len(ar) > max_chars or len(en) > max_chars:
        return None
    if has_placeholder(ar, en) or has_markup(ar, en):  # the filter mt corpus filter uses
        return None
    if arabic_ratio(ar) < 0.6 or has_arabic(en):  # Arabic left in English is taught as output
        return None
    ratio = (len(en) + 5) / (len(ar) + 5)
    if not 0.5 <= ratio <= 3.0:
        return None
    return ar, en


def source_pairs(path: str) -> Iterator[tuple[str, str]]:
    """Pairs of a TSV/TSV.gz file, or of a Hugging Face dataset directory (``save_to_disk``).

    A dataset gives ``translation: {ar, en}`` (the hub's translation layout) or
    ``ar`` and ``en`` columns; of a DatasetDict, the ``train`` split.
    """
    if not Path(path).is_dir():
        yield from read_pairs(path)
        return
    from datasets import DatasetDict, load_from_disk

    dataset = load_from_disk(path)
    if isinstance(dataset, DatasetDict):
        if "train" not in dataset:
            raise InputError(f"{path}: a DatasetDict without a 'train' split; save one split")
        dataset = dataset["train"]
    columns = set(dataset.column_names)
    if "translation" in columns:
        for row in dataset["translation"]:
            yield row["ar"], row["en"]
    elif {"ar", "en"} <= columns:
        yield from zip(dataset["ar"], dataset["en"], strict=True)
    else:
        raise InputError(f"{path}: no 'translation' or 'ar'/'en' columns; found {sorted(columns)}")


# What a resumed run may change: where it writes, how long it runs, what it logs, the
# hardware (and how the workdir is spelt). Everything else (data, model shape, schedule,
# seed) belongs to the run.
RESUMABLE_CHANGES = frozenset({"output", "workdir", "max_steps", "max_hours", "save_every",
                               "keep_checkpoints", "log_every", "threads", "precision",
                               "device"})


def refuse_changed_run(saved: dict, config: TrainConfig, workdir: Path) -> None:
    """Raise InputError when ``config`` would resume a run started with other settings."""
    current = json.loads(json.dumps(asdict(config), default=str))
    changed = sorted(key for key in current.keys() - RESUMABLE_CHANGES
                     if key in saved and saved[key] != current[key])
    if changed:
        listed = ", ".join(f"{key} {saved[key]!r} -> {current[key]!r}" for key in changed)
        raise InputError(f"{workdir}: holds a run started with other settings ({listed}); "
                         "resume it with its own settings, or give a new --workdir")


def data_fingerprint(pairs: list[tuple[str, str]], tokenizer_dir: Path, max_length: int) -> str:
    """A short hash of what the encoded data depends on: the cleaned, mixed pairs
    themselves (so a change to a file, the mix, the seed or the cleaning rules is
    seen), the tokenizer's files and the length limit."""
    import hashlib

    digest = hashlib.sha256(f"max_length={max_length}\n".encode())
    for name in TOKENIZER_FILES:
        if (tokenizer_dir / name).is_file():
            digest.update(name.encode() + b"\0" + (tokenizer_dir / name).read_bytes())
    for ar, en in pairs:
        digest.update(f"{ar}\t{en}\n".encode())
    return digest.hexdigest()[:12]


def mixed_pairs(sources: Iterable[DataSource], seed: int) -> list[tuple[str, str]]:
    """Clean pairs from every source, each sampled by its weight, deterministically."""
    rng = random.Random(seed)
    mixed: list[tuple[str, str]] = []
    for source in sources:
        pairs = [p for p in (clean_pair(ar, en) for ar, en in source_pairs(source.path)) if p]
        whole, fraction = divmod(source.weight, 1.0)
        taken = pairs * int(whole) + rng.sample(pairs, round(len(pairs) * fraction))
        log.info("%s: %d clean pairs, %d drawn (weight %g)", source.path, len(pairs),
                 len(taken), source.weight)
        mixed.extend(taken)
    rng.shuffle(mixed)
    return mixed


def train_tokenizer(pairs: list[tuple[str, str]], directory: Path, vocab_size: int,
                    seed: int) -> int:
    """A joint sentencepiece model written as MarianTokenizer's files in ``directory``.

    Ids follow opus-mt: ``</s>`` 0, ``<unk>`` 1, and ``<pad>`` last. Returns the
    vocabulary size, which a small corpus may keep below ``vocab_size``.
    """
    import sentencepiece as spm

    directory.mkdir(parents=True, exist_ok=True)
    sample = random.Random(seed).sample(pairs, min(len(pairs), 300_000))
    corpus = directory / "spm-train.txt"
    with corpus.open("w", encoding="utf-8") as out:
        for ar, en in sample:
            out.write(ar + "\n" + en + "\n")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(directory / "joint"), vocab_size=vocab_size - 1,
        model_type="unigram", character_coverage=0.9999, eos_id=0, unk_id=1, bos_id=-1,
        pad_id=-1, input_sentence_size=600_000, shuffle_input_sentence=True,
        num_threads=2, minloglevel=2, hard_vocab_limit=False,
    )
    corpus.unlink()
    processor = spm.SentencePieceProcessor(model_file=str(directory / "joint.model"))
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    for name in ("source.spm", "target.spm"):
        shutil.copy(directory / "joint.model", directory / name)
    (directory / "joint.model").unlink()
    (directory / "joint.vocab").unlink()
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    (directory / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "MarianTokenizer", "source_lang": "ar", "target_lang": "en",
        "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "model_max_length": 512, "separate_vocabs": False,
    }, indent=2), "utf-8")
    return len(vocab)


def new_model(config: TrainConfig, vocab_size: int, pad_id: int):  # noqa: ANN201
    """A randomly initialised MarianMT of the configured shape."""
    from transformers import MarianConfig, MarianMTModel

    marian = MarianConfig(
        vocab_size=vocab_size, decoder_vocab_size=vocab_size, d_model=config.d_model,
        encoder_layers=config.encoder_layers, decoder_layers=config.decoder_layers,
        encoder_attention_heads=config.attention_heads,
        decoder_attention_heads=config.attention_heads,
        encoder_ffn_dim=config.ffn_dim, decoder_ffn_dim=config.ffn_dim,
        dropout=config.dropout, activation_function="swish", max_position_embeddings=512,
        scale_embedding=True, share_encoder_decoder_embeddings=True,
        pad_token_id=pad_id, eos_token_id=0, bos_token_id=0, forced_eos_token_id=0,
        decoder_start_token_id=pad_id, tie_word_embeddings=True,
    )
    return MarianMTModel(marian)


def token_batches(lengths: list[tuple[int, int]], max_tokens: int,
                  rng: random.Random) -> list[list[int]]:
    """Index batches of similar length whose padded size stays within ``max_tokens``.

    Sorting is local (chunks of 100 batches' worth) so that batches still mix
    sources; the batch order is shuffled.
    """
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches: list[list[int]] = []
    chunk = max(1000, 100 * max_tokens // 32)
    for begin in range(0, len(order), chunk):
        part = sorted(order[begin:begin + chunk], key=lambda i: max(lengths[i]))
        batch: list[int] = []
        longest = 0
        for index in part:
            longest_if_added = max(longest, *lengths[index])
            if batch and longest_if_added * (len(batch) + 1) > max_tokens:
                batches.append(batch)
                batch, longest_if_added = [], max(lengths[index])
            batch.append(index)
            longest = longest_if_added
        if batch:
            batches.append(batch)
    rng.shuffle(batches)
    return batches


def _pad(rows: list[list[int]], value: int):  # noqa: ANN202
    import torch

    width = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (width - len(r)) for r in rows], dtype=torch.long)


class _Position(NamedTuple):
    """Where a run is: steps done, the epoch, and the batch within it."""

    step: int
    epoch: int
    position: int


class _Window:
    """The steps since the last progress line: their mean loss, tokens a second and pace.

    It starts where the run (or its resumption) starts, so the first line after a
    resume at a step that is not a multiple of ``log_every`` averages the steps
    it has, not ``log_every``.
    """

    def __init__(self, step: int) -> None:
        self.first, self.steps, self.loss, self.tokens = step, 0, 0.0, 0
        self.started = time.monotonic()

    def add(self, loss: float, tokens: int) -> None:
        self.steps += 1
        self.loss += loss
        self.tokens += tokens

    def stats(self, step: int, epoch: int, lr: float, hours: float,
              config: TrainConfig) -> dict[str, float]:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        eta = (config.max_steps - step) * elapsed / self.steps / 3600
        if config.max_hours:
            eta = min(eta, config.max_hours - hours)
        return {"step": step, "epoch": epoch, "loss": self.loss / self.steps,
                "tokens_per_s": self.tokens / elapsed, "lr": lr, "hours": hours,
                "eta_hours": eta, "window": self.steps}


class Trainer:
    """One training run: data, model, optimiser and the resumable loop."""

    def __init__(self, config: TrainConfig,
                 progress: Callable[[dict[str, float]], None] | None = None) -> None:
        self.config = config
        self.workdir = Path(config.workdir)
        self.output = Path(config.output)
        self.progress = progress or (lambda _stats: None)
        self.pairs: list[tuple[str, str]] = []

    # -- data ---------------------------------------------------------------
    def _tokenizer_dir(self) -> Path:
        if self.config.init or self.config.tokenizer:
            return Path(str(self.config.init or self.config.tokenizer))
        directory = self.workdir / "tokenizer"
        if not (directory / "vocab.json").exists():
            log.info("training a %d-piece sentencepiece model", self.config.vocab_size)
            train_tokenizer(self.pairs, directory, self.config.vocab_size, self.config.seed)
        return directory

    def _encode(self, tokenizer, tokenizer_dir: Path  # noqa: ANN001
                ) -> list[tuple[list[int], list[int]]]:
        import torch

        # Named by what the data depends on: changed pairs or tokenizer are encoded afresh.
        fingerprint = data_fingerprint(self.pairs, tokenizer_dir, self.config.max_length)
        cache = self.workdir / f"encoded-{fingerprint}.pt"
        if cache.exists():
            return torch.load(cache)
        encoded = []
        limit = self.config.max_length
        step = 2000
        for begin in range(0, len(self.pairs), step):
            chunk = self.pairs[begin:begin + step]
            batch = tokenizer([a for a, _ in chunk], text_target=[e for _, e in chunk])
            for src, tgt in zip(batch["input_ids"], batch["labels"], strict=True):
                if len(src) <= limit and len(tgt) <= limit:
                    encoded.append((src, tgt))
        temporary = cache.with_suffix(".tmp")  # a killed save never looks like a cache
        torch.save(encoded, temporary)
        temporary.replace(cache)
        log.info("%d pairs encoded, %d longer than %d tokens left out", len(encoded),
                 len(self.pairs) - len(encoded), limit)
        return encoded

    # -- steps of a run -----------------------------------------------------
    def run(self) -> Path:
        """Train until ``max_steps`` or ``max_hours``; returns the saved model directory."""
        import torch

        from mt.device import resolve_device

        config = self.config
        device = torch.device(resolve_device(config.device, "torch"))
        torch.manual_seed(config.seed)
        torch.set_num_threads(config.threads)
        self._save_settings()
        tokenizer, tokenizer_dir, data = self._prepare_data()
        model = self._build_model(tokenizer, device)
        optimizer, schedule = self._optimiser(model)
        at = self._resume(model, optimizer, schedule)
        self._train(model, optimizer, schedule, tokenizer_dir, data, tokenizer.pad_token_id,
                    device, at)
        return self.output

    def _save_settings(self) -> None:
        """``config.json`` in the workdir; a run there with other settings is refused."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        settings = self.workdir / "config.json"
        if (self.workdir / "state.pt").exists() and settings.exists():
            refuse_changed_run(json.loads(settings.read_text("utf-8")), self.config,
                               self.workdir)
        settings.write_text(json.dumps(asdict(self.config), indent=2, default=str), "utf-8")

    def _prepare_data(self) -> tuple[Any, Path, list[tuple[list[int], list[int]]]]:
        """The tokenizer, its folder and the encoded pairs of the mix."""
        from transformers import MarianTokenizer

        from mt.quiet import quiet_transformers

        quiet_transformers()  # before the tokenizer's sacremoses hint, which every run gave
        self.pairs = mixed_pairs(self.config.sources, self.config.seed)
        tokenizer_dir = self._tokenizer_dir()
        tokenizer = MarianTokenizer.from_pretrained(str(tokenizer_dir))
        return tokenizer, tokenizer_dir, self._encode(tokenizer, tokenizer_dir)

    def _build_model(self, tokenizer: Any, device: Any) -> Any:
        """The ``--init`` model, or a new one of the configured shape, on ``device``."""
        import torch
        from transformers import MarianMTModel

        model: torch.nn.Module  # typed as torch's: transformers' own .to() confuses mypy
        if self.config.init:
            model = MarianMTModel.from_pretrained(self.config.init)
        else:
            model = new_model(self.config, len(tokenizer), tokenizer.pad_token_id)
        return model.to(device)

    def _optimiser(self, model: Any) -> tuple[Any, Any]:
        """AdamW and the inverse square-root schedule after a linear warm-up."""
        import torch

        warmup = self.config.warmup_steps
        optimizer = torch.optim.AdamW(model.parameters(), lr=self.config.learning_rate,
                                      betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)

        def inverse_sqrt(step: int) -> float:
            step = max(step, 1)
            return min(step / warmup, math.sqrt(warmup / step))

        return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, inverse_sqrt)

    def _resume(self, model: Any, optimizer: Any, schedule: Any) -> _Position:
        """Where the last checkpoint stopped (its weights, optimiser, schedule and random
        state loaded), or the start."""
        import torch

        state_file = self.workdir / "state.pt"
        if not state_file.exists():
            return _Position(0, 0, 0)
        state = torch.load(state_file, weights_only=False, map_location="cpu")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        if "rng" in state:  # dropout's draws continue where they stopped
            torch.set_rng_state(state["rng"])
        log.info("resumed at step %d (epoch %d, batch %d)", state["step"], state["epoch"],
                 state["position"])
        return _Position(state["step"], state["epoch"], state["position"])

    def _train(self, model: Any, optimizer: Any, schedule: Any, tokenizer_dir: Path,
               data: list[tuple[list[int], list[int]]], pad_id: int, device: Any,
               at: _Position) -> None:
        """The loop: a step a batch, a progress line every ``log_every`` steps, a checkpoint
        every ``save_every`` and at the end."""
        import torch

        config = self.config
        autocast = torch.autocast(device.type, dtype=torch.bfloat16,
                                  enabled=config.precision == "bf16")
        loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100,
                                            label_smoothing=config.label_smoothing)
        lengths = [(len(s), len(t)) for s, t in data]
        step, epoch, position = at
        started = time.monotonic()
        window = _Window(step)
        model.train()
        while step < config.max_steps:
            batches = token_batches(lengths, config.max_tokens, random.Random(config.seed + epoch))
            for batch in batches[position:]:
                src = _pad([data[i][0] for i in batch], pad_id).to(device)
                tgt = _pad([data[i][1] for i in batch], -100).to(device)
                shifted = tgt[:, :-1].masked_fill(tgt[:, :-1] == -100, pad_id)
                decoder_in = torch.cat([torch.full((len(batch), 1), pad_id, device=device),
                                        shifted], dim=1)
                with autocast:
                    logits = model(input_ids=src, attention_mask=(src != pad_id).long(),
                                   decoder_input_ids=decoder_in).logits
                    loss = loss_fn(logits.float().view(-1, logits.size(-1)), tgt.view(-1))
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                step += 1
                position += 1
                window.add(loss.item(), int((tgt != -100).sum()) + int((src != pad_id).sum()))
                hours = (time.monotonic() - started) / 3600
                if step % config.log_every == 0:
                    self.progress(window.stats(step, epoch, float(schedule.get_last_lr()[0]),
                                               hours, config))
                    window = _Window(step)
                out_of_time = bool(config.max_hours) and hours >= config.max_hours
                if step % config.save_every == 0 or step >= config.max_steps or out_of_time:
                    self._checkpoint(model, optimizer, schedule, tokenizer_dir, step, epoch,
                                     position)
                if step >= config.max_steps or out_of_time:
                    return
            epoch, position = epoch + 1, 0

    def _checkpoint(self, model, optimizer, schedule, tokenizer_dir: Path,  # noqa: ANN001
                    step: int, epoch: int, position: int) -> None:
        import torch

        temporary = self.workdir / "state.pt.tmp"
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(), "step": step, "epoch": epoch,
                    "position": position, "rng": torch.get_rng_state()}, temporary)
        temporary.replace(self.workdir / "state.pt")
        if self.config.keep_checkpoints:
            self._snapshot(model, step)
        export_model(model, tokenizer_dir, self.output, self.config.max_length * 2)
        log.info("checkpoint at step %d written to %s", step, self.output)

    def _snapshot(self, model, step: int) -> None:  # noqa: ANN001
        """The weights at ``step`` as ``snapshots/step-NNNNNN.safetensors``; older ones pruned."""
        from safetensors.torch import save_file

        directory = self.workdir / "snapshots"
        directory.mkdir(exist_ok=True)
        temporary = directory / f"step-{step:06d}.tmp"
        weights = {k: v.detach().cpu().clone().contiguous()
                   for k, v in model.state_dict().items()}
        save_file(weights, str(temporary))
        temporary.replace(directory / f"step-{step:06d}.safetensors")
        for old in sorted(directory.glob("step-*.safetensors"))[:-self.config.keep_checkpoints]:
            old.unlink()


def export_model(model, tokenizer_dir: Path, output: Path, max_length: int) -> None:  # noqa: ANN001
    """``save_pretrained`` with safetensors, the tokenizer files and decoding defaults, written
    beside ``output`` and put in its place whole (a model being read is never half new)."""
    from transformers import GenerationConfig

    from mt.models import is_model_dir
    from mt.outputs import StagedDirectory
    from mt.quiet import quiet_transformers

    quiet_transformers()
    pad_id = model.config.pad_token_id
    model.generation_config = GenerationConfig(
        bos_token_id=0, eos_token_id=0, forced_eos_token_id=0, pad_token_id=pad_id,
        decoder_start_token_id=pad_id, num_beams=BEAM_SIZE, max_length=max_length,
        bad_words_ids=[[pad_id]], renormalize_logits=True,
    )
    with StagedDirectory(output, is_model_dir) as staged:
        model.save_pretrained(staged.path, safe_serialization=True)
        for name in MARIAN_TOKENIZER_FILES:
            if (tokenizer_dir / name).exists():
                shutil.copy(tokenizer_dir / name, staged.path / name)
