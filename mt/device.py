"""Where models run: ``--device auto|cpu|cuda``, for CTranslate2 and for torch."""

from __future__ import annotations

from mt.errors import InputError

DEVICES = ("auto", "cpu", "cuda")


def cuda_present(engine: str) -> bool:
    """Whether ``engine`` (``ctranslate2`` or ``torch``) sees a CUDA device."""
    if engine == "ctranslate2":
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    import torch

    return torch.cuda.is_available()


def resolve_device(device: str, engine: str) -> str:
    """``cpu`` or ``cuda`` for ``engine``; ``auto`` takes CUDA when ``engine`` sees one."""
    if device not in DEVICES:
        raise InputError(f"--device {device}: unknown device; choose from {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu"
    present = cuda_present(engine)
    if device == "cuda" and not present:
        raise InputError(f"--device cuda: {engine} sees no CUDA device (no GPU, driver or CUDA "
                         "build here); use --device cpu or --device auto")
    return "cuda" if present else "cpu"
