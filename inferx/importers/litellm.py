"""LiteLLM's model_prices_and_context_window.json → ApiPriceProfiles.

LiteLLM (and tokencost, which reuses it) keeps this file current:
https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json
Each entry maps a model name to, among others::

    "input_cost_per_token": 2.5e-06,          USD per token   → usd_per_million_input_tokens
    "output_cost_per_token": 1e-05,                           → usd_per_million_output_tokens
    "cache_read_input_token_cost": 1.25e-06,                  → usd_per_million_cached_input_tokens
    "cache_creation_input_token_cost": 3.75e-06,              → usd_per_million_cache_write_5m_tokens
    "cache_creation_input_token_cost_above_1hr": 6e-06,       → usd_per_million_cache_write_1h_tokens
    "input_cost_per_token_above_200k_tokens": 6e-06,          → long-context tier (threshold 200000;
    "output_cost_per_token_above_200k_tokens": 2.25e-05,        also ..._above_128k_tokens)
    "input_cost_per_token_batches": 1.25e-06,                 → batch_discount = 1 − batch / input
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
    if not source.strip():
        raise InputError("PATH_OR_URL", "expected a file path or URL, got ''")
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
    tiers = price_tiers(entry, inp)
    data = {
        "id": pid, "aliases": [key] if key.lower() != pid else [],
        "name": f"{provider} {model}", "provider": provider, "api_model": key,
        "usd_per_million_input_tokens": per_million(inp),
        "usd_per_million_output_tokens": per_million(out),
        "usd_per_million_cached_input_tokens": None if cached is None else per_million(cached),
        "context_tokens": context if isinstance(context, int) and not isinstance(context, bool)
        and context > 0 else None,
        **tiers,
        "source": f"LiteLLM model_prices_and_context_window.json ({where}), entry {key!r}",
        "as_of": as_of,
        "notes": "imported by `inferx profiles import-prices`; as_of is the import date",
    }
    try:
        return ApiPriceProfile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        return f"invalid: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


def _usd(entry: dict[str, Any], name: str) -> float | None:
    v = entry.get(name)
    return per_million(v) if finite_number(v) and v >= 0 else None


def price_tiers(entry: dict[str, Any], inp: float) -> dict[str, Any]:
    """The tiers an entry publishes; a tier it lacks stays absent ("unknown", never $0)."""
    out: dict[str, Any] = {
        "usd_per_million_cache_write_5m_tokens": _usd(entry, "cache_creation_input_token_cost"),
        "usd_per_million_cache_write_1h_tokens": _usd(
            entry, "cache_creation_input_token_cost_above_1hr")}
    for threshold in (200_000, 128_000):
        tin = _usd(entry, f"input_cost_per_token_above_{threshold // 1000}k_tokens")
        tout = _usd(entry, f"output_cost_per_token_above_{threshold // 1000}k_tokens")
        if tin is not None or tout is not None:
            out.update(long_context_threshold_tokens=threshold,
                       usd_per_million_input_tokens_long_context=tin,
                       usd_per_million_output_tokens_long_context=tout,
                       usd_per_million_cached_input_tokens_long_context=_usd(
                           entry, f"cache_read_input_token_cost_above_{threshold // 1000}k_tokens"))
            break
    batch = entry.get("input_cost_per_token_batches")
    if finite_number(batch) and inp > 0 and 0 <= batch < inp:
        out["batch_discount"] = round(1 - batch / inp, 6)
    return {k: v for k, v in out.items() if v is not None}


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
