"""`--format html` reports: self-contained, and drawn without console errors in a real
headless Chromium (Debian package `chromium`; .ci/run installs it)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from browser import Browser, find_chromium

REPORTS = {
    "compare": (["compare", "--max-tpot", "40"], 2),
    "bill": (["bill", "--daily-queries", "5000000", "--gpu-hour-price", "2", "--api",
              "openai-gpt-4o", "--growth", "15%", "--months", "6"], 2),
    "estimate": (["estimate"], 2),
}


def _report(invoke, tmp_path: Path, name: str) -> Path:
    pytest.importorskip("plotly", reason="the report extra (plotly) is not installed: "
                        "pip install '.[report]'")
    args, _ = REPORTS[name]
    out = tmp_path / f"{name}.html"
    result, _ = invoke(*args, "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_is_self_contained(invoke, tmp_path, name) -> None:
    text = _report(invoke, tmp_path, name).read_text()
    assert text.startswith("<!DOCTYPE html>")
    # nothing fetched at view time: no external scripts, styles or images
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)
    assert "cdn.plot.ly" not in text.split("</script>", 1)[1]


def test_html_without_the_extra_says_which_to_install(invoke, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "plotly", None)
    monkeypatch.setitem(sys.modules, "plotly.graph_objects", None)
    result, _ = invoke("estimate", "--format", "html")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: --format html needs the 'report' extra (plotly): "
        "pip install 'inferx-cost[report]'"]


@pytest.mark.skipif(find_chromium() is None, reason="no headless Chromium installed "
                    "(Debian: apt-get install chromium; .ci/run installs it)")
def test_reports_draw_in_headless_chromium_without_console_errors(invoke, tmp_path) -> None:
    browser = Browser(find_chromium())
    try:
        for name, (_, charts) in REPORTS.items():
            session = browser.open(_report(invoke, tmp_path, name))
            drawn = browser.evaluate(session, """
                new Promise(done => setTimeout(() => done(Array.from(
                    document.querySelectorAll('.js-plotly-plot'),
                    p => [p.querySelectorAll('g.trace').length,
                          Array.from(p.querySelectorAll('g.trace path'))
                               .filter(e => (e.getAttribute('d') || '').length > 8).length]
                )), 300))""")
            assert len(drawn) == charts, (name, drawn)
            # every chart has traces, and they drew shapes (bars, lines)
            assert all(traces > 0 and shapes > 0 for traces, shapes in drawn), (name, drawn)
            assert browser.evaluate(session, "document.querySelectorAll('table').length") > 0
        assert browser.errors() == []
    finally:
        browser.close()
