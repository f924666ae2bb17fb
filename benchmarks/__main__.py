"""`python -m benchmarks` runs every benchmark of this folder in turn, each in its own process."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

# Modules that build data for benchmarks rather than measure anything.
HELPERS = {"synthetic"}

for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if module.name not in HELPERS and not module.name.startswith("_"):
        subprocess.run([sys.executable, "-m", f"benchmarks.{module.name}"], check=True)
