"""Record the stdout and exit code of ~50 command lines, to check a change keeps output bytes.

    python benchmarks/golden.py before/     # on the old code
    python benchmarks/golden.py after/      # on the new code
    diff -r before/ after/

Install both versions into the same venv path in turn (`pip install --force-reinstall
--no-deps .`): `profiles show` and `profiles list --format json` print profile file paths.

Runs the `inferx` next to this Python (as benchmarks/startup.py does), with NO_COLOR=1 and
COLUMNS=120, an empty user profile dir and no INFERX_PROFILES_PATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import inferx_script  # noqa: E402

M70 = ["--model", "llama-3.1-70b"]
LINES: list[list[str]] = [
    ["estimate", "--format", "json"],
    ["estimate", "--format", "csv"],
    ["estimate"],
    ["estimate", *M70, "--hardware", "h100-sxm", "--precision", "fp8", "--gpus", "4",
     "--input-tokens", "2000", "--output-tokens", "500", "--concurrency", "64", "--format", "json"],
    ["estimate", *M70, "--hardware", "a100-80gb", "--gpus", "1", "--format", "json"],
    ["estimate", "--model", "mixtral-8x7b", "--hardware", "h200", "--concurrency", "max",
     "--gpu-hour-price", "3.50", "--format", "csv"],
    ["estimate", "--assume", "bandwidth_efficiency=0.7", "--assume", "step_overhead_ms=2",
     "--format", "json"],
    ["estimate", *M70, "--hardware", "h200", "--gpus", "2", "--engine", "tensorrt-llm",
     "--format", "json"],
    ["estimate", "--model", "resnet-50", "--hardware", "l4", "--format", "json"],
    ["estimate", "--model", "bert-base", "--hardware", "t4", "--format", "json"],
    ["estimate", "--model", "whisper-large-v3", "--hardware", "l40s", "--format", "json"],
    ["estimate", "--model", "deepseek-v3", "--hardware", "h200", "--precision", "fp8",
     "--gpus", "8", "--format", "json"],
    ["estimate", "--model", "qwen3-next-80b-a3b", "--hardware", "b200", "--format", "json"],
    ["estimate", "--model", "llama-4-scout", "--hardware", "mi300x", "--format", "json"],
    ["estimate", "--model", "gemma-2-9b", "--hardware", "rtx-4090", "--precision", "q4_k_m",
     "--format", "json"],
    ["estimate", "--model", "llama-3.1-8b", "--hardware", "apple-m3-max",
     "--precision", "mlx-4bit", "--format", "json"],
    ["estimate", "--clients", "64", "--format", "json"],
    ["estimate", "--request-rate", "5", "--format", "json"],
    ["estimate", "--requests", "100", "--arrival", "burst", "--format", "json"],
    ["estimate", "--pricing", "spot", "--format", "json"],
    ["estimate", "--pricing", "reserved-1y", "--provider", "aws", "--format", "json"],
    ["estimate", "--price", "nebius-hgx-h100", "--format", "json"],
    ["estimate", "--hardware", "tpu-v5e", "--format", "json"],
    ["estimate", "--hardware", "trainium2", "--format", "json"],
    ["estimate", "--kv-precision", "fp8", "--format", "json"],
    ["estimate", "--model", "nope", "--format", "json"],
    ["estimate", "--hardware", "h100-sxm-80", "--format", "json"],
    ["estimate", "--input-tokens", "0", "--format", "json"],
    ["estimate", "--assume", "nope=1", "--format", "json"],
    ["estimate", *M70, "--gpus", "3", "--format", "json"],
    ["estimate", *M70, "--hardware", "l4", "--gpus", "1", "--strict", "--format", "json"],
    ["compare", "--format", "json"],
    ["compare", *M70, "--hardware", "h100-sxm", "--format", "json"],
    ["compare", "--across", "hardware", "--hardware", "h100-sxm,mi300x,l40s,l4",
     "--model", "llama-3.1-8b", "--max-tpot", "50", "--format", "json"],
    ["compare", "--across", "model", "--model", "llama-3.1-8b,qwen2.5-7b,mistral-7b",
     "--format", "csv"],
    ["compare", *M70, "--hardware", "h100-sxm"],
    ["bill", "--daily-queries", "5000000", "--input-tokens", "800", "--output-tokens", "300",
     "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--api", "openai-gpt-4o-mini",
     "--growth", "15%", "--months", "12", "--format", "json"],
    ["bill", "--users", "1000000", "--queries-per-user", "5", "--cost-per-query", "0.01",
     "--what-if-cost-reduction", "20%", "--format", "json"],
    ["bill", "--daily-queries", "100000", "--format", "json"],
    ["bill", "--daily-queries", "100000", "--format", "csv"],
    ["bill", "--daily-queries", "100000"],
    ["profiles", "list", "hardware"],
    ["profiles", "list", "--format", "json"],
    ["profiles", "list", "prices", "--format", "json"],
    ["profiles", "show", "mi300x"],
    ["profiles", "show", "llama-3.1-70b", "--format", "json"],
    ["profiles", "show", "nebius-hgx-h100", "--format", "json"],
    ["profiles", "validate"],
    ["--version"],
    ["--help"],
    ["estimate", "--help"],
    ["compare", "--help"],
    ["bill", "--help"],
    ["profiles", "--help"],
    ["calibrate", "--help"],
]


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    exe = inferx_script()
    with tempfile.TemporaryDirectory() as xdg:
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "XDG_CONFIG_HOME": xdg}
        env.pop("INFERX_PROFILES_PATH", None)
        for i, argv in enumerate(LINES):
            done = subprocess.run([exe, *argv], capture_output=True, env=env, check=False)
            (out / f"{i:02d}.out").write_bytes(
                f"$ inferx {' '.join(argv)}\nexit {done.returncode}\n".encode() + done.stdout)
    print(f"{len(LINES)} command lines recorded in {out}")


if __name__ == "__main__":
    main()
