"""LiteLLM's model_prices_and_context_window.json → ApiPriceProfiles.

LiteLLM (and tokencost, which reuses it) keeps this file current:
https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json
Each entry maps a model name to, among others::

    "input_cost_per_token": 2.5e-06,          USD per token   → usd_per_million_input_tokens
    "output_cost_per_token": 1e-05,                           → usd_per_million_output_tokens
    "cache_read_input_token_cost": 1.25e-06,                  → usd_per_million_cached_input_tokens
    "max_input_tokens": 128000,                               → context_tokens
    "litellm_provider": "openai",                             → provider
    "mode": "chat"

Only token-priced text models (mode chat, completion or responses, both prices present) are
imported; the ``sample_spec`` entry and everything else are skipped with a reason.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inferx.errors import InputError, InvalidFileError, clip
from inferx.files import check_name_length, finite_number, loads_json, read_text
from inferx.profiles import ID_PATTERN, ApiPriceProfile, slug

TEXT_MODES = {"chat", "completion", "responses"}
TOKENS_PER_MILLION = 1_000_000
SOURCE_URL = ("https://github.com/BerriAI/litellm/blob/main/"
              "model_prices_and_context_window.json")


@dataclass
class PriceImport:
    profiles: list[ApiPriceProfile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason)
    where: str = ""  # the file or URL read


def per_million(usd_per_token: float) -> float:
    """USD per token → USD per 1M tokens, rounded to 10 decimals to drop float noise."""
    return round(usd_per_token * TOKENS_PER_MILLION, 10)


def load_prices(source: str) -> tuple[dict[str, Any], str]:
    """(JSON object, source description) from a local path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        import urllib.request

        try:
            with urllib.request.urlopen(source, timeout=30) as resp:  # noqa: S310 (user URL)
                text = resp.read().decode("utf-8")
        except Exception as exc:  # noqa: BLE001
            raise InputError("PATH_OR_URL", f"could not download {source}: {exc}") from None
        where = source
    else:
        path = Path(source).expanduser()
        check_name_length(path, "PATH_OR_URL")
        text = read_text(path)
        where = str(path.resolve())
    data = loads_json(text, where)
    if not isinstance(data, dict):
        raise InvalidFileError(where, "(file)", "expected a JSON object of model entries, got "
                               f"{type(data).__name__}")
    if not data:
        raise InvalidFileError(where, "(file)", "no model entries")
    return data, where


def entry_to_profile(key: str, entry: dict[str, Any], *, where: str,
                     as_of: dt.date) -> ApiPriceProfile | str:
    """An ApiPriceProfile, or the reason the entry is skipped."""
    if key == "sample_spec":
        return "LiteLLM's schema example"
    if not isinstance(entry, dict):
        return "not an object"
    mode = entry.get("mode")
    if mode not in TEXT_MODES:
        return f"mode {mode!r} is not token-priced text"
    inp, out = entry.get("input_cost_per_token"), entry.get("output_cost_per_token")
    if inp is None or out is None:
        return "no input_cost_per_token / output_cost_per_token"
    for name, value in (("input_cost_per_token", inp), ("output_cost_per_token", out)):
        if not finite_number(value) or value < 0:
            return f"{name}: expected a number >= 0, got {clip(json.dumps(value), 40)}"
    provider = entry.get("litellm_provider") or key.split("/")[0]
    if not isinstance(provider, str):
        return f"litellm_provider: expected a string, got {clip(json.dumps(provider), 40)}"
    model = key.split("/", 1)[1] if key.startswith(provider + "/") else key
    pid = slug(f"{provider}-{model}")
    if not re.match(ID_PATTERN, pid) or len(pid) > 80:
        return f"cannot make a valid id from {clip(key, 80)!r}"
    cached = entry.get("cache_read_input_token_cost")
    cached = cached if finite_number(cached) and cached >= 0 else None
    context = entry.get("max_input_tokens") or entry.get("max_tokens")
    data = {
        "id": pid, "aliases": [key] if key.lower() != pid else [],
        "name": f"{provider} {model}", "provider": provider, "api_model": key,
        "usd_per_million_input_tokens": per_million(inp),
        "usd_per_million_output_tokens": per_million(out),
        "usd_per_million_cached_input_tokens": None if cached is None else per_million(cached),
        "context_tokens": context if isinstance(context, int) and not isinstance(context, bool)
        and context > 0 else None,
        "source": f"LiteLLM model_prices_and_context_window.json ({where}), entry {key!r}",
        "as_of": as_of,
        "notes": "imported by `inferx profiles import-prices`; as_of is the import date",
    }
    try:
        return ApiPriceProfile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        return f"invalid: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


def import_prices(source: str, *, providers: list[str] | None = None,
                  as_of: dt.date | None = None) -> PriceImport:
    """Every token-priced entry (optionally only the given litellm_provider values)."""
    data, where = load_prices(source)
    as_of = as_of or dt.date.today()
    wanted = {p.lower() for p in providers or []}
    result = PriceImport(where=where)
    seen: set[str] = set()
    for key, entry in data.items():
        if wanted and isinstance(entry, dict) \
                and str(entry.get("litellm_provider", "")).lower() not in wanted:
            continue
        made = entry_to_profile(key, entry, where=where, as_of=as_of)
        if isinstance(made, str):
            result.skipped.append((key, made))
        elif made.id in seen:
            result.skipped.append((key, f"duplicate id {made.id!r}"))
        else:
            seen.add(made.id)
            result.profiles.append(made)
    return result
