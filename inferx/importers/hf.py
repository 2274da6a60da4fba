"""Hugging Face config.json → ModelProfile.

Field mapping (docs/profiles.md#importing-a-hugging-face-config):

    num_hidden_layers (n_layer)          → num_layers
    hidden_size (n_embd)                 → hidden_size
    intermediate_size (n_inner, ffn_dim) → intermediate_size
    num_attention_heads (n_head)         → num_attention_heads
    num_key_value_heads                  → num_kv_heads
    head_dim                             → head_dim
    vocab_size, tie_word_embeddings      → same names
    max_position_embeddings              → max_context_tokens
    num_local_experts / num_experts / n_routed_experts → num_experts
    num_experts_per_tok / experts_per_token            → experts_per_token
    moe_intermediate_size (Mixtral: intermediate_size)  → moe_intermediate_size
    n_shared_experts, first_k_dense_replace             → num_shared_experts, first_dense_layers
    kv_lora_rank, q_lora_rank, qk_*_head_dim, v_head_dim → MLA (attention = "mla")
    sliding_window (+ layer_types / Gemma patterns)     → sliding_window_tokens / _layers
    interleave_moe_layer_step / decoder_sparse_step     → moe_layer_step (Llama 4 Maverick: 2)
    intermediate_size_mlp (Llama 4 dense width)         → intermediate_size
    attention_chunk_size + no_rope_layers / interval    → attention_chunk_tokens / chunked layers
    layer_types "linear_attention" / full_attention_interval, linear_* → linear attention
    Whisper d_model, encoder_/decoder_layers, *_ffn_dim, max_source/target_positions → encoder-decoder

A repo id (``org/name``) is fetched with huggingface_hub when it is installed (imported lazily).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inferx.errors import InputError, InvalidFileError, InvalidProfileError, clip
from inferx.files import check_name_length, load_json
from inferx.profiles import ID_PATTERN, ModelProfile, slug
from inferx.registry import format_validation_error

# model_type values whose MLP is plain (up, down) rather than gated (gate, up, down).
PLAIN_MLP = {"gpt2", "gpt_neox", "gptj", "gpt_bigcode", "opt", "falcon", "bert", "phi",
             "starcoder2", "bloom"}
# model_type values whose configs omit tie_word_embeddings because the class default is True.
TIED_BY_DEFAULT = {"gemma", "gemma2", "gemma3", "gemma3_text", "gpt2", "gpt_bigcode", "phi"}


# config.json keys read as whole numbers: each must be one (or null); `true` is not 1.
WHOLE_NUMBER_KEYS = (
    "num_hidden_layers", "n_layer", "num_layers", "hidden_size", "n_embd", "d_model",
    "intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size", "num_attention_heads",
    "n_head", "num_key_value_heads", "n_head_kv", "num_kv_heads", "head_dim", "vocab_size",
    "padded_vocab_size", "max_position_embeddings", "n_positions", "seq_length",
    "num_local_experts", "n_routed_experts", "num_experts", "num_experts_per_tok",
    "experts_per_token", "moe_top_k", "moe_intermediate_size", "n_shared_experts",
    "shared_expert_intermediate_size", "first_k_dense_replace", "kv_lora_rank", "q_lora_rank",
    "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim", "sliding_window",
    "sliding_window_pattern")


def check_config_types(cfg: dict[str, Any], where: str) -> dict[str, Any]:
    """Refuse a config whose numeric keys are not whole numbers (naming the key); the config
    with integral floats (4096.0) turned into ints and `sliding_window: false` into null."""
    out = dict(cfg)
    for key in WHOLE_NUMBER_KEYS:
        value = cfg.get(key)
        if value is None or (key == "sliding_window" and value is False):
            out[key] = None if value is False else value
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or value != int(value):
            raise InvalidFileError(where, key, f"expected a whole number, got "
                                   f"{clip(json.dumps(value), 60)}")
        out[key] = int(value)
    for key in ("tie_word_embeddings", "use_sliding_window"):
        if key in cfg and cfg[key] is not None and not isinstance(cfg[key], bool):
            raise InvalidFileError(where, key, f"expected true or false, got "
                                   f"{clip(json.dumps(cfg[key]), 60)}")
    if not isinstance(cfg.get("model_type", ""), str):
        raise InvalidFileError(where, "model_type", "expected a string")
    return out


def _first(cfg: dict[str, Any], *names: str) -> Any:
    for name in names:
        if cfg.get(name) is not None:
            return cfg[name]
    return None


def _text_config(cfg: dict[str, Any]) -> dict[str, Any]:
    """Multimodal configs nest the language model under text_config."""
    inner = cfg.get("text_config")
    if isinstance(inner, dict) and _first(cfg, "num_hidden_layers", "n_layer") is None:
        return {**{k: v for k, v in cfg.items() if k != "text_config"}, **inner}
    return cfg


def _sliding(cfg: dict[str, Any], layers: int | None) -> tuple[int | None, int | None]:
    """(sliding_window_tokens, sliding_window_layers) or (None, None) when every layer is full."""
    window = cfg.get("sliding_window")
    if not isinstance(window, int) or window <= 0 or cfg.get("use_sliding_window") is False:
        return None, None
    layer_types = cfg.get("layer_types")
    if isinstance(layer_types, list) and layer_types:
        local = sum(1 for t in layer_types if t == "sliding_attention")
        return (window, local) if local else (None, None)
    model_type = str(cfg.get("model_type", ""))
    if layers is None:
        return window, None
    if model_type == "gemma2":  # alternating local / global layers
        return window, layers // 2
    pattern = cfg.get("sliding_window_pattern")
    if isinstance(pattern, int) and pattern > 0:  # Gemma 3: every pattern-th layer is global
        return window, layers - layers // pattern
    return window, layers


def config_to_fields(cfg: dict[str, Any]) -> dict[str, Any]:
    """ModelProfile architecture fields from a config.json dict (no identity fields)."""
    if cfg.get("model_type") == "whisper" or "encoder_layers" in cfg and "d_model" in cfg:
        from inferx.importers.hf_layers import whisper_fields

        return whisper_fields(cfg)
    cfg = _text_config(cfg)
    model_type = str(cfg.get("model_type", ""))
    layers = _first(cfg, "num_hidden_layers", "n_layer", "num_layers")
    hidden = _first(cfg, "hidden_size", "n_embd", "d_model")
    heads = _first(cfg, "num_attention_heads", "n_head")
    fields: dict[str, Any] = {
        "family": model_type or None,
        "num_layers": layers,
        "hidden_size": hidden,
        "intermediate_size": _first(cfg, "intermediate_size", "n_inner", "ffn_dim",
                                    "ffn_hidden_size"),
        "num_attention_heads": heads,
        "num_kv_heads": _first(cfg, "num_key_value_heads", "n_head_kv", "num_kv_heads"),
        "head_dim": cfg.get("head_dim"),
        "vocab_size": _first(cfg, "vocab_size", "padded_vocab_size"),
        "tie_word_embeddings": bool(cfg.get("tie_word_embeddings",
                                            model_type in TIED_BY_DEFAULT)),
        "max_context_tokens": _first(cfg, "max_position_embeddings", "n_positions",
                                     "seq_length"),
        "mlp": "plain" if model_type in PLAIN_MLP else "gated",
    }
    if fields["intermediate_size"] is None and hidden and model_type in PLAIN_MLP:
        fields["intermediate_size"] = 4 * hidden  # GPT-2/GPT-J convention: n_inner null → 4·h
    experts = _first(cfg, "num_local_experts", "n_routed_experts", "num_experts")
    if isinstance(experts, int) and experts > 1:
        fields["num_experts"] = experts
        fields["experts_per_token"] = _first(cfg, "num_experts_per_tok", "experts_per_token",
                                             "moe_top_k") or 1
        moe_inter = cfg.get("moe_intermediate_size")
        if moe_inter is None:  # Mixtral, GPT-OSS: intermediate_size is the per-expert width
            moe_inter = fields["intermediate_size"]
        fields["moe_intermediate_size"] = moe_inter
        shared = cfg.get("n_shared_experts")
        shared_width = cfg.get("shared_expert_intermediate_size")
        if shared is None and shared_width and moe_inter and shared_width % moe_inter == 0:
            shared = shared_width // moe_inter  # Qwen2-MoE: one wide shared expert
        if shared:
            fields["num_shared_experts"] = shared
        dense = cfg.get("first_k_dense_replace")
        if dense:
            fields["first_dense_layers"] = dense
    if cfg.get("kv_lora_rank"):
        fields.update(attention="mla", kv_lora_rank=cfg["kv_lora_rank"],
                      q_lora_rank=cfg.get("q_lora_rank"),
                      qk_nope_head_dim=cfg.get("qk_nope_head_dim"),
                      qk_rope_head_dim=cfg.get("qk_rope_head_dim"),
                      v_head_dim=cfg.get("v_head_dim"))
        fields["num_kv_heads"] = None
    elif heads and fields["num_kv_heads"] in (None, heads):
        fields["attention"] = "mha"
        fields["num_kv_heads"] = None if fields["num_kv_heads"] is None else heads
    window, local_layers = _sliding(cfg, layers)
    if window is not None:
        fields["sliding_window_tokens"] = window
        fields["sliding_window_layers"] = local_layers
    from inferx.importers.hf_layers import layer_fields

    fields.update(layer_fields(cfg, model_type, layers))
    return {k: v for k, v in fields.items() if v is not None}


def load_config(source: str) -> tuple[dict[str, Any], str, str | None]:
    """(config dict, source description, repo id or None) for a path or a Hub repo id."""
    path = Path(source).expanduser()
    check_name_length(path, "PATH_OR_REPO")
    try:
        if path.is_dir():
            path = path / "config.json"
        is_file, exists = path.is_file(), path.exists()
    except OSError as exc:  # a path longer than the system allows, a loop of links ...
        raise InputError("PATH_OR_REPO", f"{clip(source, 200)}: {exc.strerror or exc}") \
            from None
    if is_file:
        return load_json(path), str(path.resolve()), None
    if source.count("/") == 1 and not source.startswith((".", "/", "~")) and not exists:
        return _fetch_hub(source)
    raise InputError("PATH_OR_REPO", f"{clip(source, 200)}: no such file (expected a config.json path, a "
                     "directory holding one, or a Hugging Face repo id such as org/name)")


def _fetch_hub(repo_id: str) -> tuple[dict[str, Any], str, str | None]:
    try:
        from huggingface_hub import hf_hub_download  # lazy: optional dependency
    except ImportError:
        raise InputError("PATH_OR_REPO", f"{repo_id} looks like a Hugging Face repo id, but "
                         "huggingface_hub is not installed: `pip install huggingface_hub`, or "
                         "download config.json and pass its path") from None
    try:
        local = hf_hub_download(repo_id=repo_id, filename="config.json")
    except Exception as exc:  # noqa: BLE001 (offline, gated, missing: all one message)
        raise InputError("PATH_OR_REPO", f"could not fetch config.json for {repo_id} from the "
                         f"Hugging Face Hub ({type(exc).__name__}: {exc})") from None
    return load_json(local), f"https://huggingface.co/{repo_id}/blob/main/config.json", repo_id


def import_config(source: str, *, profile_id: str | None = None,
                  as_of: dt.date | None = None) -> ModelProfile:
    """Build a validated ModelProfile from a config.json path or a Hub repo id."""
    cfg, where, repo = load_config(source)
    if not isinstance(cfg, dict):
        raise InvalidFileError(where, "(file)", f"expected a JSON object, got "
                               f"{type(cfg).__name__}")
    inner = cfg.get("text_config")
    cfg = {**check_config_types(cfg, where),
           **({"text_config": check_config_types(inner, where)} if isinstance(inner, dict)
              else {})}
    name_or_path = cfg.get("_name_or_path")
    if repo:
        default_name = repo
    elif isinstance(name_or_path, str) and name_or_path.count("/") == 1 \
            and not name_or_path.startswith((".", "/")):
        default_name = name_or_path
    else:
        default_name = Path(where).parent.name
    if profile_id is not None and (len(profile_id) > 80 or not re.match(ID_PATTERN, profile_id)):
        raise InputError("--id", f"{clip(profile_id, 80)!r}: expected a kebab-case id such as "
                         "'my-model-7b' (lower-case letters, digits, '.', '-'; at most 80)")
    pid = profile_id or slug(default_name.split("/")[-1])
    aliases = [default_name] if "/" in default_name and default_name.lower() != pid else []
    data = {
        "id": pid, "aliases": aliases, "name": default_name.split("/")[-1],
        **config_to_fields(cfg),
        "source": f"Hugging Face config.json: {where}",
        "as_of": as_of or dt.date.today(),
        "notes": "imported by `inferx profiles import-hf`; params_b not set (not in config.json)",
    }
    try:
        return ModelProfile.model_validate(data)
    except ValidationError as exc:
        raise InvalidProfileError(where, format_validation_error(exc)) from None
