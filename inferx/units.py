"""Constants and unit conversions: the one place that knows how big a GB is.

GB means 10**9 bytes everywhere in inferx (keys ending ``_gb``); GiB (2**30) is named as such.
"""

BYTES_PER_GB = 1e9
BYTES_PER_GIB = 2**30
SECONDS_PER_HOUR = 3600.0
HOURS_PER_DAY = 24.0
HOURS_PER_MONTH = 730.0  # 8,760 h / 12, the convention cloud price lists use
TOKENS_PER_MILLION = 1e6
JOULES_PER_WH = 3600.0
WH_PER_KWH = 1000.0



def ms(seconds: float | None) -> float | None:
    """Seconds → milliseconds; None (a figure not estimated) stays None."""
    return None if seconds is None else seconds * 1e3
