"""Model profiles: a model's architecture from its Hugging Face config.json, or a fixed
FLOPs/bytes workload."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from inferx.profile_base import (
    NonNegFloat,
    NonNegInt,
    PositiveFloat,
    PositiveInt,
    StrictBool,
    _Profile,
)
from inferx.profile_record_model import WORKLOAD_KIND, ModelMethods, ModelRecord  # noqa: F401


class ModelProfile(ModelMethods, _Profile):
    """A model's architecture, from its Hugging Face config.json (or a FLOPs/bytes workload).

    ``architecture = "decoder"`` (default): a transformer decoder; parameter counts and the KV
    cache are computed from the fields.  ``attention = "mla"`` is DeepSeek's multi-head latent
    attention: the KV cache holds the latent (kv_lora_rank + qk_rope_head_dim per layer).
    ``architecture = "encoder"``: an encoder-only transformer (BERT): the decoder fields, no
    decode phase; one request is one bidirectional pass over its input tokens.
    ``architecture = "encoder-decoder"``: a Whisper-style model: the decoder fields describe the
    decoder (with cross-attention), the encoder_* fields the encoder over encoder_tokens frames.
    ``architecture = "fixed"``: a non-LLM workload described by FLOPs and bytes per inference.
    Hybrid models list linear-attention (Gated DeltaNet) layers in linear_attention_layers: they
    hold a fixed-size recurrent state per sequence instead of a growing KV cache.
    ``params_b`` / ``active_params_b`` are the published counts (billions), checked against the
    computed ones by the tests.
    """

    record_class = ModelRecord
    kind: Literal["model"] = "model"
    family: str | None = None
    architecture: Literal["decoder", "encoder", "encoder-decoder", "fixed"] = "decoder"
    params_b: PositiveFloat | None = None
    active_params_b: PositiveFloat | None = None
    # decoder fields (names follow Hugging Face config.json)
    num_layers: PositiveInt | None = None
    hidden_size: PositiveInt | None = None
    intermediate_size: PositiveInt | None = None
    num_attention_heads: PositiveInt | None = None
    num_kv_heads: PositiveInt | None = None
    head_dim: PositiveInt | None = None
    vocab_size: PositiveInt | None = None
    tie_word_embeddings: StrictBool = False
    max_context_tokens: PositiveInt | None = None
    mlp: Literal["gated", "plain"] = "gated"
    # mixture of experts
    num_experts: PositiveInt = 1
    experts_per_token: PositiveInt = 1
    moe_intermediate_size: PositiveInt | None = None
    num_shared_experts: NonNegInt = 0
    first_dense_layers: NonNegInt = 0
    # every moe_layer_step-th layer (after first_dense_layers) is MoE, the rest dense
    # (Llama 4 interleave_moe_layer_step, Qwen decoder_sparse_step): (i + 1) % step == 0
    moe_layer_step: PositiveInt = 1
    # attention variants
    attention: Literal["mha", "gqa", "mla"] = "gqa"
    kv_lora_rank: PositiveInt | None = None
    q_lora_rank: PositiveInt | None = None
    qk_nope_head_dim: PositiveInt | None = None
    qk_rope_head_dim: PositiveInt | None = None
    v_head_dim: PositiveInt | None = None
    sliding_window_tokens: PositiveInt | None = None
    sliding_window_layers: NonNegInt | None = None
    # chunked local attention (Llama 4 attention_chunk_size): a token attends only to the earlier
    # tokens of its own chunk of attention_chunk_tokens, on chunked_attention_layers layers
    attention_chunk_tokens: PositiveInt | None = None
    chunked_attention_layers: NonNegInt | None = None
    # gated attention (Qwen3-Next attn_output_gate): q_proj also emits a per-head output gate
    attention_output_gate: StrictBool = False
    # hybrid linear attention (Qwen3-Next Gated DeltaNet): layers without a KV cache
    linear_attention_layers: NonNegInt = 0
    linear_num_key_heads: PositiveInt | None = None
    linear_num_value_heads: PositiveInt | None = None
    linear_key_head_dim: PositiveInt | None = None
    linear_value_head_dim: PositiveInt | None = None
    linear_conv_kernel_dim: PositiveInt | None = None
    linear_state_bytes: PositiveFloat | None = None  # per state element (config mamba_ssm_dtype)
    # encoder-decoder (Whisper): the encoder; num_layers etc. describe the decoder
    encoder_layers: PositiveInt | None = None
    encoder_intermediate_size: PositiveInt | None = None
    encoder_tokens: PositiveInt | None = None  # positions the encoder sees (max_source_positions)
    num_mel_bins: PositiveInt | None = None
    # exact stored weight bytes read from the checkpoint (safetensors index metadata.total_size
    # or GGUF tensor data), and the precision scheme they are stored in when known
    checkpoint_bytes: PositiveFloat | None = None
    checkpoint_precision: str | None = None
    # fixed workloads (architecture = "fixed")
    gflops_per_inference: PositiveFloat | None = None
    # Model zoos (torchvision, timm) often publish multiply-accumulates: 1 MAC = 2 FLOPs.
    gmacs_per_inference: PositiveFloat | None = None
    weights_mb: PositiveFloat | None = None
    activation_mb_per_inference: NonNegFloat | None = None
    workload_unit: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ModelProfile:
        if self.architecture == "fixed":
            if (self.gflops_per_inference is None) == (self.gmacs_per_inference is None):
                raise ValueError("gflops_per_inference: give exactly one of gflops_per_inference "
                                 "and gmacs_per_inference when architecture = 'fixed'")
            if self.weights_mb is None:
                raise ValueError("weights_mb: required when architecture = 'fixed'")
            return self
        required = ("num_layers", "hidden_size", "intermediate_size", "num_attention_heads",
                    "vocab_size")
        for name in required:
            if getattr(self, name) is None:
                raise ValueError(f"{name}: required for a decoder model")
        if self.attention == "mla":
            for name in ("kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"):
                if getattr(self, name) is None:
                    raise ValueError(f"{name}: required when attention = 'mla'")
        kv = self.num_kv_heads or self.num_attention_heads
        assert self.num_attention_heads is not None  # checked above
        if self.num_attention_heads % kv:
            raise ValueError("num_kv_heads: must divide num_attention_heads")
        if self.experts_per_token > self.num_experts:
            raise ValueError("experts_per_token: cannot exceed num_experts")
        if self.num_experts > 1 and self.moe_intermediate_size is None:
            raise ValueError("moe_intermediate_size: required when num_experts > 1")
        assert self.num_layers is not None
        if self.first_dense_layers > self.num_layers:
            raise ValueError("first_dense_layers: cannot exceed num_layers")
        if self.sliding_window_layers is not None and self.sliding_window_layers > self.num_layers:
            raise ValueError("sliding_window_layers: cannot exceed num_layers")
        return self._consistent_layers()

    def _consistent_layers(self) -> ModelProfile:
        layers = self.num_layers or 0
        special = ((self.sliding_window_layers or 0 if self.sliding_window_tokens else 0)
                   + (self.chunked_attention_layers or 0 if self.attention_chunk_tokens else 0)
                   + self.linear_attention_layers)
        if special > layers:
            raise ValueError("linear_attention_layers: sliding, chunked and linear-attention "
                             "layers together cannot exceed num_layers")
        if self.linear_attention_layers:
            for name in ("linear_num_key_heads", "linear_num_value_heads",
                         "linear_key_head_dim", "linear_value_head_dim"):
                if getattr(self, name) is None:
                    raise ValueError(f"{name}: required when linear_attention_layers > 0")
        if self.architecture == "encoder-decoder":
            for name in ("encoder_layers", "encoder_tokens"):
                if getattr(self, name) is None:
                    raise ValueError(f"{name}: required when architecture = 'encoder-decoder'")
        return self
