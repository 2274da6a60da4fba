"""JSON: the envelope as one document, newline-terminated, never through Rich."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from inferx.jsonable import to_jsonable

if TYPE_CHECKING:
    from inferx.results import Envelope


def dumps(envelope: Envelope) -> str:
    return json.dumps(to_jsonable(envelope), indent=2, ensure_ascii=False) + "\n"
