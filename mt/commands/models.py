"""``mt models``: list, pull, remove and convert MarianMT checkpoints."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list, pull, remove or convert models")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="embedded, MT_MODEL and pulled hub models")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_list)
    pull = verbs.add_parser("pull", help="download an Arabic->English MarianMT from the "
                                         "Hugging Face hub into its cache (needs the network)")
    pull.add_argument("model", metavar="ID", help="hub id, e.g. Helsinki-NLP/opus-mt-tc-big-ar-en")
    pull.add_argument("--revision", help="branch, tag or commit (default: main)")
    pull.set_defaults(handler=run_pull)
    remove = verbs.add_parser("remove", help="delete a pulled model and its conversions")
    remove.add_argument("model", metavar="ID", help="hub id, as 'mt models list' shows it")
    remove.set_defaults(handler=run_remove)
    conversion = verbs.add_parser("convert", help="convert a MarianMT model for CTranslate2 "
                                                  "ahead of time (cached, reused by translate)")
    conversion.add_argument("model", nargs="?", help="directory or hub id (default: the "
                                                     "default chain's model)")
    conversion.add_argument("-o", "--output", help="write here instead of the cache")
    conversion.add_argument("--force", action="store_true", help="convert even if cached")
    conversion.set_defaults(handler=run_convert)


def run_list(args: argparse.Namespace) -> int:
    import json

    from mt.models import list_models

    models = list_models()
    if args.format == "json":
        print(json.dumps(models, ensure_ascii=False, indent=2))
    else:
        for entry in models:
            mark = "*" if entry["default"] else " "
            revision = str(entry["revision"] or "-")[:12]
            print(f"{mark} {entry['name']}\t{entry['source']}\t{revision}\t{entry['path']}")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    import sys

    from mt.hub import pull
    from mt.models import ModelRef
    from mt.translate.conversion import convert

    snapshot = pull(args.model, args.revision)
    print(f"{snapshot.repo_id} at revision {snapshot.short_revision}: {snapshot.path}")
    print("converting for CTranslate2 ...", file=sys.stderr, flush=True)
    converted = convert(ModelRef(snapshot.repo_id, snapshot.path, "hub-cache",
                                 snapshot.revision))
    print(f"CTranslate2 conversion: {converted}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    import shutil

    from mt.hub import remove
    from mt.translate.conversion import conversions_of

    print(f"removed {remove(args.model)}")
    for converted in conversions_of(args.model):
        shutil.rmtree(converted, ignore_errors=True)
        print(f"removed {converted}")
    return 0


def run_convert(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mt.models import resolve_model
    from mt.outputs import refuse_clobber, refuse_non_folder
    from mt.translate.conversion import convert

    model = resolve_model(args.model)
    output = Path(args.output) if args.output else None
    refuse_clobber([model.path], [output])
    if output is not None:  # replaced whole: only an earlier conversion, or an empty folder
        refuse_non_folder(output, lambda folder: (folder / "model.bin").is_file())
    print(convert(model, output, force=args.force))
    return 0
