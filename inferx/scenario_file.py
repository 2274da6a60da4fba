"""Scenario files (`inferx.toml`) and batch lines: data that maps onto a request's fields.

A file holds request fields at the top (shared by every command) and, optionally, a table per
command (``[estimate]``, ``[compare]``, ``[bill]``) whose keys override the top for that
command.  It is data: read with tomllib, never evaluated.  A key no command takes is an error
naming the file, the line and the key; a value that fails validation is reported the same way
(inferx/cli/_scenario.py).  A batch line (JSON Lines) holds the same keys.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inferx.errors import ExitCode, InferxError

FILE_NAME = "inferx.toml"
COMMANDS = ("estimate", "compare", "bill")
# Keys of which at most one may be in force: a layer that sets any of a group's keys replaces
# every key of that group from the layers below it (a file's --clients does not clash with
# a typed --concurrency).
EXCLUSIVE_GROUPS = (
    frozenset({"concurrency", "clients", "request_rate", "requests", "arrival"}),
    frozenset({"daily_queries", "users", "queries_per_user"}),
    frozenset({"cost_per_query", "cost_per_million_tokens"}),
    frozenset({"peak_to_average", "hourly_weights"}),
)
# Per command: file key → request field, where the natural spelling differs.
ALIASES = {"compare": {"model": "models"}, "bill": {"traffic_profile": "hourly_weights"}}


class ScenarioFileError(InferxError):
    """A scenario file (or batch line) that cannot be read, or holds a bad key or value."""

    code = "invalid_scenario"
    exit_code = ExitCode.USAGE

    def __init__(self, path: str, line: int | None, key: str | None, detail: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {key}: {detail}" if key else f"{where}: {detail}",
                         path=path, line=line, key=key)
        self.line = line


@dataclass(frozen=True)
class Origin:
    """Where a value came from: file (or batch file) and line, and the key as written."""

    path: str
    line: int | None
    key: str


@dataclass
class Layer:
    """Request fields from one source, and where each came from (None: a typed flag)."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin | None] = field(default_factory=dict)

    def over(self, base: Layer) -> Layer:
        """This layer on top of `base`: its keys win, and replace their exclusive group."""
        values, origins = dict(base.values), dict(base.origins)
        for group in EXCLUSIVE_GROUPS:
            if group & self.values.keys():
                for key in group:
                    values.pop(key, None)
                    origins.pop(key, None)
        values.update(self.values)
        origins.update(self.origins)
        return Layer(values, origins)


@functools.cache
def request_fields(command: str) -> dict[str, Any]:
    """The request's fields for a command: name → dataclasses.Field."""
    if command == "estimate":
        from inferx.inputs import EstimateRequest as cls
    elif command == "compare":
        from inferx.compare_request import CompareRequest as cls  # type: ignore[assignment]
    else:
        from inferx.bill.request import BillRequest as cls  # type: ignore[assignment]
    import dataclasses

    fields = {f.name: f for f in dataclasses.fields(cls)}
    if command == "bill":  # the bill sizes each replica's traffic itself
        for name in EXCLUSIVE_GROUPS[0]:
            fields.pop(name, None)
    return fields


def _is_list(info: Any) -> bool:
    return "list[" in str(info.type)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """(table..., key) → the line that sets it, from the TOML text (tomllib keeps no lines)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    header = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
    key = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")
    for n, line in enumerate(text.splitlines(), 1):
        if m := header.match(line):
            table = tuple(p.strip().strip("\"'") for p in m.group(1).split("."))
            lines.setdefault(table, n)
        elif m := key.match(line):
            path = table + tuple(p.strip().strip("\"'") for p in m.group(1).split("."))
            lines.setdefault(path, n)
    return lines


def layer_from_mapping(data: dict[str, Any], command: str, path: str,
                       lines: dict[tuple[str, ...], int], line: int | None = None,
                       folder: Path | None = None) -> Layer:
    """The fields for `command` from a parsed file or batch line; unknown keys are errors."""
    every = _every_key()
    mine = request_fields(command)
    aliases = ALIASES.get(command, {})
    out = Layer()

    def where(*keys: str) -> int | None:
        return line if line is not None else lines.get(tuple(keys))

    def take(key: str, value: Any, table: tuple[str, ...]) -> None:
        name = aliases.get(key, key)
        if name not in mine:
            return
        if key == "traffic_profile":  # a file of 24 hourly weights, as --traffic-profile
            value = _weights(value, folder, path, where(*table, key))
        elif isinstance(value, str) and _is_list(mine[name]):
            value = [p.strip() for p in value.split(",")]
        out.values[name] = value
        out.origins[name] = Origin(path, where(*table, key), key)

    for key, value in data.items():
        if key in COMMANDS:
            if not isinstance(value, dict):
                raise ScenarioFileError(path, where(key), key, f"expected a table of "
                                        f"{key} fields, got {value!r}")
            known = set(request_fields(key)) | set(ALIASES.get(key, {}))
            for sub in value:
                if sub not in known:
                    raise ScenarioFileError(path, where(key, sub), f"{key}.{sub}",
                                            f"unknown key: `inferx {key}` takes "
                                            f"{_names(known)}")
        elif key not in every:
            raise ScenarioFileError(path, where(key), key,
                                    f"unknown key; expected one of {_names(every)}")
    for key, value in data.items():
        if key not in COMMANDS:
            take(key, value, ())
    section = data.get(command, {})
    top = Layer(out.values, out.origins)
    out = Layer()
    for key, value in section.items():
        take(key, value, (command,))
    return out.over(top)


def _weights(value: Any, folder: Path | None, path: str, line: int | None) -> list[float]:
    from inferx.bill.traffic import read_traffic_profile
    from inferx.errors import InputError

    if not isinstance(value, str):
        raise ScenarioFileError(path, line, "traffic_profile",
                                f"expected the path of a file of 24 hourly weights, got {value!r}")
    target = Path(value) if folder is None or Path(value).is_absolute() else folder / value
    try:
        return read_traffic_profile(target)
    except InputError as exc:
        raise ScenarioFileError(path, line, "traffic_profile", exc.detail) from None


@functools.cache
def _every_key() -> frozenset[str]:
    return frozenset({name for c in COMMANDS for name in request_fields(c)}
                     | {a for c in ALIASES.values() for a in c})


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names))


def read_file(path: Path, command: str) -> Layer:
    """One scenario file's fields for `command`."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioFileError(str(path), None, None, f"cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ScenarioFileError(str(path), int(m.group(1)) if m else None, None,
                                f"not valid TOML: {exc}") from None
    layer = layer_from_mapping(data, command, str(path), key_lines(text), folder=path.parent)
    _resolve_paths(layer, path.parent)
    return layer


def _resolve_paths(layer: Layer, folder: Path) -> None:
    """A relative calibration path in a file is relative to the file, not the working dir."""
    value = layer.values.get("calibration")
    if isinstance(value, str) and value and not Path(value).is_absolute():
        layer.values["calibration"] = str(folder / value)


def read_files(paths: list[Path], command: str) -> Layer:
    """Several scenario files, later ones overriding earlier ones."""
    layer = Layer()
    for path in paths:
        layer = read_file(path, command).over(layer)
    return layer


def batch_line(text: str, command: str, path: str, line: int) -> tuple[Layer, Any]:
    """One JSON Lines record: a JSON object with the keys of a scenario file, plus an
    optional ``id`` (any string or number) that names the scenario in the output."""
    import json

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ScenarioFileError(path, line, None, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioFileError(path, line, None,
                                f"expected a JSON object of scenario keys, got {text.strip()[:40]}")
    scenario_id = data.pop("id", None)
    return layer_from_mapping(data, command, path, {}, line=line), scenario_id


TEMPLATE = '''\
# inferx scenario file: the inputs of `inferx estimate`, `compare` and `bill`, kept in one
# place.  inferx reads ./inferx.toml by itself (and says so on stderr); pass other files with
# --scenario FILE (repeatable: later files, then the flags you type, override).  Keys are the
# request fields listed in docs/scenario-files.md; an unknown key is an error naming its line.

# --- the serving setup, shared by every command -------------------------------------------
model = "{model}"              # profile id or alias (`inferx profiles list model`)
hardware = "{hardware}"           # profile id or alias (`inferx profiles list hardware`)
precision = "{precision}"                # weight precision (docs/methodology.md#quantization)
# kv_precision = "fp8"            # KV-cache precision (default: fp8 for fp8/fp4, else 16-bit)
# gpus = 1                        # GPUs per replica (default: the fewest that fit)
input_tokens = {input_tokens}              # prompt tokens per request
output_tokens = {output_tokens}              # generated tokens per request
# engine = "vllm"                 # serving-engine preset
# calibration = "vllm-h100.toml"  # written by `inferx calibrate` (relative to this file)

# --- traffic: one of concurrency, clients, request_rate, requests ------------------------
# concurrency = 32                # requests in flight per replica, or "max"
# clients = 64                    # closed-loop clients
# request_rate = 5.0              # offered requests per second

# --- prices ----------------------------------------------------------------------------
# pricing = "on-demand"           # on-demand, spot, reserved-1y, reserved-3y, capacity-block
# provider = "aws"                # only this provider's price profiles
# price = "aws-p5-us-east-1"      # a price profile id
# gpu_hour_price = 2.5            # USD per GPU-hour (overrides price)

# --- assumptions (docs/methodology.md#assumptions) ------------------------------------
# [assume]
# compute_efficiency = 0.5

[compare]
# across = "precision"            # precision, hardware or model
# precisions = ["bf16", "fp8", "int4-wo"]
# max_ttft_ms = 500.0             # latency targets: the cheapest row meeting them is marked
# max_tpot_ms = 50.0

[bill]
daily_queries = 1000000           # or users = ... with queries_per_user = ...
# peak_to_average = 2.0
# max_ttft_ms = 1000.0
# target_utilization = "70%"
# traffic_profile = "hours.csv"   # 24 hourly weights (relative to this file)
# apis = ["openai-gpt-4o"]        # API price profiles: build vs buy
# growth = "10%"                  # monthly volume growth
# months = 12
'''


def template() -> str:
    from inferx.defaults import (
        DEFAULT_HARDWARE,
        DEFAULT_INPUT_TOKENS,
        DEFAULT_MODEL,
        DEFAULT_OUTPUT_TOKENS,
        DEFAULT_PRECISION,
    )

    return TEMPLATE.format(model=DEFAULT_MODEL, hardware=DEFAULT_HARDWARE,
                           precision=DEFAULT_PRECISION, input_tokens=DEFAULT_INPUT_TOKENS,
                           output_tokens=DEFAULT_OUTPUT_TOKENS)
