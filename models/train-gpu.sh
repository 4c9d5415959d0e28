#!/usr/bin/env bash
# A ~30M-parameter MarianMT trained on one CUDA GPU within 10 minutes, then scored.
#
# Here (once):   models/train-gpu.sh prepare      # writes gpu-run/data (git-ignored, ~10 MB)
# On the GPU:    the device tool's run, carrying gpu-run, with
#                  bash models/train-gpu.sh train
#                which writes $OUT/model (fp16 safetensors shards of 15 MB at most, with
#                config.json) and $OUT/scores.json (PUD dev BLEU and chrF of each
#                candidate snapshot, the one chosen on it, and its FLORES-200 devtest scores).
# The tokenizer is models/ar-en-small's: copy its .spm, vocab.json and
# tokenizer_config.json beside the returned shards to use the model.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  prepare) exec python3 models/train_gpu.py prepare --to gpu-run/data ;;
  train) exec python3 models/train_gpu.py train --data gpu-run/data --out "${OUT:?the run tool sets OUT}" \
           --minutes "${MINUTES:-6.5}" ;;
  *) echo "usage: models/train-gpu.sh prepare|train" >&2; exit 2 ;;
esac
