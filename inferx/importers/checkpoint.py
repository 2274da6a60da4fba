"""Exact stored weight bytes from the files next to a config.json.

    model.safetensors.index.json   metadata.total_size (bytes of every tensor, as the index
                                   states it)
    model.safetensors              the file size less its 8-byte length and JSON header
    *.gguf                         Σ over tensor infos of ceil(elements / block) · block bytes
                                   (ggml block layouts: inferx/quant.py GGML_BLOCKS), read from
                                   the GGUF header (magic, version, tensor and key/value counts,
                                   key/value pairs, tensor infos; ggml-org/ggml docs/gguf.md);
                                   the tensor data itself is never read; general.file_type
                                   (llama.cpp's llama_ftype enum) names the precision scheme

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
# general.file_type: llama.cpp's enum llama_ftype (include/llama.h) → inferx scheme ids
LLAMA_FTYPES = {
    0: "fp32", 1: "fp16", 2: "q4_0", 3: "q4_1", 7: "q8_0", 8: "q5_0", 9: "q5_1", 10: "q2_k",
    11: "q3_k_s", 12: "q3_k_m", 13: "q3_k_l", 14: "q4_k_s", 15: "q4_k_m", 16: "q5_k_s",
    17: "q5_k_m", 18: "q6_k", 19: "iq2_xxs", 20: "iq2_xs", 22: "iq3_xs", 23: "iq3_xxs",
    24: "iq1_s", 25: "iq4_nl", 26: "iq3_s", 27: "iq3_m", 28: "iq2_s", 29: "iq2_m", 30: "iq4_xs",
    31: "iq1_m", 32: "bf16",
}


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
            raise InputError("model", f"{index}: no metadata.total_size in the safetensors "
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
    total, by_type, _ = read_gguf_header(path)
    return total, by_type


def read_gguf_header(path: Path) -> tuple[float, Counter[str], int | None]:
    """(Σ tensor bytes, bytes per ggml type, general.file_type or None) from a GGUF header."""
    with path.open("rb") as fh:
        if fh.read(4) != GGUF_MAGIC:
            raise ValueError("not a GGUF file (bad magic)")
        version = _read(fh, "<I")
        if version < 2:
            raise ValueError(f"GGUF version {version} is not supported (2 or later)")
        tensors, kvs = _read(fh, "<Q"), _read(fh, "<Q")
        file_type: int | None = None
        for _ in range(kvs):
            key, vtype = _string(fh), _read(fh, "<I")
            if key == "general.file_type" and vtype in (4, 5):
                file_type = _read(fh, "<I" if vtype == 4 else "<i")
            else:
                _skip_value(fh, vtype)
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
    return float(sum(by_type.values())), by_type, file_type


def gguf_bytes(folder: Path) -> tuple[float, str | None, str] | None:
    files = sorted(folder.glob("*.gguf"))
    if not files:
        return None
    total, types, ftypes = 0.0, Counter[str](), set()
    for f in files:
        try:
            nbytes, by_type, file_type = read_gguf_header(f)
        except (OSError, ValueError, struct.error) as exc:
            raise InputError("model", f"{f}: not a readable GGUF file ({exc})") from None
        total += nbytes
        types.update(by_type)
        ftypes.add(file_type)
    main = ", ".join(f"{t} {b / total:.0%}" for t, b in types.most_common(3))
    names = ", ".join(f.name for f in files)
    # one file type across every shard names the scheme; mixed or missing: exact bytes only
    only = next(iter(ftypes)) if len(ftypes) == 1 else None
    scheme = LLAMA_FTYPES.get(only) if only is not None else None
    label = f", general.file_type {scheme}" if scheme else ""
    return total, scheme, f"GGUF tensor infos of {names} ({main}{label})"


def checkpoint_bytes(folder: Path, cfg: dict[str, Any]) -> tuple[float, str | None, str] | None:
    """Exact weight bytes from a safetensors index, a single safetensors file or GGUF files in
    `folder`, whichever is there (in that order); None when none is."""
    return safetensors_bytes(folder, cfg) or gguf_bytes(folder)
