"""Linear-attention (Gated DeltaNet) layers of hybrid models such as Qwen3-Next.

A linear-attention layer keeps no KV cache: each sequence holds a fixed-size recurrent state
(one dk x dv matrix per value head) plus the last (kernel - 1) inputs of its short causal
convolution, whatever the context length.  Formulas: docs/methodology.md#hybrid-linear-attention.
Pure functions of a ModelRecord; no I/O.
"""

from __future__ import annotations

from inferx.profiles import ModelRecord


def _dims(m: ModelRecord) -> tuple[int, int, int, int, int]:
    """(key heads, value heads, key head dim, value head dim, conv kernel)."""
    return (m.linear_num_key_heads or 0, m.linear_num_value_heads or 0,
            m.linear_key_head_dim or 0, m.linear_value_head_dim or 0,
            m.linear_conv_kernel_dim or 0)


def conv_channels(m: ModelRecord) -> int:
    """Channels of the short causal convolution over q, k and v: 2·kh·dk + vh·dv."""
    kh, vh, dk, dv, _ = _dims(m)
    return 2 * kh * dk + vh * dv


def linear_attention_params_per_layer(m: ModelRecord) -> float:
    """Weights of one Gated DeltaNet layer (biases and norms aside):

        in_proj_qkvz  hidden × (2·kh·dk + 2·vh·dv)   (q, k, v and the output gate z)
        in_proj_ba    hidden × 2·vh                  (per-head beta and decay)
        conv1d        conv_channels × kernel
        out_proj      vh·dv × hidden
        A_log, dt_bias, norm: 2·vh + dv
    """
    h = m.hidden_size or 0
    kh, vh, dk, dv, kernel = _dims(m)
    qkvz = h * (2 * kh * dk + 2 * vh * dv)
    ba = h * 2 * vh
    conv = conv_channels(m) * kernel
    out = vh * dv * h
    return float(qkvz + ba + conv + out + 2 * vh + dv)


def state_elements_per_layer(m: ModelRecord) -> float:
    """Values one sequence holds in one linear-attention layer, independent of its length:
    recurrent state vh·dk·dv + convolution state conv_channels·(kernel − 1)."""
    _, vh, dk, dv, kernel = _dims(m)
    return float(vh * dk * dv + conv_channels(m) * max(kernel - 1, 0))


def state_bytes_per_sequence(m: ModelRecord, *,
                             state_bytes_per_element: float | None = None) -> float:
    """Recurrent-state bytes of one sequence over every linear-attention layer:
    linear_attention_layers · state_elements_per_layer · bytes per element, where the bytes are
    the argument, else the profile's linear_state_bytes (config mamba_ssm_dtype), else 2 (16-bit,
    the model dtype); a runtime keeping the state in fp32 doubles it."""
    nbytes = state_bytes_per_element or m.linear_state_bytes or 2.0
    return m.linear_attention_layers * state_elements_per_layer(m) * nbytes


def linear_attention_flops_per_token(m: ModelRecord) -> float:
    """Recurrence FLOPs for one token in every linear-attention layer (projections excluded,
    they are counted with the weights): per value head the delta rule reads S·k, updates S with
    a rank-1 term, decays S and reads S·q, about 7·dk·dv FLOPs (2 + 2 + 1 + 2), independent of
    the context length.  An approximation of the kernel's arithmetic, stated as such."""
    _, vh, dk, dv, _ = _dims(m)
    return float(m.linear_attention_layers * 7 * vh * dk * dv)
