"""Groups a scenario belongs to, for validation that holds a whole group out.

* hardware family: vendor + architecture generation, read from a HardwareRecord
  (`hardware_family`); the unit of "hardware inferx has seen";
* model family: the profile's `family` (llama, qwen, deepseek, ...), with ``-moe`` for
  mixture-of-experts models (`model_family`);
* serving mode: how requests reached the server (`serving_mode`): a static batch, the
  runtime's max batch, closed-loop clients, a steady offered rate, or a finite run / burst.

All pure and deterministic: no registry, no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from inferx.profiles import HardwareRecord, ModelRecord

# (family, pattern over "<id> <name>" lower-cased) in order: the first match wins.  Generation
# boundaries follow each vendor's architecture names (NVIDIA Volta/Turing/Ampere/Ada/Hopper/
# Blackwell; AMD CDNA 2/3/4 and RDNA; Intel Gaudi and Xe).
_NVIDIA = (
    ("NVIDIA Blackwell", r"\b(gb?[23]00|b[23]00|rtx[- ]?50\d\d|rtx pro 6000 blackwell|"
                         r"rtx-pro-6000|gb10|dgx-spark|blackwell)\b"),
    ("NVIDIA Hopper", r"\b(gh200|h100|h200|h800|h20|hopper)\b"),
    ("NVIDIA Ada", r"\b(l4|l40s?|l20|rtx[- ]?40\d\d|rtx[- ]?\d000[- ]ada|ada)\b"),
    ("NVIDIA Ampere", r"\b(a100|a800|a10g?|a30|a40|a16|a2|rtx[- ]?30\d\d|rtx[- ]?a\d000|"
                      r"orin|ampere)\b"),
    ("NVIDIA Turing", r"\b(t4|rtx[- ]?20\d\d|quadro rtx|turing)\b"),
    ("NVIDIA Volta", r"\b(v100|volta)\b"),
)
# NVIDIA datacenter launches by year, for a profile whose name says no generation.
_NVIDIA_BY_YEAR = ((2024, "NVIDIA Blackwell"), (2022, "NVIDIA Hopper"), (2020, "NVIDIA Ampere"),
                   (2018, "NVIDIA Turing"), (2017, "NVIDIA Volta"))
_AMD = (
    ("AMD CDNA4", r"\bmi35\dx?\b"),
    ("AMD CDNA3", r"\bmi3[02]\dx?a?\b"),
    ("AMD CDNA2", r"\bmi2\d\dx?\b"),
    ("AMD RDNA", r"\b(radeon|rx[- ]?\d{4}|r9700|w7\d00)\b"),
)

HARDWARE_FAMILIES = (
    *(f for f, _ in _NVIDIA), "NVIDIA other", *(f for f, _ in _AMD), "AMD other",
    "Apple silicon", "Intel Gaudi", "Intel Xe", "Google TPU", "AWS Trainium/Inferentia", "CPU",
)


def hardware_family(hw: HardwareRecord) -> str:
    """Vendor + generation of a hardware profile, from its vendor, device type, id, name and
    launch year (the year only where an NVIDIA name names no generation).

    >>> hardware_family(registry.get("hardware", "h100"))   # doctest: +SKIP
    'NVIDIA Hopper'
    """
    vendor = hw.vendor.strip().lower()
    text = f"{hw.id} {hw.name}".lower()
    if hw.device_type == "cpu":
        return "CPU"
    if vendor == "apple":
        return "Apple silicon"
    if vendor == "google" or hw.device_type == "tpu":
        return "Google TPU"
    if vendor in ("aws", "amazon") or re.search(r"trainium|inferentia", text):
        return "AWS Trainium/Inferentia"
    if vendor == "intel":
        return "Intel Gaudi" if "gaudi" in text else "Intel Xe"
    if vendor == "amd":
        return next((f for f, pat in _AMD if re.search(pat, text)), "AMD other")
    if vendor == "nvidia":
        found = next((f for f, pat in _NVIDIA if re.search(pat, text)), None)
        if found:
            return found
        if hw.launch_year is not None:
            return next((f for y, f in _NVIDIA_BY_YEAR if hw.launch_year >= y), "NVIDIA other")
        return "NVIDIA other"
    return f"{hw.vendor.strip()} {hw.device_type}"


def model_family(model: ModelRecord) -> str:
    """The profile's family (its id's first word when unset), ``-moe`` for expert models."""
    fam = (model.family or re.split(r"[-_.]", model.id)[0]).lower()
    fam = {"phi3": "phi", "glm4_moe": "glm"}.get(fam, fam)
    return f"{fam}-moe" if model.num_experts > 1 else fam


# Serving modes, in the vocabulary of engine/serving.py's Traffic.mode plus "static" (a static
# batch).  A fixed continuous-batching concurrency ("concurrency") is what closed-loop
# clients that all fit in memory run, so it is measured by the "clients" rows.
SERVING_MODES = ("static", "max", "clients", "rate", "burst")
MODE_ALIASES = {"concurrency": "clients"}


def serving_mode(batch_mode: str, request_rate: float | None = None,
                 num_requests: int | None = None) -> str:
    """The serving mode of a measurement: how requests arrived (its batch_mode and rate).
    `num_requests` (a finite run) changes how the harness replays a rate row, not its mode."""
    if batch_mode == "concurrency":
        return "clients"
    if batch_mode == "rate":  # a finite run at a finite rate is still a rate benchmark
        return "burst" if request_rate == float("inf") else "rate"
    return batch_mode


def layout_slice(deployment: Any, speculation: Any) -> str:
    """The deployment a row ran, as a suffix of its serving-mode group, so rows served with
    expert / attention-data / pipeline parallelism or speculative decoding are held out and
    reported as their own slice (docs/accuracy.md)."""
    parts = []
    if deployment is not None and deployment.dp_attention > 1:
        parts.append("attention-DP + EP")
    elif deployment is not None and deployment.ep > 1:
        parts.append("EP")
    if deployment is not None and deployment.pp > 1:
        parts.append("PP")
    if speculation is not None:
        parts.append("speculative")
    return f" ({', '.join(parts)})" if parts else ""
