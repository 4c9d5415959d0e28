"""Quiet third-party libraries: their notices are noise on a command line's stderr."""

from __future__ import annotations


def quiet_transformers() -> None:
    """Silence transformers' loading bars and the sacremoses hint."""
    import warnings

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
