"""Shared fixtures: the command-line script as a module, and the repository root."""
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def convert_script():
    """training/scripts/convert_official.py, imported (its `main(argv)` returns the exit status)."""
    path = REPO / "training" / "scripts" / "convert_official.py"
    spec = importlib.util.spec_from_file_location("convert_official", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
