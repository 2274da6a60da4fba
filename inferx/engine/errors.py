"""The engine's one error: a request value the physics cannot use, naming the request field
(never a CLI flag: inferx/cli/_errors.py maps fields to flags)."""

from __future__ import annotations

from inferx.errors import InputError


class EngineInputError(InputError):
    """A request field whose value the engine refuses (e.g. a TP size that splits no heads)."""
