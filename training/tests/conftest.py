"""Shared fixtures: the command-line script as a module, the repository root, `npm run` from tests."""
import importlib.util
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HAS_NODE_MODULES = (REPO / "node_modules" / ".bin" / "tsx").exists()


def npm(*args: str) -> str:
    """`npm run --silent ARGS` in the repository (needs `npm ci` first); returns its stdout."""
    done = subprocess.run(["npm", "run", "--silent", *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def convert_script():
    """training/scripts/convert_official.py, imported (its `main(argv)` returns the exit status)."""
    path = REPO / "training" / "scripts" / "convert_official.py"
    spec = importlib.util.spec_from_file_location("convert_official", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
