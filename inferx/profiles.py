"""Profile schemas: hardware, models, GPU-hour prices and API token prices.

Every profile is one TOML file, validated on load into a frozen model that forbids unknown
keys.  Each carries ``id``, ``aliases``, ``name``, ``source`` and ``as_of``: every figure in a
profile must be traceable to its source.  The format is documented in docs/profiles.md.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

PROFILE_SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"
KINDS = ("hardware", "model", "price", "api", "quality")



def _plain_number(value: object) -> object:
    """A profile's number is a TOML/JSON number: `true` is not 1 and "80" is not 80."""
    if isinstance(value, bool | str):
        raise ValueError(f"expected a number, got {type(value).__name__} {str(value)[:40]!r}")
    return value


Number = BeforeValidator(_plain_number)
PositiveFloat = Annotated[float, Number, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Number, Field(ge=0, allow_inf_nan=False)]
FiniteFloat = Annotated[float, Number, Field(allow_inf_nan=False)]
PositiveInt = Annotated[int, Number, Field(gt=0)]
NonNegInt = Annotated[int, Number, Field(ge=0)]
StrictBool = Annotated[bool, Field(strict=True)]

# Compute dtypes a profile may list a dense peak for.
ComputeDtype = Literal["fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4", "fp4"]


class _Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)

    schema_version: Literal[1] = 1
    id: Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
    aliases: list[str] = Field(default_factory=list)
    name: Annotated[str, Field(min_length=1)]
    source: Annotated[str, Field(min_length=3)]
    as_of: dt.date
    notes: str | None = None

    @field_validator("aliases")
    @classmethod
    def _aliases_unique(cls, value: list[str]) -> list[str]:
        lowered = [a.strip().lower() for a in value]
        if len(set(lowered)) != len(lowered):
            raise ValueError("aliases must be unique")
        if any(not a for a in lowered):
            raise ValueError("aliases must be non-empty strings")
        return value

    def names(self) -> list[str]:
        """The id and every alias, lower-cased: what a user may type to pick this profile."""
        return [self.id.lower(), *(a.strip().lower() for a in self.aliases)]


class PurchasePrice(BaseModel):
    """A published purchase price, with its own source (it rarely shares the spec sheet's)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    usd: PositiveFloat
    source: Annotated[str, Field(min_length=3)]
    as_of: dt.date
    notes: str | None = None


# Hardware figures a profile may declare unpublished (HardwareProfile.unpublished).
UNPUBLISHABLE = ("peak_tflops", "tdp_w", "interconnect_gb_per_s", "scale_up_domain",
                 "scale_out_gb_per_s", "device_memory_mib")


class HardwareProfile(_Profile):
    """One accelerator (or CPU socket / SoC) as the datasheet describes it.

    peak_tflops holds DENSE peaks (never the 2:4-sparse figure) per compute dtype; a dtype is
    native iff it is listed.  memory_gb is in 10^9 bytes; bandwidths in GB/s (10^9 B/s).
    interconnect_gb_per_s is the per-device scale-up bandwidth as a BIDIRECTIONAL total (both
    directions summed, as NVIDIA quotes NVLink); the engine halves it.  Convert one-way figures.
    """

    kind: Literal["hardware"] = "hardware"
    vendor: Annotated[str, Field(min_length=1)]
    device_type: Literal["gpu", "tpu", "npu", "cpu", "soc"] = "gpu"
    memory_gb: PositiveFloat
    # What the driver reports as total device memory (nvidia-smi "MiB"), when a source gives it:
    # vendors' "80GB" HBM parts report ~80 GiB.  The engine budgets memory from this when set.
    device_memory_mib: PositiveFloat | None = None
    device_memory_source: str | None = None
    memory_bandwidth_gb_per_s: PositiveFloat
    peak_tflops: dict[ComputeDtype, PositiveFloat] = Field(default_factory=dict)
    tdp_w: PositiveFloat | None = None
    interconnect: str | None = None
    interconnect_gb_per_s: PositiveFloat | None = None
    # Topology: how many devices share one scale-up domain (NVLink / xGMI / ICI / NeuronLink:
    # 8 for an HGX board, 72 for GB200 NVL72), and the per-device scale-out (inter-node network)
    # bandwidth, a BIDIRECTIONAL total like interconnect_gb_per_s (one 400 Gb/s NIC per GPU =
    # 50 GB/s each way = 100).  Both describe the system the device ships in; cite it.
    scale_up_domain: PositiveInt | None = None
    scale_out_gb_per_s: PositiveFloat | None = None
    # Figures the vendor does not publish, by field name ("peak_tflops", "peak_tflops.fp8",
    # "tdp_w", "interconnect_gb_per_s", ...): declared so, the engine leaves what depends on
    # them unestimated (null plus a warning naming the field) instead of guessing.
    unpublished: list[str] = Field(default_factory=list)
    launch_year: Annotated[int, Number, Field(ge=1990, le=2100)] | None = None
    purchase: PurchasePrice | None = None

    @model_validator(mode="after")
    def _sane(self) -> HardwareProfile:
        if self.memory_gb > 100_000:
            raise ValueError("memory_gb: absurdly large (over 100,000 GB)")
        if (self.device_memory_mib is None) != (self.device_memory_source is None):
            raise ValueError("device_memory_source: device_memory_mib and its source go together")
        if self.memory_bandwidth_gb_per_s > 1_000_000:
            raise ValueError("memory_bandwidth_gb_per_s: absurdly large (over 1 PB/s)")
        for name in self.unpublished:
            base, _, dtype = name.partition(".")
            if base not in UNPUBLISHABLE or (dtype and base != "peak_tflops"):
                raise ValueError(f"unpublished: {name!r} is not a figure that can be declared "
                                 f"unpublished; expected one of {', '.join(UNPUBLISHABLE)} "
                                 "(or peak_tflops.<dtype>)")
            value = getattr(self, base)
            if (dtype and dtype in self.peak_tflops) or (not dtype and value not in (None, {})):
                raise ValueError(f"unpublished: {name!r} is declared unpublished but is given")
        return self

    def is_unpublished(self, name: str) -> bool:
        """True where the profile declares `name` (or its parent field) unpublished."""
        return name in self.unpublished or name.partition(".")[0] in self.unpublished

    @property
    def capacity_bytes(self) -> float:
        """Device memory in bytes: the driver-reported MiB total when known, else memory_gb."""
        if self.device_memory_mib is not None:
            return self.device_memory_mib * 2**20
        return self.memory_gb * 1e9

    def peak_tflops_for(self, dtype: str) -> float | None:
        """Dense peak TFLOPS for a compute dtype; bf16 and fp16 stand in for each other."""
        if dtype in self.peak_tflops:
            return self.peak_tflops[dtype]  # type: ignore[index]
        if dtype in ("bf16", "fp16"):
            other = "fp16" if dtype == "bf16" else "bf16"
            return self.peak_tflops.get(other)  # type: ignore[call-overload]
        return None

    def runs_natively(self, dtype: str) -> bool:
        return self.peak_tflops_for(dtype) is not None


class ModelProfile(_Profile):
    """A model's architecture, from its Hugging Face config.json (or a FLOPs/bytes workload).

    ``architecture = "decoder"`` (default): a transformer decoder; parameter counts and the KV
    cache are computed from the fields.  ``attention = "mla"`` is DeepSeek's multi-head latent
    attention: the KV cache holds the latent (kv_lora_rank + qk_rope_head_dim per layer).
    ``architecture = "encoder"``: an encoder-only transformer (BERT): the decoder fields, no
    decode phase; one request is one bidirectional pass over its input tokens.
    ``architecture = "fixed"``: a non-LLM workload described by FLOPs and bytes per inference.
    ``params_b`` / ``active_params_b`` are the published counts (billions), checked against the
    computed ones by the tests.
    """

    kind: Literal["model"] = "model"
    family: str | None = None
    architecture: Literal["decoder", "encoder", "fixed"] = "decoder"
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
    # attention variants
    attention: Literal["mha", "gqa", "mla"] = "gqa"
    kv_lora_rank: PositiveInt | None = None
    q_lora_rank: PositiveInt | None = None
    qk_nope_head_dim: PositiveInt | None = None
    qk_rope_head_dim: PositiveInt | None = None
    v_head_dim: PositiveInt | None = None
    sliding_window_tokens: PositiveInt | None = None
    sliding_window_layers: NonNegInt | None = None
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
        return self

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


class GpuPriceProfile(_Profile):
    """Hourly price of one accelerator at one provider, per GPU (instance price / GPUs).

    At least one of the price fields is set; each is USD per GPU-hour.
    """

    kind: Literal["price"] = "price"
    provider: Annotated[str, Field(min_length=1)]
    hardware: Annotated[str, Field(min_length=1)]
    region: str | None = None
    instance: str | None = None
    gpus_per_instance: PositiveInt = 1
    on_demand_usd_per_gpu_hour: PositiveFloat | None = None
    spot_usd_per_gpu_hour: PositiveFloat | None = None
    reserved_1y_usd_per_gpu_hour: PositiveFloat | None = None
    reserved_3y_usd_per_gpu_hour: PositiveFloat | None = None
    capacity_block_usd_per_gpu_hour: PositiveFloat | None = None

    @model_validator(mode="after")
    def _some_price(self) -> GpuPriceProfile:
        if self.price_for("any") is None:
            raise ValueError("on_demand_usd_per_gpu_hour: at least one price field is required")
        return self

    def price_for(self, pricing: str) -> float | None:
        """USD per GPU-hour for a pricing kind ('any' = the first published, on-demand first)."""
        order = {
            "on-demand": [self.on_demand_usd_per_gpu_hour],
            "spot": [self.spot_usd_per_gpu_hour],
            "reserved-1y": [self.reserved_1y_usd_per_gpu_hour],
            "reserved-3y": [self.reserved_3y_usd_per_gpu_hour],
            "capacity-block": [self.capacity_block_usd_per_gpu_hour],
        }
        if pricing == "any":
            candidates = [
                self.on_demand_usd_per_gpu_hour,
                self.capacity_block_usd_per_gpu_hour,
                self.reserved_1y_usd_per_gpu_hour,
                self.reserved_3y_usd_per_gpu_hour,
                self.spot_usd_per_gpu_hour,
            ]
        else:
            candidates = order[pricing]
        return next((c for c in candidates if c is not None), None)


class ApiPriceProfile(_Profile):
    """A hosted API's token prices, USD per 1M tokens."""

    kind: Literal["api"] = "api"
    provider: Annotated[str, Field(min_length=1)]
    api_model: Annotated[str, Field(min_length=1)]
    model: str | None = None  # inferx model profile id, when the API serves an open model
    usd_per_million_input_tokens: NonNegFloat
    usd_per_million_output_tokens: NonNegFloat
    usd_per_million_cached_input_tokens: NonNegFloat | None = None
    context_tokens: PositiveInt | None = None


class QualityProfile(_Profile):
    """Published quality impact of one quantization scheme on one model, as its source reports.

    ``precision`` is an inferx scheme id (inferx/quant.py).  Scores are copied from the source,
    never computed here; ``recovery_pct`` is the source's own figure (quantized / baseline · 100
    for a higher-is-better metric) when it states one.  At least one of ``recovery_pct`` or the
    two scores is required.
    """

    kind: Literal["quality"] = "quality"
    model: Annotated[str, Field(min_length=1)]  # inferx model profile id
    precision: Annotated[str, Field(min_length=1)]  # inferx scheme id
    method: Annotated[str, Field(min_length=1)]  # e.g. "GPTQ (llm-compressor)"
    evaluated_model: str | None = None  # the checkpoint the source evaluated
    benchmark: Annotated[str, Field(min_length=1)]  # e.g. "OpenLLM v1 average"
    metric: Annotated[str, Field(min_length=1)]  # e.g. "accuracy (%)"
    higher_is_better: StrictBool = True
    baseline_precision: str = "bf16"
    baseline_score: FiniteFloat | None = None
    quantized_score: FiniteFloat | None = None
    recovery_pct: PositiveFloat | None = None

    @field_validator("precision", "baseline_precision")
    @classmethod
    def _scheme(cls, value: str) -> str:
        from inferx.quant import SCHEMES, resolve_scheme

        try:
            return resolve_scheme(value).id
        except KeyError:
            raise ValueError(f"unknown precision scheme {value!r}; expected one of "
                             f"{', '.join(SCHEMES)}") from None

    @model_validator(mode="after")
    def _some_figure(self) -> QualityProfile:
        has_scores = self.baseline_score is not None and self.quantized_score is not None
        if not has_scores and self.recovery_pct is None:
            raise ValueError("recovery_pct: give recovery_pct or both baseline_score and "
                             "quantized_score")
        if (self.baseline_score is None) != (self.quantized_score is None):
            raise ValueError("quantized_score: baseline_score and quantized_score go together")
        return self

    @property
    def delta(self) -> float | None:
        """quantized_score − baseline_score, in the metric's units (None without scores)."""
        if self.baseline_score is None or self.quantized_score is None:
            return None
        return self.quantized_score - self.baseline_score


Profile = HardwareProfile | ModelProfile | GpuPriceProfile | ApiPriceProfile | QualityProfile
PROFILE_CLASSES: dict[str, type[_Profile]] = {
    "hardware": HardwareProfile,
    "model": ModelProfile,
    "price": GpuPriceProfile,
    "api": ApiPriceProfile,
    "quality": QualityProfile,
}
# Folder name under a profiles directory for each kind.
KIND_DIRS = {"hardware": "hardware", "model": "models", "price": "prices", "api": "apis",
             "quality": "quality"}


def is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def slug(text: str) -> str:
    """Kebab-case id from free text: 'Llama-3.1 8B' → 'llama-3.1-8b'."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")
