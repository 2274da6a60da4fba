"""The model profile record (an architecture from a Hugging Face config.json, or a fixed
FLOPs/bytes workload) and the methods its pydantic model (profile_model.py) shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inferx.profile_record_base import ProfileRecord
from inferx.record import record

WORKLOAD_KIND = {"encoder": "an encoder", "fixed": "a fixed-workload", "decoder": "a decoder"}


class ModelMethods:
    """What the engine asks of a model profile, record or model."""

    if TYPE_CHECKING:  # not at run time: pydantic would take them for fields
        gflops_per_inference: float | None
        gmacs_per_inference: float | None
        num_kv_heads: int | None
        num_attention_heads: int | None
        head_dim: int | None
        hidden_size: int | None
        num_experts: int
        first_dense_layers: int
        num_layers: int | None
        moe_layer_step: int

    @property
    def flops_per_inference(self) -> float:
        """FLOPs of one fixed-workload inference: gflops·10^9, or 2·gmacs·10^9."""
        if self.gflops_per_inference is not None:
            return self.gflops_per_inference * 1e9
        return 2 * (self.gmacs_per_inference or 0) * 1e9

    @property
    def kv_heads(self) -> int:
        return self.num_kv_heads or self.num_attention_heads or 1

    @property
    def head_dim_effective(self) -> int:
        if self.head_dim:
            return self.head_dim
        assert self.hidden_size and self.num_attention_heads
        return self.hidden_size // self.num_attention_heads

    @property
    def is_moe(self) -> bool:
        return self.num_experts > 1

    @property
    def moe_layer_count(self) -> int:
        """Layers whose MLP is routed: index i >= first_dense_layers with (i+1) % step == 0."""
        if not self.is_moe:
            return 0
        return sum(1 for i in range(self.first_dense_layers, self.num_layers or 0)
                   if (i + 1) % self.moe_layer_step == 0)


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class ModelRecord(ModelMethods, ProfileRecord):
    """A model's architecture; fields as in profile_model.py (ModelProfile documents each:
    Hugging Face config.json names, parameter counts in billions, sizes in MB)."""

    kind: str = "model"
    family: str | None = None
    architecture: str = "decoder"  # decoder, encoder, encoder-decoder or fixed
    params_b: float | None = None
    active_params_b: float | None = None
    num_layers: int | None = None
    hidden_size: int | None = None
    intermediate_size: int | None = None
    num_attention_heads: int | None = None
    num_kv_heads: int | None = None
    head_dim: int | None = None
    vocab_size: int | None = None
    tie_word_embeddings: bool = False
    max_context_tokens: int | None = None
    mlp: str = "gated"
    num_experts: int = 1
    experts_per_token: int = 1
    moe_intermediate_size: int | None = None
    num_shared_experts: int = 0
    first_dense_layers: int = 0
    moe_layer_step: int = 1
    attention: str = "gqa"  # mha, gqa or mla
    kv_lora_rank: int | None = None
    q_lora_rank: int | None = None
    qk_nope_head_dim: int | None = None
    qk_rope_head_dim: int | None = None
    v_head_dim: int | None = None
    sliding_window_tokens: int | None = None
    sliding_window_layers: int | None = None
    attention_chunk_tokens: int | None = None
    chunked_attention_layers: int | None = None
    attention_output_gate: bool = False
    linear_attention_layers: int = 0
    linear_num_key_heads: int | None = None
    linear_num_value_heads: int | None = None
    linear_key_head_dim: int | None = None
    linear_value_head_dim: int | None = None
    linear_conv_kernel_dim: int | None = None
    linear_state_bytes: float | None = None
    encoder_layers: int | None = None
    encoder_intermediate_size: int | None = None
    encoder_tokens: int | None = None
    num_mel_bins: int | None = None
    checkpoint_bytes: float | None = None
    checkpoint_precision: str | None = None
    gflops_per_inference: float | None = None
    gmacs_per_inference: float | None = None
    weights_mb: float | None = None
    activation_mb_per_inference: float | None = None
    workload_unit: str | None = None
