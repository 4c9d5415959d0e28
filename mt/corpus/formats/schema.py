"""The one corpus schema: the row form's Hugging Face ``Features`` (Parquet and hf use it)."""

from __future__ import annotations


def features():  # noqa: ANN201 - datasets.Features, imported lazily
    """The declared Hugging Face schema: ``translation: {ar, en}`` plus provenance."""
    from datasets import Features, List, Translation, Value

    span = List(Value("int64"), length=2)
    return Features({
        "translation": Translation(languages=["ar", "en"]),
        "doc": Value("string"),
        "segment": Value("int64"),
        "source": span,
        "target": span,
        "score": Value("float64"),
        "quality": Value("float64"),
        "signature": Value("string"),
        "links": List({"source": span, "target": span, "score": Value("float64")}),
    })
