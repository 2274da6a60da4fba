"""Global CLI options shared by every command (set by the root callback)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class State:
    profiles_dir: Path | None = None
    debug: bool = False

    def registry(self):  # noqa: ANN201 (lazy import keeps start-up cheap)
        from inferx.registry import Registry

        return Registry.default(self.profiles_dir)


STATE = State()
