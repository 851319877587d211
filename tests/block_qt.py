"""A pytest plugin (``-p tests.block_qt``) that makes PySide6 unimportable.

Running the core, io and cli tests with it proves they need neither Qt nor a display.
"""

from __future__ import annotations

import importlib.abc
import sys

BLOCKED = ("PySide6", "shiboken6")


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(f"{fullname} is blocked: this test run proves Qt is not needed")
        return None


for name in list(sys.modules):
    if name.split(".")[0] in BLOCKED:
        del sys.modules[name]
sys.meta_path.insert(0, _BlockQt())


def pytest_sessionfinish(session, exitstatus):
    leaked = [name for name in sys.modules if name.split(".")[0] in BLOCKED]
    assert not leaked, f"Qt was imported despite the block: {leaked}"
