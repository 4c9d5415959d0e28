"""The version of `mt`: the one definition (the package metadata and every signature read it)."""

__version__ = "0.2.0"
