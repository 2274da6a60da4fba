"""Percent-or-fraction inputs: ``15%`` is a percent, ``0.15`` (no ``%``) a fraction.

The parser lives with the other field checks (inferx/checks.py), so that a request reads a
percentage without importing the bill package."""

from inferx.checks import parse_fraction

__all__ = ["parse_fraction"]
