"""Defaults of the built-in scenario, kept import-light for the CLI's start-up."""

DEFAULT_MODEL = "llama-3.1-8b"
DEFAULT_HARDWARE = "h100-sxm"
DEFAULT_PRECISION = "bf16"
DEFAULT_INPUT_TOKENS = 2000
DEFAULT_OUTPUT_TOKENS = 500
DEFAULT_CONCURRENCY = 32
# Rows of `inferx compare` when --precisions is not given (scheme ids from inferx/quant.py).
DEFAULT_PRECISIONS = ("fp32", "bf16", "fp8", "int8", "int8-wo", "int4-wo", "fp4", "mxfp4")
