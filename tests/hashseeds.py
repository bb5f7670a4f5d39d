"""Running Python under several string-hash seeds: a result that follows the order of sets
or dicts of strings changes from one process to the next."""

from __future__ import annotations

import os
import subprocess
import sys


def outputs_per_seed(script: str, seeds: tuple[str, ...] = ("1", "2", "3")) -> set[str]:
    """What ``python -c script`` prints under each ``PYTHONHASHSEED`` of ``seeds``: one
    output when the script's result does not depend on the process."""
    return {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in seeds
    }
