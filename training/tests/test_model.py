"""The PyTorch generator (tbgan/model.py) computes what the literal numpy forward and the ONNX graph compute.

Packages: `npm run model -- init --preset tbgan-tiny` (lod 0), and a Python-written random package for
the fade-in (the TypeScript init writes lod 0 only). ONNX outputs come from `npm run model -- generate`.
"""
import numpy as np
import pytest

from conftest import HAS_NODE_MODULES, npm
from synthetic import TINY, random_effective, write_random_package
from tbgan.architecture import weight_layers
from tbgan.package import read_package
from tbgan.reference import generator, max_relative_error
from tbgan.seeds import latents_for_request

torch = pytest.importorskip("torch")
from tbgan.model import Generator  # noqa: E402

needs_npm = pytest.mark.skipif(not HAS_NODE_MODULES, reason="needs node_modules: run `npm ci` first")
FADE_LOD = 0.4


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """{lod: package dir}: lod 0 from the TypeScript init, FADE_LOD written by Python."""
    root = tmp_path_factory.mktemp("packages")
    out = {}
    if HAS_NODE_MODULES:
        npm("model", "--", "init", "--preset", "tbgan-tiny", "--seed", "21", "--out", str(root / "lod0"))
        out[0.0] = root / "lod0"
    write_random_package(str(root / "fade"), TINY, random_effective(TINY, seed=22, lod=FADE_LOD))
    out[FADE_LOD] = root / "fade"
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Latents of seeds 7, 8, 9 (the service's seed -> latent) and varied labels, also saved as .npy."""
    root = tmp_path_factory.mktemp("inputs")
    z = latents_for_request(7, 3, TINY.latentSize)
    labels = (np.random.default_rng(5).random((3, TINY.labelSize)) * 3).astype(np.float32)
    np.save(root / "z.npy", z)
    np.save(root / "labels.npy", labels)
    return z, labels, root


def torch_forward(package, z, labels, branches="grouped", channels_last=False):
    arch, lod, variables = read_package(str(package))
    model = Generator(arch, lod, branches).load_variables(variables).eval()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    with torch.no_grad():
        return model.freeze()(torch.from_numpy(z), torch.from_numpy(labels)).numpy()


def reference_forward(package, z, labels):
    """tbgan/reference.py takes stored weights: effective / (gain / sqrt(fan_in)), in float64."""
    arch, lod, variables = read_package(str(package))
    layers = weight_layers(arch)
    stored = {name: v.astype(np.float64) / (layers[name].gain / np.sqrt(layers[name].fan_in)) if name in layers else v
              for name, v in variables.items()}
    stored["lod"] = np.array(lod, dtype=np.float32)
    return generator(stored, arch.resolution, arch.lodSep, z, labels, arch.pixelNormEpsilon)


@pytest.mark.parametrize("lod", [pytest.param(0.0, marks=needs_npm), FADE_LOD])
@pytest.mark.parametrize("branches,channels_last", [("grouped", False), ("split", False), ("grouped", True)])
def test_fp32_equals_the_literal_numpy_forward(packages, inputs, lod, branches, channels_last):
    z, labels, _ = inputs
    got = torch_forward(packages[lod], z, labels, branches, channels_last)
    expected = reference_forward(packages[lod], z, labels)
    assert got.shape == (3, 9, 32, 32) and got.dtype == np.float32
    assert max_relative_error(got, expected) <= 1e-5


@needs_npm
@pytest.mark.parametrize("lod,upsample,branches", [
    (0.0, "phase", "grouped"),
    (0.0, "conv-transpose", "split"),
    *[(FADE_LOD, u, b) for u in ("phase", "conv-transpose", "resize-conv") for b in ("grouped", "split")],
])
def test_fp32_equals_the_onnx_graph_of_every_variant(packages, inputs, lod, upsample, branches):
    z, labels, root = inputs
    out = root / f"uv-{lod}-{upsample}-{branches}.npy"
    npm("model", "--", "generate", str(packages[lod]), "--latents", str(root / "z.npy"), "--labels",
        str(root / "labels.npy"), "--out", str(out), "--upsample", upsample, "--branches", branches,
        "--batch-size", "2")
    assert max_relative_error(np.load(out), torch_forward(packages[lod], z, labels, branches)) <= 1e-4


@needs_npm
def test_the_fp16_onnx_graph_is_within_1e_2_of_fp32(packages, inputs):
    z, labels, root = inputs
    npm("model", "--", "generate", str(packages[FADE_LOD]), "--latents", str(root / "z.npy"), "--labels",
        str(root / "labels.npy"), "--out", str(root / "uv-fp16.npy"), "--fp16")
    assert max_relative_error(np.load(root / "uv-fp16.npy"), torch_forward(packages[FADE_LOD], z, labels)) < 1e-2


def test_stored_weights_with_wscale_equal_effective_weights_and_variables_round_trip():
    effective = random_effective(TINY, seed=3)
    layers = weight_layers(TINY)
    stored = {n: (v / layers[n].weight_scale()).astype(np.float32) for n, v in effective.items() if n in layers}
    stored.update({n: v for n, v in effective.items() if n not in layers and n != "lod"})
    z = latents_for_request(1, 2, TINY.latentSize)
    labels = np.zeros((2, TINY.labelSize), dtype=np.float32)
    plain = Generator(TINY).load_variables(effective).eval()
    scaled = Generator(TINY, use_wscale=True).load_variables(stored).eval()
    with torch.no_grad():
        a, b = (m(torch.from_numpy(z), torch.from_numpy(labels)).numpy() for m in (plain, scaled))
    assert max_relative_error(b, a) <= 1e-5
    assert all(np.array_equal(plain.variables()[n], effective[n]) for n in plain.variables())
