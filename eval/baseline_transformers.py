"""The speed baseline: plain ``MarianMTModel.generate``, one sentence at a time.

    python eval/baseline_transformers.py MODEL SOURCE_FILE [--threads N] [--beam 4] > hyp.txt

Deliberately naive (no batching, no sorting, no CTranslate2): what a user of
transformers writes first. Same model and threads as the system it is compared to.
"""

from __future__ import annotations

import argparse
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("source")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=4)
    args = parser.parse_args()
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(args.threads)
    tokenizer = MarianTokenizer.from_pretrained(args.model)
    model = MarianMTModel.from_pretrained(args.model).eval()
    with open(args.source, encoding="utf-8") as lines, torch.inference_mode():
        for line in lines:
            batch = tokenizer([line.rstrip("\n")], return_tensors="pt")
            output = model.generate(**batch, num_beams=args.beam, max_new_tokens=256)
            sys.stdout.write(tokenizer.decode(output[0], skip_special_tokens=True) + "\n")


if __name__ == "__main__":
    main()
