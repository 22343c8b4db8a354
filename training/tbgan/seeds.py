"""Seeds -> latents, bit for bit the generator of `src/model/seeds.ts` (read its DESIGN NOTES).

SplitMix32 seeds four uint32 words of xoshiro128**; Box-Muller in float64 turns pairs of words into
standard normals, rounded to float32. Face i of a request with seed s uses seed (s + i) mod 2**32.
Vectorised over seeds: every seed's stream advances in lock-step.
"""
from __future__ import annotations

import numpy as np

_U32 = np.uint32
_TWO_POW_32 = 4294967296.0


def _splitmix32_words(seeds: np.ndarray, count: int) -> list[np.ndarray]:
    state = seeds.astype(np.uint32)
    words = []
    with np.errstate(over="ignore"):
        for _ in range(count):
            state = state + _U32(0x9E3779B9)
            z = state.copy()
            z = (z ^ (z >> _U32(16))) * _U32(0x21F0AAAD)
            z = (z ^ (z >> _U32(15))) * _U32(0x735A2D97)
            words.append(z ^ (z >> _U32(15)))
    return words


def _rotl(x: np.ndarray, k: int) -> np.ndarray:
    return (x << _U32(k)) | (x >> _U32(32 - k))


def uint32_stream(seeds: np.ndarray, steps: int) -> np.ndarray:
    """The first `steps` xoshiro128** outputs for each seed: uint32 array [len(seeds), steps]."""
    return xoshiro128ss(_splitmix32_words(np.asarray(seeds, dtype=np.uint64), 4), steps)


def xoshiro128ss(state: list[np.ndarray], steps: int) -> np.ndarray:
    """xoshiro128** (Blackman & Vigna) from explicit states: four uint32 arrays, one entry per stream."""
    s0, s1, s2, s3 = (np.asarray(w, dtype=np.uint32) for w in state)
    out = np.empty((len(s0), steps), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for i in range(steps):
            out[:, i] = _rotl(s1 * _U32(5), 7) * _U32(9)
            t = s1 << _U32(9)
            s2 = s2 ^ s0
            s3 = s3 ^ s1
            s1 = s1 ^ s2
            s0 = s0 ^ s3
            s2 = s2 ^ t
            s3 = _rotl(s3, 11)
    return out


def latents_from_seeds(seeds, latent_size: int) -> np.ndarray:
    """Latents [len(seeds), latent_size] float32, one per uint32 seed."""
    seeds = np.asarray(seeds, dtype=np.int64)
    if np.any(seeds < 0) or np.any(seeds >= 2**32):
        raise ValueError("seeds must be integers in [0, 2**32)")
    pairs = (latent_size + 1) // 2
    words = uint32_stream(seeds, 2 * pairs).astype(np.float64)
    u1 = (words[:, 0::2] + 1.0) / _TWO_POW_32
    u2 = words[:, 1::2] / _TWO_POW_32
    r = np.sqrt(-2.0 * np.log(u1))
    theta = 2.0 * np.pi * u2
    out = np.empty((len(seeds), 2 * pairs), dtype=np.float64)
    out[:, 0::2] = r * np.cos(theta)
    out[:, 1::2] = r * np.sin(theta)
    return out[:, :latent_size].astype(np.float32)


def latents_for_request(seed: int, count: int, latent_size: int) -> np.ndarray:
    """Latents of a request: face i uses seed (seed + i) mod 2**32."""
    return latents_from_seeds([(seed + i) % 2**32 for i in range(count)], latent_size)
