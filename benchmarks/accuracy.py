"""Regenerate docs/accuracy.md: run the engine on every measured row and score it.

    python benchmarks/accuracy.py                   # writes docs/accuracy.md
    python benchmarks/accuracy.py --write-presets   # also refits inferx/calibration/fitted.json

Rows: benchmarks/data/published_measurements.csv (copied verbatim from the shared set),
benchmarks/data/extra_measurements.csv and benchmarks/data/measurements_2026.csv (rows this
project added, a public source per row).  Predictions scored side by side:

* roofline baseline: efficiencies 1, no overheads, ideal links (the plain roofline);
* in-sample: the presets fitted on all rows (what `inferx estimate --engine ...` uses);
* leave-one-source-out: each source predicted by presets fitted without it;
* leave-one-family-out: each hardware family, engine, model family and serving mode
  predicted by presets fitted without any of its rows (the headline).

Deterministic: fixed iteration budget, a fixed stratified training subset, no clock or
hash-order in the output; `--jobs` only spreads the refits over processes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inferx.calibration.accuracy_report import render  # noqa: E402
from inferx.calibration.fitting import (  # noqa: E402
    FIT_ITERATIONS,
    evaluate,
    fit_presets,
    values_lookup,
)
from inferx.calibration.holdout import leave_groups_out, stratified  # noqa: E402
from inferx.calibration.harness import CannotEstimate, resolve  # noqa: E402
from inferx.calibration.measurements import read_csv  # noqa: E402
from inferx.calibration.report import Run  # noqa: E402
from inferx.calibration.validation import (  # noqa: E402
    LOFO_AXES,
    fitted_table,
    row_groups,
)
from inferx.calibration.scoring import Skip  # noqa: E402
from inferx.registry import Registry  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
FITTED = ROOT / "inferx" / "calibration" / "fitted.json"
FILES = ("published_measurements.csv", "extra_measurements.csv", "measurements_2026.csv")
BASELINE = {"compute_efficiency": 1.0, "bandwidth_efficiency": 1.0, "step_overhead_ms": 0.0,
            "request_overhead_ms": 0.0, "allreduce_hop_latency_us": 0.0,
            "interconnect_efficiency": 1.0, "gqa_kv_reread": 0.0,
            "moe_compute_efficiency": 1.0, "sequence_overhead_us": 0.0, "expert_load_cv": 0.0,
            "grace_host_factor": 1.0,
            "gemm_padding_tokens": 0.0}


def load_rows():
    rows = []
    for name in FILES:
        if (DATA / name).exists():
            rows += read_csv(DATA / name)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md")
    ap.add_argument("--write-presets", action="store_true",
                    help="refit the built-in presets and write inferx/calibration/fitted.json")
    ap.add_argument("--write-bands", action="store_true",
                    help="write only the error bands (group bands, measured families and "
                         "modes, per-preset ranges) into fitted.json, keeping its knob values")
    ap.add_argument("--iterations", type=int, default=FIT_ITERATIONS)
    ap.add_argument("--jobs", type=int, default=2, help="processes for the refits")
    args = ap.parse_args(argv)
    t0 = time.time()
    registry = Registry.default()
    rows = load_rows()
    groups = {r.case_id: row_groups(r, registry) for r in rows}
    scenarios, unresolved = [], []
    for row in rows:
        try:
            scenarios.append(resolve(row, registry))
        except CannotEstimate as exc:
            g = groups[row.case_id]
            unresolved += [Skip(row.case_id, row.source_key, m, str(exc),
                                g["hardware family"], g["engine"], g["model family"],
                                g["serving mode"]) for m in row.metrics]

    def say(text: str) -> None:
        print(f"  {text}", file=sys.stderr)

    base_pairs, base_skips = evaluate(scenarios, lambda _e: BASELINE)
    fits = fit_presets(stratified(scenarios), iterations=args.iterations)
    in_pairs, in_skips = evaluate(scenarios, values_lookup(fits))
    held = leave_groups_out(scenarios, ["source", *LOFO_AXES], iterations=args.iterations,
                            jobs=args.jobs, progress=lambda g: say(f"held out {g}"))
    lo_pairs = [p for h in held if h.axis == "source" for p in h.pairs]
    lo_skips = [k for h in held if h.axis == "source" for k in h.skips]
    runs = [Run("roofline baseline", base_pairs, base_skips + unresolved),
            Run("fitted presets, in-sample", in_pairs, in_skips + unresolved),
            Run("leave-one-source-out", lo_pairs, lo_skips + unresolved)]

    if args.write_presets or args.write_bands:
        table = fitted_table(fits, held)
        if not args.write_presets:  # keep the shipped knob values and their provenance
            shipped = json.loads(FITTED.read_text(encoding="utf-8"))
            for engine, entry in shipped["presets"].items():
                entry["error_ratio"] = (table["presets"].get(engine)
                                        or table["presets"]["generic"])["error_ratio"]
            table = {**table, "presets": shipped["presets"]}
        FITTED.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    text = render(rows, groups, runs, held, unresolved, fits, iterations=args.iterations)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({time.time() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
