"""What one `bill` run carries between its parts: the request, the registry, the date, and the
warnings and profile references it collects on the way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from inferx.api import profile_ref
from inferx.bill.request import BillRequest
from inferx.registry import Registry
from inferx.results import ProfileRef, Warning_


@dataclass
class BillContext:
    req: BillRequest
    registry: Registry
    today: dt.date
    warnings: list[Warning_] = field(default_factory=list)
    profiles: dict[tuple[str, str], ProfileRef] = field(default_factory=dict)

    def ref(self, kind: str, p: Any) -> None:
        self.profiles.setdefault((kind, p.id), profile_ref(kind, p))

    def warn(self, code: str, message: str) -> None:
        if not any(w.code == code and w.message == message for w in self.warnings):
            self.warnings.append(Warning_(code=code, message=message))
