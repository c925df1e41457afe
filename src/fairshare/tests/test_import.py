"""The package stays pure: importing it never imports Django."""

import subprocess
import sys


class TestImport:
    def test_import_does_not_load_django(self):
        code = "import fairshare, sys; assert 'django' not in sys.modules, 'django imported'"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    def test_public_api_names(self):
        import fairshare

        assert fairshare.METHODS == (
            "equal",
            "proportional",
            "scrb",
            "shapley",
            "nucleolus",
            "least_core",
        )
        for name in fairshare.__all__:
            assert hasattr(fairshare, name), name
