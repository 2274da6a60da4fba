"""The README's library example runs (as a doctest) and its answer does not depend on a
registry the test suite built elsewhere."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_library_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    examples = [b for b in blocks if b.lstrip().startswith(">>>")]
    assert examples, "the README lost its library example"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(verbose=False)
    for i, text in enumerate(examples):
        runner.run(parser.get_doctest(text, {}, f"README.md example {i + 1}", str(README), 0))
    results = runner.summarize(verbose=False)
    assert results.failed == 0 and results.attempted > 0
