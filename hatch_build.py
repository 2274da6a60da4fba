"""Hatch build hook: ship the built-in profiles' index (inferx/_index.json) in the wheel.

Every TOML file under profiles/ is validated here, once, by inferx/profile_index.py; a file
that does not validate fails the build naming the file and field.  Editable installs skip it:
they build the index on first use, in the user cache dir (profile_index.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ProfileIndexHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, self.root)
        try:
            from inferx.profile_index import build_index, dumps
        finally:
            sys.path.remove(self.root)
        self._tmp = tempfile.TemporaryDirectory()
        out = Path(self._tmp.name) / "_index.json"
        out.write_text(dumps(build_index(Path(self.root) / "profiles")) + "\n", encoding="utf-8")
        build_data["force_include"][str(out)] = "inferx/_index.json"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
