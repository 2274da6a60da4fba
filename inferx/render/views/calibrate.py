"""Table view of `inferx calibrate`: fitted knobs and the error before/after."""

from __future__ import annotations

from typing import Any

from inferx.render.views import TableSpec, fmt


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def tables(d: dict[str, Any]) -> list[TableSpec]:
    values = TableSpec(
        title=f"Calibration of {d['engine']} written to {d['output']}",
        columns=["assumption", "fitted value"],
        rows=[[k, fmt(v, 3)] for k, v in d["values"].items()],
        caption=f"{d['rows_used']} of {d['rows_read']} rows of {d['file']} used; pass "
                f"--calibration {d['output']} to estimate, compare and bill.")
    errors = TableSpec(
        title="Error on your rows (in-sample)",
        columns=["metric", "rows", "median APE before", "median APE after",
                 "pred/meas p10-p90"],
        rows=[[m["metric"], str(m["rows"]), _pct(m["median_ape_before"]),
               _pct(m["median_ape_after"]),
               "—" if m["ratio_p10"] is None else f"{m['ratio_p10']:.2f}-{m['ratio_p90']:.2f}"]
              for m in d["metrics"]])
    out = [values, errors]
    if d["skipped"]:
        out.append(TableSpec(title="Rows not used", columns=["case", "reason"],
                             rows=[[s["case_id"], s["reason"]] for s in d["skipped"]]))
    return out
