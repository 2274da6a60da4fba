"""Calibrate and validate the engine against measured results (issue 6).

measurements: read CSV / vLLM JSON rows; harness: map rows to scenarios and predict;
scoring: APE and bias tables; fitting: least-squares presets and leave-one-source-out;
profile: the calibration file `inferx calibrate` writes and `--calibration` reads.
"""
