"""The speed floor: raw CTranslate2 ``translate_batch`` on the model mt converts, nothing more.

    python eval/baseline_ctranslate2.py CONVERTED MODEL SOURCE_FILE [--threads N] [--beam 4]
        [--compute-type int8] > hyp.txt

CONVERTED is ``mt models convert MODEL``'s folder. The pieces come from the
model's own ``source.spm``/``target.spm`` (as mt's backend takes them) and the
search is mt's (beam, length penalty, no repeated 4-grams, ``<unk>`` banned, the
start token suppressed, the length limit), in one call whose token batches
CTranslate2 sorts itself. What ``mt translate --lines`` adds to this (reading,
normalising, splitting long lines, the guard, streaming, its start-up) is the
difference between the two whole processes.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("converted")
    parser.add_argument("model")
    parser.add_argument("source")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument("--batch-tokens", type=int, default=2048)
    args = parser.parse_args()
    import ctranslate2
    import sentencepiece as spm

    from mt.models import max_positions, resolve_model
    from mt.translate.marian_start import START_TOKEN
    from mt.translate.options import DecodeOptions

    options = DecodeOptions(beam_size=args.beam)
    source = spm.SentencePieceProcessor(model_file=os.path.join(args.model, "source.spm"))
    target = spm.SentencePieceProcessor(model_file=os.path.join(args.model, "target.spm"))
    translator = ctranslate2.Translator(args.converted, device="cpu",
                                        compute_type=args.compute_type,
                                        intra_threads=args.threads, inter_threads=1)
    with open(args.source, encoding="utf-8") as lines:
        pieces = [source.encode(line.rstrip("\n"), out_type=str) + ["</s>"] for line in lines]
    longest = max(map(len, pieces), default=1)
    results = translator.translate_batch(
        pieces, max_batch_size=args.batch_tokens, batch_type="tokens",
        beam_size=options.beam_size, length_penalty=options.length_penalty,
        no_repeat_ngram_size=options.no_repeat_ngram_size, disable_unk=True,
        suppress_sequences=[[START_TOKEN]], max_input_length=0,
        max_decoding_length=min(options.max_new_tokens(longest),
                                max_positions(resolve_model(args.model)) - 1))
    sys.stdout.write("".join(target.decode_pieces(r.hypotheses[0]) + "\n" for r in results))


if __name__ == "__main__":
    main()
