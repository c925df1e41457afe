"""Every docstring example in the package runs and gives what it shows."""

import doctest
import importlib

import pytest

MODULES = [
    "fairshare",
    "fairshare._bits",
    "fairshare.core",
    "fairshare.errors",
    "fairshare.methods",
    "fairshare.models",
    "fairshare.money",
    "fairshare.report",
    "fairshare.risk",
    "fairshare.shapley",
]


class TestDocstringExamples:
    @pytest.mark.parametrize("name", MODULES)
    def test_examples_run(self, name):
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
        assert result.failed == 0
