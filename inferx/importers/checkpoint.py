"""Exact stored weight bytes from the files next to a config.json.

    model.safetensors.index.json   metadata.total_size (bytes of every tensor, as the index
                                   states it)
    model.safetensors              the file size less its 8-byte length and JSON header
    *.gguf                         Σ over tensor infos of ceil(elements / block) · block bytes
                                   (ggml block layouts: inferx/quant.py GGML_BLOCKS), read from
                                   the GGUF header (magic, version, tensor and key/value counts,
                                   key/value pairs, tensor infos; ggml-org/ggml docs/gguf.md);
                                   the tensor data itself is never read

Each reader returns (bytes, precision scheme id or None, description of what was read).
"""

from __future__ import annotations

import json
import math
import struct
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO

from inferx.errors import InputError
from inferx.quant import GGML_BLOCKS, GGML_TYPE_IDS

TORCH_DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}
GGUF_MAGIC = b"GGUF"
# GGUF metadata value types: fixed sizes in bytes (8 = string, 9 = array are variable)
_GGUF_SCALARS = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def _dtype_scheme(cfg: dict[str, Any]) -> str | None:
    dtype = cfg.get("torch_dtype") or cfg.get("dtype")
    if dtype is None and isinstance(cfg.get("text_config"), dict):
        dtype = cfg["text_config"].get("torch_dtype")
    if cfg.get("quantization_config"):
        return None  # a quantized checkpoint: bytes are exact, the scheme is its own
    return TORCH_DTYPES.get(str(dtype))


def safetensors_bytes(folder: Path, cfg: dict[str, Any]) -> tuple[float, str | None, str] | None:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            total = json.loads(index.read_text(encoding="utf-8"))["metadata"]["total_size"]
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError("--model", f"{index}: no metadata.total_size in the safetensors "
                             "index") from None
        return float(total), _dtype_scheme(cfg), f"{index.name} metadata.total_size"
    single = folder / "model.safetensors"
    if single.is_file():
        with single.open("rb") as fh:
            header = struct.unpack("<Q", fh.read(8))[0]
        return (float(single.stat().st_size - 8 - header), _dtype_scheme(cfg),
                f"{single.name} (file size less its header)")
    return None


def _read(fh: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = fh.read(size)
    if len(data) != size:
        raise ValueError("truncated GGUF header")
    return struct.unpack(fmt, data)[0]


def _string(fh: BinaryIO) -> str:
    return fh.read(_read(fh, "<Q")).decode("utf-8", "replace")


def _skip_value(fh: BinaryIO, vtype: int) -> None:
    if vtype == 8:
        _string(fh)
    elif vtype == 9:
        inner, count = _read(fh, "<I"), _read(fh, "<Q")
        if inner in _GGUF_SCALARS:
            fh.seek(_GGUF_SCALARS[inner] * count, 1)
        else:
            for _ in range(count):
                _skip_value(fh, inner)
    elif vtype in _GGUF_SCALARS:
        fh.seek(_GGUF_SCALARS[vtype], 1)
    else:
        raise ValueError(f"unknown GGUF metadata type {vtype}")


def gguf_tensor_bytes(path: Path) -> tuple[float, Counter[str]]:
    """(Σ tensor bytes, bytes per ggml type) from a GGUF file's header (versions 2 and 3)."""
    with path.open("rb") as fh:
        if fh.read(4) != GGUF_MAGIC:
            raise ValueError("not a GGUF file (bad magic)")
        version = _read(fh, "<I")
        if version < 2:
            raise ValueError(f"GGUF version {version} is not supported (2 or later)")
        tensors, kvs = _read(fh, "<Q"), _read(fh, "<Q")
        for _ in range(kvs):
            _string(fh)
            _skip_value(fh, _read(fh, "<I"))
        by_type: Counter[str] = Counter()
        for _ in range(tensors):
            _string(fh)
            dims = [_read(fh, "<Q") for _ in range(_read(fh, "<I"))]
            type_id = _read(fh, "<I")
            _read(fh, "<Q")  # offset
            name = GGML_TYPE_IDS.get(type_id)
            if name is None:
                raise ValueError(f"unknown ggml tensor type {type_id}")
            per_block, block_bytes = GGML_BLOCKS[name]
            by_type[name] += math.ceil(math.prod(dims) / per_block) * block_bytes
    return float(sum(by_type.values())), by_type


def gguf_bytes(folder: Path) -> tuple[float, str | None, str] | None:
    files = sorted(folder.glob("*.gguf"))
    if not files:
        return None
    total, types = 0.0, Counter[str]()
    for f in files:
        try:
            nbytes, by_type = gguf_tensor_bytes(f)
        except (OSError, ValueError, struct.error) as exc:
            raise InputError("--model", f"{f}: not a readable GGUF file ({exc})") from None
        total += nbytes
        types.update(by_type)
    main = ", ".join(f"{t} {b / total:.0%}" for t, b in types.most_common(3))
    names = ", ".join(f.name for f in files)
    return total, None, f"GGUF tensor infos of {names} ({main})"


def checkpoint_bytes(folder: Path, cfg: dict[str, Any]) -> tuple[float, str | None, str] | None:
    """Exact weight bytes from a safetensors index, a single safetensors file or GGUF files in
    `folder`, whichever is there (in that order); None when none is."""
    return safetensors_bytes(folder, cfg) or gguf_bytes(folder)
