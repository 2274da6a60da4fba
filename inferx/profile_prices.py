"""Price and quality profiles: GPU-hour prices, hosted-API token prices, and the published
quality impact of a quantization scheme."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from inferx.profile_base import (
    FiniteFloat,
    NonNegFloat,
    PositiveFloat,
    PositiveInt,
    StrictBool,
    _Profile,
)
from inferx.profile_record_prices import (
    ApiPriceRecord,
    GpuPriceMethods,
    GpuPriceRecord,
    QualityMethods,
    QualityRecord,
)


class GpuPriceProfile(GpuPriceMethods, _Profile):
    """Hourly price of one accelerator at one provider, per GPU (instance price / GPUs).

    At least one of the price fields is set; each is USD per GPU-hour.
    """

    record_class = GpuPriceRecord
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


class ApiPriceProfile(_Profile):
    """A hosted API's token prices, USD per 1M tokens."""

    record_class = ApiPriceRecord
    kind: Literal["api"] = "api"
    provider: Annotated[str, Field(min_length=1)]
    api_model: Annotated[str, Field(min_length=1)]
    model: str | None = None  # inferx model profile id, when the API serves an open model
    usd_per_million_input_tokens: NonNegFloat
    usd_per_million_output_tokens: NonNegFloat
    usd_per_million_cached_input_tokens: NonNegFloat | None = None
    context_tokens: PositiveInt | None = None
    # price tiers (absent = not published in the source: "unknown", never $0)
    usd_per_million_cache_write_5m_tokens: NonNegFloat | None = None
    usd_per_million_cache_write_1h_tokens: NonNegFloat | None = None
    long_context_threshold_tokens: PositiveInt | None = None  # prompts above it: the long tier
    usd_per_million_input_tokens_long_context: NonNegFloat | None = None
    usd_per_million_output_tokens_long_context: NonNegFloat | None = None
    usd_per_million_cached_input_tokens_long_context: NonNegFloat | None = None
    batch_discount: Annotated[float, Field(ge=0, lt=1)] | None = None  # 0.5 = half price
    off_peak_start_utc: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] \
        | None = None
    off_peak_end_utc: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] \
        | None = None
    off_peak_discount: Annotated[float, Field(gt=0, lt=1)] | None = None

    @model_validator(mode="after")
    def _tiers(self) -> ApiPriceProfile:
        window = (self.off_peak_start_utc, self.off_peak_end_utc, self.off_peak_discount)
        if any(v is not None for v in window) and any(v is None for v in window):
            raise ValueError("off_peak_start_utc: off_peak_start_utc, off_peak_end_utc and "
                             "off_peak_discount go together")
        long = (self.usd_per_million_input_tokens_long_context,
                self.usd_per_million_output_tokens_long_context,
                self.usd_per_million_cached_input_tokens_long_context)
        if any(v is not None for v in long) and self.long_context_threshold_tokens is None:
            raise ValueError("long_context_threshold_tokens: required with long-context prices")
        return self


class QualityProfile(QualityMethods, _Profile):
    """Published quality impact of one quantization scheme on one model, as its source reports.

    ``precision`` is an inferx scheme id (inferx/quant.py).  Scores are copied from the source,
    never computed here; ``recovery_pct`` is the source's own figure (quantized / baseline · 100
    for a higher-is-better metric) when it states one.  At least one of ``recovery_pct`` or the
    two scores is required.
    """

    record_class = QualityRecord
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
