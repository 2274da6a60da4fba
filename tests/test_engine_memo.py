"""engine/memo.py: a record's derived quantities are computed once per record object, and a
changed record (dataclasses.replace) is never answered from another record's entry."""

from __future__ import annotations

import dataclasses

from inferx.engine import memo
from inferx.engine.architecture import layer_split, param_counts
from inferx.registry import Registry, builtin_dir


def test_param_counts_are_kept_per_record_and_follow_a_changed_record() -> None:
    m = Registry.from_dirs(builtin_dir()).get("model", "llama-3.1-8b")
    first = param_counts(m)
    assert param_counts(m) is first  # the same record: the kept value
    deeper = dataclasses.replace(m, num_layers=m.num_layers * 2)
    assert param_counts(deeper).quantizable > first.quantizable  # a new record: computed
    assert layer_split(deeper).full == 2 * layer_split(m).full
    assert param_counts(m) == first


def test_the_cache_is_bounded(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(memo, "MAX_ENTRIES", 4)
    m = Registry.from_dirs(builtin_dir()).get("model", "llama-3.1-8b")
    for n in range(10):
        param_counts(dataclasses.replace(m, num_layers=n + 1))
    assert len(memo._CACHE) <= 4
