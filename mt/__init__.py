"""Traceable Arabic-to-English machine translation.

``import mt`` loads no model and imports nothing heavy.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
