#!/usr/bin/env bash
# The exact command that continues the embedded model (models/ar-en-small) on the
# news-weighted mix. Resumable: run it again and it continues from $WORKDIR/state.pt.
# INIT is the model it started from (the model card's history says which).
set -euo pipefail
D=${MT_SHARED_DATA:-../shared/data}
INIT=${INIT:-models/ar-en-small}
WORKDIR=${WORKDIR:-$HOME/.cache/mt-train/ar-en-small-news}
exec mt -v train \
  "$D/train/unpc_devtest.ar-en.tsv.gz:4" \
  "$D/train/flores200_dev.ar-en.tsv.gz:6" \
  "$D/train/flores200_dev_dialects.ar-en.tsv.gz:0.5" \
  "$D/train/nllb_seed_msa.ar-en.tsv.gz:3" \
  "$D/train/nllb_seed_egyptian.ar-en.tsv.gz:0.5" \
  "$D/train/xquad_context_sentences.ar-en.tsv.gz:5" \
  "$D/train/xquad_context_paragraphs.ar-en.tsv.gz:2" \
  "$D/train/mtgeneval_wiki.ar-en.tsv.gz:3" \
  "$D/train/xquad_questions.ar-en.tsv.gz:2" \
  "$D/train/tatoeba.ar-en.tsv.gz:0.8" \
  "$D/train/madar_aralects.ar-en.tsv.gz:0.4" \
  "$D/train/rasaif_classical.ar-en.tsv.gz:0.5" \
  "$D/train/bible_vandyke_kjv.ar-en.tsv.gz:0.1" \
  "$D/train/hadith_matn.ar-en.tsv.gz:0.1" \
  "$D/train/debian_l10n.ar-en.tsv.gz:0.05" \
  "$D/train/mozilla_l10n.ar-en.tsv.gz:0.1" \
  "$D/train/mediawiki_l10n.ar-en.tsv.gz:0.1" \
  "$D/train/godot_l10n.ar-en.tsv.gz:0.1" \
  "$D/lexicon/cldr_names.ar-en.tsv.gz:1" \
  "$D/lexicon/freedict.ar-en.tsv.gz:0.05" \
  "$D/lexicon/wikidata_names.ar-en.tsv.gz:0.1" \
  "$D/lexicon/anetac_names.ar-en.tsv.gz:0.1" \
  --init "$INIT" --output "$WORKDIR/model" --workdir "$WORKDIR" \
  --max-tokens 4096 --lr 4e-4 --warmup 200 --save-every 200 --keep-checkpoints 8 \
  --threads 2 --seed 3 "$@"
