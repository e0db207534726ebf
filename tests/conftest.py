"""Shared test setup: tests import helpers (e.g. `bruteforce`) from this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
