"""``mt models``: models known locally."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list known models")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="embedded, MT_MODEL and cached hub models")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_list)
    conversion = verbs.add_parser("convert", help="convert a MarianMT model for CTranslate2 "
                                                  "ahead of time (cached, reused by translate)")
    conversion.add_argument("model", nargs="?", help="directory or hub id (default: embedded)")
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
            print(f"{mark} {entry['name']}\t{entry['source']}\t{entry['path']}")
    return 0


def run_convert(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mt.errors import InputError
    from mt.models import resolve_model
    from mt.outputs import refuse_clobber
    from mt.translate.ct2 import convert

    model = resolve_model(args.model)
    output = Path(args.output) if args.output else None
    refuse_clobber([model.path], [output])
    if output is not None and output.is_dir() and any(output.iterdir()) \
            and not (output / "model.bin").is_file():
        raise InputError(f"{output}: a folder with other files in it; converting would "
                         "replace it, so give a new or empty folder")
    if output is not None and output.exists() and not output.is_dir():
        raise InputError(f"{output}: exists and is not a folder; give a folder name")
    print(convert(model, output, force=args.force))
    return 0
