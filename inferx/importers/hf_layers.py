"""Per-layer layouts a config.json describes beyond the uniform decoder (inferx/importers/hf.py).

    Llama 4:    interleave_moe_layer_step (MoE every n-th layer), intermediate_size_mlp (the
                dense layers' width; intermediate_size is then the expert width), one shared
                expert per MoE layer, attention_chunk_size on the RoPE layers (no_rope_layers
                1 = RoPE + chunked, 0 = NoPE + global; default every 4th layer is NoPE)
    Qwen MoE:   decoder_sparse_step (MoE every n-th layer)
    Qwen3-Next: layer_types "linear_attention" (or every full_attention_interval-th layer full),
                linear_num_key_heads / _value_heads, linear_key/value_head_dim,
                linear_conv_kernel_dim; gated attention (q_proj emits an output gate);
                mamba_ssm_dtype for the recurrent state
    Whisper:    an encoder-decoder (architecture = "encoder-decoder")
"""

from __future__ import annotations

from typing import Any

LLAMA4 = {"llama4", "llama4_text"}
GATED_ATTENTION = {"qwen3_next"}  # q_proj always emits the output gate in these
DTYPE_BYTES = {"float32": 4.0, "float16": 2.0, "bfloat16": 2.0}


def _moe_fields(cfg: dict[str, Any], model_type: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    step = cfg.get("interleave_moe_layer_step") or cfg.get("decoder_sparse_step")
    if isinstance(step, int) and step > 1:
        out["moe_layer_step"] = step
    if model_type in LLAMA4:
        if cfg.get("intermediate_size_mlp"):
            out["intermediate_size"] = cfg["intermediate_size_mlp"]
        if (cfg.get("num_local_experts") or 0) > 1:
            out["moe_intermediate_size"] = cfg.get("intermediate_size")
            out["num_shared_experts"] = 1  # Llama4TextMoe always has one shared expert
    return out


def _chunked_fields(cfg: dict[str, Any], layers: int | None) -> dict[str, Any]:
    chunk = cfg.get("attention_chunk_size")
    if not isinstance(chunk, int) or chunk <= 0 or not layers:
        return {}
    no_rope = cfg.get("no_rope_layers")
    if isinstance(no_rope, list) and len(no_rope) == layers:
        chunked = sum(1 for flag in no_rope if flag)
    else:
        interval = cfg.get("no_rope_layer_interval") or 4
        chunked = sum(1 for i in range(layers) if (i + 1) % interval != 0)
    return {"attention_chunk_tokens": chunk, "chunked_attention_layers": chunked} if chunked \
        else {}


def _linear_fields(cfg: dict[str, Any], layers: int | None) -> dict[str, Any]:
    if not cfg.get("linear_num_value_heads") or not layers:
        return {}
    layer_types = cfg.get("layer_types")
    if isinstance(layer_types, list) and layer_types:
        linear = sum(1 for t in layer_types if t == "linear_attention")
    else:
        interval = cfg.get("full_attention_interval") or 1
        linear = sum(1 for i in range(layers) if (i + 1) % interval != 0)
    out = {
        "linear_attention_layers": linear,
        "linear_num_key_heads": cfg.get("linear_num_key_heads"),
        "linear_num_value_heads": cfg.get("linear_num_value_heads"),
        "linear_key_head_dim": cfg.get("linear_key_head_dim"),
        "linear_value_head_dim": cfg.get("linear_value_head_dim"),
        "linear_conv_kernel_dim": cfg.get("linear_conv_kernel_dim"),
    }
    state_dtype = DTYPE_BYTES.get(str(cfg.get("mamba_ssm_dtype", "")))
    if state_dtype:
        out["linear_state_bytes"] = state_dtype
    return out


def layer_fields(cfg: dict[str, Any], model_type: str, layers: int | None) -> dict[str, Any]:
    """Fields for interleaved MoE, chunked attention and linear-attention layers."""
    out = {**_moe_fields(cfg, model_type), **_chunked_fields(cfg, layers),
           **_linear_fields(cfg, layers)}
    if model_type in GATED_ATTENTION or cfg.get("attn_output_gate"):
        out["attention_output_gate"] = True
    return out


def whisper_fields(cfg: dict[str, Any]) -> dict[str, Any]:
    """A Whisper-style encoder-decoder: num_layers etc. describe the decoder."""
    d = cfg.get("d_model")
    fields = {
        "family": cfg.get("model_type") or None,
        "architecture": "encoder-decoder",
        "num_layers": cfg.get("decoder_layers"),
        "hidden_size": d,
        "intermediate_size": cfg.get("decoder_ffn_dim"),
        "num_attention_heads": cfg.get("decoder_attention_heads"),
        "vocab_size": cfg.get("vocab_size"),
        "tie_word_embeddings": bool(cfg.get("tie_word_embeddings", True)),
        "max_context_tokens": cfg.get("max_target_positions"),
        "mlp": "plain",
        "attention": "mha",
        "encoder_layers": cfg.get("encoder_layers"),
        "encoder_intermediate_size": cfg.get("encoder_ffn_dim"),
        "encoder_tokens": cfg.get("max_source_positions"),
        "num_mel_bins": cfg.get("num_mel_bins"),
    }
    return {k: v for k, v in fields.items() if v is not None}
