"""`--model PATH`: a config.json path or a folder holding one resolves through the registry
(inferx/registry.py → inferx/importers/hf.py), reads exact weight bytes from a safetensors index
or GGUF headers beside it, and names what it read in the profile's source."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inferx.cli import app
from inferx.engine.architecture import param_counts
from inferx.engine.memory import stored_weight_bytes, weight_bytes
from inferx.errors import InputError, UnknownProfileError
from inferx.importers.checkpoint import gguf_tensor_bytes
from inferx.quant import SCHEMES
from inferx.registry import Registry, builtin_dir

HF = Path(__file__).parent / "fixtures" / "hf_configs"


@pytest.fixture
def reg() -> Registry:
    return Registry.from_dirs(builtin_dir())


def test_registry_id_still_wins_and_a_config_path_is_read(reg: Registry) -> None:
    assert reg.get("model", "llama-3.1-8b").id == "llama-3.1-8b"
    entry = reg.entry("model", str(HF / "llama-4-maverick" / "config.json"))
    assert entry.origin == "path"
    assert str((HF / "llama-4-maverick" / "config.json").resolve()) in entry.profile.source
    assert param_counts(entry.profile).total / 1e9 == pytest.approx(400, rel=0.02)


def test_a_folder_works_and_an_unknown_name_is_still_unknown(reg: Registry) -> None:
    assert reg.get("model", str(HF / "qwen3-next-80b-a3b")).linear_attention_layers == 36
    with pytest.raises(UnknownProfileError):
        reg.get("model", "no-such-model-anywhere")


def test_a_folder_without_config_names_the_flag(reg: Registry, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="^model: "):
        reg.get("model", str(tmp_path))


def test_safetensors_index_total_size_gives_exact_weight_bytes(reg: Registry,
                                                               tmp_path: Path) -> None:
    shutil.copy(HF / "llama-3.1-8b" / "config.json", tmp_path / "config.json")
    cfg = json.loads((tmp_path / "config.json").read_text())
    cfg["torch_dtype"] = "bfloat16"
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    # a synthetic index: 16,060,522,496 = 2 bytes x 8,030,261,248 (this architecture in bf16)
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps(
        {"metadata": {"total_size": 16060522496}, "weight_map": {}}))
    m = reg.get("model", str(tmp_path))
    assert (m.checkpoint_bytes, m.checkpoint_precision) == (16060522496, "bf16")
    assert "metadata.total_size" in m.source
    counts = param_counts(m)
    assert stored_weight_bytes(m, counts, SCHEMES["bf16"]) == 16060522496
    # another precision is computed, not read
    assert stored_weight_bytes(m, counts, SCHEMES["fp8"]) == weight_bytes(counts, SCHEMES["fp8"])


def _gguf(path: Path, tensors: list[tuple[str, list[int], int]],
          file_type: int | None = None) -> None:
    """A minimal GGUF v3 file: header, key/values (a string, an array, general.file_type),
    tensor infos, no data."""
    def string(s: str) -> bytes:
        raw = s.encode()
        return struct.pack("<Q", len(raw)) + raw
    kvs = [string("general.architecture") + struct.pack("<I", 8) + string("llama"),
           string("tokenizer.ggml.scores") + struct.pack("<IIQ", 9, 6, 3)
           + struct.pack("<3f", 0.0, -1.0, -2.0)]
    if file_type is not None:
        kvs.append(string("general.file_type") + struct.pack("<II", 4, file_type))
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs)) + b"".join(kvs)
    for name, dims, type_id in tensors:
        out += string(name) + struct.pack("<I", len(dims))
        out += b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", type_id, 0)
    path.write_bytes(out)


def test_gguf_header_gives_tensor_bytes_by_ggml_block_layout(tmp_path: Path) -> None:
    f = tmp_path / "m.gguf"
    # q4_k (12): 4096x4096 → 65536 blocks of 144 B; q6_k (14): 4096x256 → 4096 x 210 B;
    # f32 (0): 4096 x 4 B
    _gguf(f, [("blk.0.attn_q.weight", [4096, 4096], 12), ("output.weight", [4096, 256], 14),
              ("output_norm.weight", [4096], 0)])
    total, by_type = gguf_tensor_bytes(f)
    assert by_type == {"q4_k": 65536 * 144, "q6_k": 4096 * 210, "f32": 4096 * 4}
    assert total == 65536 * 144 + 4096 * 210 + 4096 * 4


def test_gguf_beside_a_config_is_read(reg: Registry, tmp_path: Path) -> None:
    shutil.copy(HF / "llama-3.1-8b" / "config.json", tmp_path / "config.json")
    _gguf(tmp_path / "model-Q4_K_M.gguf", [("blk.0.attn_q.weight", [4096, 4096], 12)],
          file_type=15)  # LLAMA_FTYPE_MOSTLY_Q4_K_M
    m = reg.get("model", str(tmp_path))
    assert m.checkpoint_bytes == 65536 * 144 and m.checkpoint_precision == "q4_k_m"
    assert "model-Q4_K_M.gguf" in m.source
    assert stored_weight_bytes(m, param_counts(m), SCHEMES["q4_k_m"]) == 65536 * 144


def test_gguf_without_a_file_type_gives_bytes_but_no_scheme(reg: Registry,
                                                            tmp_path: Path) -> None:
    shutil.copy(HF / "llama-3.1-8b" / "config.json", tmp_path / "config.json")
    _gguf(tmp_path / "m.gguf", [("blk.0.attn_q.weight", [4096, 4096], 12)])
    m = reg.get("model", str(tmp_path))
    assert m.checkpoint_bytes == 65536 * 144 and m.checkpoint_precision is None


def test_a_broken_gguf_names_the_flag(reg: Registry, tmp_path: Path) -> None:
    shutil.copy(HF / "llama-3.1-8b" / "config.json", tmp_path / "config.json")
    (tmp_path / "bad.gguf").write_bytes(b"nope")
    with pytest.raises(InputError, match="^model: "):
        reg.get("model", str(tmp_path))


@pytest.mark.parametrize("fixture", ["llama-3.1-8b", "llama-4-maverick", "qwen3-next-80b-a3b",
                                     "deepseek-v3", "gpt-oss-120b", "whisper-large-v3"])
def test_estimate_takes_a_config_path(fixture: str) -> None:
    path = HF / fixture / "config.json"
    result = CliRunner().invoke(app, ["estimate", "--model", str(path), "--hardware", "h200",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["data"]
    model_ref = next(p for p in data["profiles"] if p["kind"] == "model")
    assert str(path.resolve()) in model_ref["source"]
