"""JSON: the envelope as one document, newline-terminated, never through Rich."""

from __future__ import annotations

import json

from inferx.results import Envelope


def dumps(envelope: Envelope) -> str:
    return json.dumps(envelope.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
