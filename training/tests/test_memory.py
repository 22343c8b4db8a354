"""Peak memory of a conversion stays under twice the checkpoint's size (the issue's bound).

The default is a 64 px model whose pickle is about 90 MB (protocol 4). For the full-size check, a
synthetic checkpoint with the official shapes (random weights, about 2.5 GB, a minute or two):

    cd training && TBGAN_MEMORY_TEST=official /usr/bin/python3 -m pytest -q -s tests/test_memory.py
"""
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO
from synthetic import network_state, write_networks
from tbgan.architecture import OFFICIAL, Architecture, variable_plan
from tbgan.official import OFFICIAL_KWARGS

MEDIUM = Architecture(resolution=64, latentSize=384, labelSize=7, numChannels=9, fmapBase=512, fmapDecay=1.0,
                      fmapMax=128, widthMultiplier=3, lodSep=4, pixelNormEpsilon=1e-8, leakyReluAlpha=0.2)
MEDIUM_KWARGS = {"num_channels": 9, "resolution": 64, "label_size": 7, "fmap_base": 512, "fmap_max": 128, "lod_sep": 4}
OFFICIAL_SIZE = os.environ.get("TBGAN_MEMORY_TEST") == "official"


def write_checkpoint(path, arch, kwargs, protocol):
    """G, D and Gs of about equal size, as in the release; G and D are views of Gs's arrays (cheap to make)."""
    rng = np.random.default_rng(0)
    gs = {name: rng.standard_normal(shape, dtype=np.float32) if shape else np.array(0, np.float32)
          for name, shape in variable_plan(arch)}
    views = {name: v.view() for name, v in gs.items()}  # distinct objects: pickled again, in full
    d = {f"D/{name}": v.view() for name, v in gs.items()}
    write_networks(path, (network_state("G", views, kwargs), network_state("D", d, kwargs, func="D_paper"),
                          network_state("Gs", gs, kwargs)), protocol=protocol)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the peak RSS from Linux's /proc")
@pytest.mark.parametrize("protocol", [4] if OFFICIAL_SIZE else [4, 2])
def test_peak_memory_is_under_twice_the_file_size(tmp_path, protocol):
    arch, kwargs = (OFFICIAL, OFFICIAL_KWARGS) if OFFICIAL_SIZE else (MEDIUM, MEDIUM_KWARGS)
    pkl = tmp_path / "network-snapshot-000001.pkl"
    write_checkpoint(pkl, arch, kwargs, protocol)
    file_bytes = pkl.stat().st_size
    # VmHWM, the peak RSS of this process image: not ru_maxrss, which Linux carries over from the
    # forking parent (pytest, holding the arrays just written) across exec.
    script = f"""
import re, sys
sys.path.insert(0, {str(REPO / 'training')!r})
from tbgan.convert import ConvertOptions, convert_official
peak = lambda: int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
before = peak()
convert_official({str(pkl)!r}, None, {str(tmp_path / 'out')!r}, ConvertOptions(allow_other_config=True))
print(before, peak())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    before_kib, peak_kib = map(int, done.stdout.split())
    used = (peak_kib - before_kib) * 1024
    print(f"\nprotocol {protocol}: file {file_bytes / 2**20:.0f} MiB, peak RSS {peak_kib / 1024:.0f} MiB "
          f"({before_kib / 1024:.0f} MiB after imports), conversion {used / 2**20:.0f} MiB = {used / file_bytes:.2f}x")
    assert used <= 2 * file_bytes
