"""Price and quality profile records (GPU-hour prices, hosted-API token prices, the quality
impact of a quantization scheme) and the methods their pydantic models
(profile_prices.py) share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inferx.profile_record_base import ProfileRecord
from inferx.record import record


class GpuPriceMethods:
    """The published tiers of a GPU-hour price profile, record or model."""

    if TYPE_CHECKING:  # not at run time: pydantic would take them for fields
        on_demand_usd_per_gpu_hour: float | None
        spot_usd_per_gpu_hour: float | None
        reserved_1y_usd_per_gpu_hour: float | None
        reserved_3y_usd_per_gpu_hour: float | None
        capacity_block_usd_per_gpu_hour: float | None

    def published(self) -> dict[str, float]:
        """Every published tier and its USD per GPU-hour, keyed by pricing name (on-demand first)."""
        tiers = {"on-demand": self.on_demand_usd_per_gpu_hour,
                 "reserved-1y": self.reserved_1y_usd_per_gpu_hour,
                 "reserved-3y": self.reserved_3y_usd_per_gpu_hour,
                 "spot": self.spot_usd_per_gpu_hour,
                 "capacity-block": self.capacity_block_usd_per_gpu_hour}
        return {name: usd for name, usd in tiers.items() if usd is not None}

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


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class GpuPriceRecord(GpuPriceMethods, ProfileRecord):
    """Hourly price of one accelerator at one provider, USD per GPU-hour per tier; fields as
    in profile_prices.py (GpuPriceProfile)."""

    kind: str = "price"
    provider: str
    hardware: str
    region: str | None = None
    instance: str | None = None
    gpus_per_instance: int = 1
    on_demand_usd_per_gpu_hour: float | None = None
    spot_usd_per_gpu_hour: float | None = None
    reserved_1y_usd_per_gpu_hour: float | None = None
    reserved_3y_usd_per_gpu_hour: float | None = None
    capacity_block_usd_per_gpu_hour: float | None = None


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class ApiPriceRecord(ProfileRecord):
    """A hosted API's token prices, USD per 1M tokens (absent tier: not published, never $0);
    fields as in profile_prices.py (ApiPriceProfile)."""

    kind: str = "api"
    provider: str
    api_model: str
    model: str | None = None
    usd_per_million_input_tokens: float
    usd_per_million_output_tokens: float
    usd_per_million_cached_input_tokens: float | None = None
    context_tokens: int | None = None
    usd_per_million_cache_write_5m_tokens: float | None = None
    usd_per_million_cache_write_1h_tokens: float | None = None
    long_context_threshold_tokens: int | None = None
    usd_per_million_input_tokens_long_context: float | None = None
    usd_per_million_output_tokens_long_context: float | None = None
    usd_per_million_cached_input_tokens_long_context: float | None = None
    batch_discount: float | None = None
    off_peak_start_utc: str | None = None  # "HH:MM"
    off_peak_end_utc: str | None = None
    off_peak_discount: float | None = None


class QualityMethods:
    """The score change of a quality profile, record or model."""

    if TYPE_CHECKING:  # not at run time: pydantic would take them for fields
        baseline_score: float | None
        quantized_score: float | None

    @property
    def delta(self) -> float | None:
        """quantized_score − baseline_score, in the metric's units (None without scores)."""
        if self.baseline_score is None or self.quantized_score is None:
            return None
        return self.quantized_score - self.baseline_score


@record(compiled_init=False)  # built a few times per run: the shared keyword loop
class QualityRecord(QualityMethods, ProfileRecord):
    """Published quality impact of one quantization scheme on one model; fields as in
    profile_prices.py (QualityProfile)."""

    kind: str = "quality"
    model: str
    precision: str
    method: str
    evaluated_model: str | None = None
    benchmark: str
    metric: str
    higher_is_better: bool = True
    baseline_precision: str = "bf16"
    baseline_score: float | None = None
    quantized_score: float | None = None
    recovery_pct: float | None = None
