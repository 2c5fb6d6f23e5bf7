"""The documentation that is generated from the code is up to date."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_matches_the_commands():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "cli_reference.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
