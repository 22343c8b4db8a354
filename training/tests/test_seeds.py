"""The Python seed generator reproduces the TypeScript one bit for bit (shared test vectors)."""
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from tbgan.seeds import latents_for_request, latents_from_seeds, xoshiro128ss

VECTORS = json.loads((Path(__file__).parents[2] / "test" / "fixtures" / "latent-vectors.json").read_text())


@pytest.mark.parametrize("entry", VECTORS["vectors"], ids=lambda e: f"seed{e['seed']}")
def test_latents_match_the_shared_vectors(entry):
    latent = latents_from_seeds([entry["seed"]], VECTORS["latentSize"])[0]
    bits = latent.view(np.uint32)
    assert [format(b, "08x") for b in bits[:8]] == entry["first"]
    assert format(bits[-1], "08x") == entry["last"]
    assert hashlib.sha256(latent.astype("<f4").tobytes()).hexdigest() == entry["sha256"]


def test_xoshiro128ss_matches_the_reference_implementation():
    # Outputs of Blackman & Vigna's reference C code seeded with s = {1, 2, 3, 4}
    got = xoshiro128ss([np.array([1]), np.array([2]), np.array([3]), np.array([4])], 8)[0]
    assert got.tolist() == [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]


def test_request_seeds_advance_by_one_and_wrap():
    got = latents_for_request(2**32 - 1, 2, 16)
    assert np.array_equal(got[0], latents_from_seeds([2**32 - 1], 16)[0])
    assert np.array_equal(got[1], latents_from_seeds([0], 16)[0])


def test_a_shorter_latent_is_a_prefix_of_a_longer_one():
    assert np.array_equal(latents_from_seeds([5], 7)[0], latents_from_seeds([5], 64)[0][:7])


def test_rejects_out_of_range_seeds():
    with pytest.raises(ValueError):
        latents_from_seeds([-1], 4)
