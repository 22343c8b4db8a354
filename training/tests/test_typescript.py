"""What the converter writes is what the TypeScript side reads, and the ONNX graph it builds computes
what the official generator computes (a literal numpy forward of the checkpoint, tbgan/reference.py).

These run `npm run ...` and need `npm ci` first (CI runs it before pytest).
"""
import hashlib
import json

import numpy as np
import pytest

from conftest import HAS_NODE_MODULES, REPO, npm
from synthetic import grid_template, tiny_checkpoint, uv_dict_bytes
from tbgan.convert import ConvertOptions, convert_official
from tbgan.official import read_checkpoint
from tbgan.package import read_safetensors, write_safetensors
from tbgan.reference import generator

pytestmark = pytest.mark.skipif(not HAS_NODE_MODULES, reason="needs node_modules: run `npm ci` first")


def test_npm_run_convert_official_writes_a_package_the_service_loads(tmp_path):
    pkl, _ = tiny_checkpoint(tmp_path, seed=6, lod=0.4)
    (tmp_path / "512_UV_dict.pkl").write_bytes(uv_dict_bytes(*grid_template(5)))
    out = tmp_path / "tbgan-official"
    printed = npm("convert-official", "--", "--pkl", pkl, "--uv-dict", str(tmp_path / "512_UV_dict.pkl"),
                  "--out", str(out), "--allow-other-config", "--quiet")
    assert f"wrote {out}: tbgan-official official-000006-" in printed
    # `inspect` runs every load check: schema, sizes and sha256 of every file, tensor names, shapes, lod
    info = json.loads(npm("model", "--", "inspect", str(out), "--json"))
    manifest = json.loads((out / "model.json").read_text())
    assert info["trained"] is True and info["resolution"] == 32 and info["lod"] == pytest.approx(0.4)
    assert info["licence"] == "TBGAN EULA, do not redistribute"
    assert info["expressions"] == [f"class{i}" for i in range(7)]
    assert info["weightsSha256"] == manifest["files"]["weights.safetensors"]["sha256"]


def test_the_python_safetensors_writer_gives_the_typescript_writers_bytes(tmp_path):
    npm("model", "--", "init", "--preset", "tbgan-tiny", "--seed", "7", "--out", str(tmp_path / "ts"))
    tensors = read_safetensors(str(tmp_path / "ts" / "weights.safetensors"))
    entry = write_safetensors(str(tmp_path / "py.safetensors"), [(n, t.shape) for n, t in tensors.items()],
                              tensors.items())
    ts_bytes = (tmp_path / "ts" / "weights.safetensors").read_bytes()
    assert entry == {"sha256": hashlib.sha256(ts_bytes).hexdigest(), "bytes": len(ts_bytes)}


@pytest.mark.parametrize("lod,upsample,fp16", [
    (0.0, "phase", False),
    (0.4, "conv-transpose", False),
    (0.7, "resize-conv", False),
    (0.4, "phase", True),
])
def test_the_onnx_graph_of_a_converted_checkpoint_equals_the_literal_official_forward(tmp_path, lod, upsample, fp16):
    pkl, _ = tiny_checkpoint(tmp_path, seed=11, lod=lod)
    convert_official(pkl, None, str(tmp_path / "pkg"), ConvertOptions(allow_other_config=True))
    rng = np.random.default_rng(12)
    z = rng.standard_normal((3, 48)).astype(np.float32)
    labels = (rng.random((3, 7)) * 3).astype(np.float32)
    np.save(tmp_path / "z.npy", z)
    np.save(tmp_path / "labels.npy", labels)
    npm("model", "--", "generate", str(tmp_path / "pkg"), "--latents", str(tmp_path / "z.npy"), "--labels",
        str(tmp_path / "labels.npy"), "--out", str(tmp_path / "uv.npy"), "--upsample", upsample,
        "--batch-size", "2", *(["--fp16"] if fp16 else []))
    uv = np.load(tmp_path / "uv.npy")
    expected = generator(read_checkpoint(pkl).variables, resolution=32, lod_sep=3, z=z, labels=labels)
    assert uv.shape == expected.shape == (3, 9, 32, 32)
    for c in (0, 3, 6):  # texture, shape, normals
        error = np.abs(uv[:, c:c + 3] - expected[:, c:c + 3]).max()
        if fp16:
            assert error <= 1e-2 * np.abs(expected[:, c:c + 3]).max(), (c, error)
        else:
            assert error <= 1e-4, (c, error)


def test_verify_official_reports_agreement_for_a_converted_checkpoint(tmp_path, capsys):
    import importlib.util

    pkl, _ = tiny_checkpoint(tmp_path, seed=13, lod=0.2)
    convert_official(pkl, None, str(tmp_path / "pkg"), ConvertOptions(allow_other_config=True))
    path = REPO / "training" / "scripts" / "verify_official.py"
    spec = importlib.util.spec_from_file_location("verify_official", path)
    verify = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(verify)
    assert verify.main(["--pkl", pkl, "--package", str(tmp_path / "pkg"), "--seed", "5"]) == 0
    assert capsys.readouterr().out.endswith("OK\n")
