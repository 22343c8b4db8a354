"""Official-format checkpoints made by the inverse transform convert back to identical weights."""
import json
import os

import numpy as np
import pytest

from synthetic import (FAKE_SOURCE, TINY, TINY_KWARGS, checkpoint_bytes, grid_template, network_state,
                       random_effective, stored_variables, tiny_checkpoint, uv_dict_bytes, write_random_package)
from tbgan import official
from tbgan.architecture import OFFICIAL, layer_plan, variable_plan, weight_layers
from tbgan.convert import ConvertOptions, convert_official
from tbgan.package import read_safetensors

OTHER = ConvertOptions(allow_other_config=True)


def convert(tmp_path, pkl, uv=None, options=OTHER, out="out"):
    return convert_official(str(pkl), uv, str(tmp_path / out), options)


@pytest.mark.parametrize("protocol", [2, 4, 5])
@pytest.mark.parametrize("module", ["uv_gan.tfutil", "tfutil"])
@pytest.mark.parametrize("lod", [0.0, 0.4])
def test_a_checkpoint_made_from_a_package_converts_back_to_the_identical_weights_file(tmp_path, protocol, module, lod):
    effective = random_effective(TINY, seed=protocol * 10 + len(module), lod=lod)
    reference = write_random_package(str(tmp_path / "random"), TINY, effective)
    pkl = tmp_path / "network-snapshot-013600.pkl"
    pkl.write_bytes(checkpoint_bytes(stored_variables(TINY, effective), protocol=protocol, module=module))
    result = convert(tmp_path, pkl)
    converted = json.loads((tmp_path / "out" / "model.json").read_text())
    # the same bytes as the package the checkpoint was made from: every tensor, name, order and header
    assert converted["files"]["weights.safetensors"] == reference["files"]["weights.safetensors"]
    assert result.lod == pytest.approx(lod)
    assert converted["architecture"] == TINY.to_json()
    assert converted["version"].startswith("official-013600-")


def test_the_dense_columns_keep_the_official_nchw_order(tmp_path):
    # Column j of the official Dense is NCHW (c = j // 16, y = j % 16 // 4, x = j % 4) (tbgan.md §4.4),
    # and so is the package's: the converter must not permute. Column j here holds j everywhere.
    effective = random_effective(TINY, seed=3)
    stored = stored_variables(TINY, effective)
    rows, cols = stored["4x4/Dense/weight"].shape
    stored["4x4/Dense/weight"] = np.tile(np.arange(cols, dtype=np.float32), (rows, 1))
    (tmp_path / "c.pkl").write_bytes(checkpoint_bytes(stored))
    convert(tmp_path, tmp_path / "c.pkl")
    dense = read_safetensors(str(tmp_path / "out" / "weights.safetensors"))["4x4/Dense/weight"]
    scale = weight_layers(TINY)["4x4/Dense/weight"].weight_scale()
    np.testing.assert_array_equal(dense[0], np.arange(cols, dtype=np.float32) * scale)
    np.testing.assert_array_equal(dense[rows - 1], dense[0])


def test_weights_are_scaled_by_their_gain_and_fan_in_and_biases_are_not(tmp_path):
    stored = {name: np.ones(shape, dtype=np.float32) for name, shape in variable_plan(TINY)}
    stored["lod"] = np.array(0.5, dtype=np.float32)
    (tmp_path / "ones.pkl").write_bytes(checkpoint_bytes(stored))
    convert(tmp_path, tmp_path / "ones.pkl")
    got = read_safetensors(str(tmp_path / "out" / "weights.safetensors"))
    expected = {  # gain / sqrt(fan_in) for TINY (widths 48, branches 16)
        "4x4/Dense/weight": np.sqrt(2) / 4 / np.sqrt(48 + 7),
        "4x4/Conv/weight": np.sqrt(2) / np.sqrt(9 * 48),
        "8x8/Conv0_up/weight": np.sqrt(2) / np.sqrt(9 * 48),  # [k, k, out, in]: fan-in k*k*in
        "16x16/tex/Conv0_up/weight": np.sqrt(2) / np.sqrt(9 * 16),
        "ToRGB_lod3/weight": 1 / np.sqrt(48),
        "ToRGB_lod0/nor/weight": 1 / np.sqrt(16),
        "4x4/Dense/bias": 1.0,
        "ToRGB_lod0/nor/bias": 1.0,
        "lod": 0.5,
    }
    for name, value in expected.items():
        np.testing.assert_array_equal(got[name], np.full(got[name].shape, np.float32(value)), err_msg=name)


def test_the_official_constants_match_research(tmp_path):
    # research/tbgan.md §1.5, pinned as in src/model/architecture.test.ts
    scale = {layer.scope: float(layer.weight_scale()) for layer in layer_plan(OFFICIAL)}
    table = {"4x4/Dense": 0.009001, "4x4/Conv": 0.012028, "64x64/Conv1": 0.01701, "128x128/Conv1": 0.024056,
             "256x256/tex/Conv0_up": 0.041667, "512x512/nor/Conv0_up": 0.058926, "512x512/tex/Conv1": 0.083333,
             "ToRGB_lod0/tex": 0.176777, "ToRGB_lod1/shp": 0.125}
    for scope, value in table.items():
        assert scale[scope] == pytest.approx(value, abs=5e-7), scope
    params = sum(int(np.prod(shape)) for _, shape in variable_plan(OFFICIAL))
    assert params == 206_959_465
    assert dict(variable_plan(OFFICIAL))["64x64/Conv0_up/weight"] == (3, 3, 768, 1536)


def test_the_official_static_kwargs_give_the_tbgan_512_architecture():
    dense = {"4x4/Dense/weight": np.zeros((1543, 1), dtype=np.float32)}  # only its row count is read
    arch, warnings = official.architecture_from_kwargs(dict(official.OFFICIAL_KWARGS), dense, False)
    assert arch == OFFICIAL and warnings == []


def test_gs_is_converted_not_g_or_d(tmp_path):
    pkl, effective = tiny_checkpoint(tmp_path, seed=4)  # its G holds Gs + 1
    convert(tmp_path, pkl)
    got = read_safetensors(str(tmp_path / "out" / "weights.safetensors"))
    np.testing.assert_array_equal(got["8x8/Conv1/weight"], effective["8x8/Conv1/weight"])


def test_writes_the_manifest_provenance_licence_and_topology(tmp_path):
    pkl, _ = tiny_checkpoint(tmp_path, seed=2, lod=0.4)
    (tmp_path / "512_UV_dict.pkl").write_bytes(uv_dict_bytes(*grid_template(4)))
    options = ConvertOptions(allow_other_config=True, expressions="neutral,a,b,c,d,e,f".split(","), neutral="neutral")
    convert(tmp_path, pkl, str(tmp_path / "512_UV_dict.pkl"), options)
    m = json.loads((tmp_path / "out" / "model.json").read_text())
    assert m["licence"]["name"] == "TBGAN EULA, do not redistribute" and m["licence"]["redistributable"] is False
    assert m["trained"] is True and "preset" not in m
    assert m["labels"] == {"names": ["neutral", "a", "b", "c", "d", "e", "f"], "neutral": "neutral",
                           "scale": [10, 10, 10, 10, 5, 3, 10], "default": [0] * 7}
    source = m["provenance"]["source"]
    assert source["sha256"] == official.hashlib.sha256(open(pkl, "rb").read()).hexdigest()
    assert source["staticKwargs"] == TINY_KWARGS and source["buildFuncName"] == "G_paper"
    assert m["provenance"]["lod"] == pytest.approx(0.4)
    assert m["provenance"]["uvDict"]["vertices"] == 16 and m["provenance"]["uvDict"]["triangles"] == 18
    assert m["topology"] == {"kind": "file", "path": "topology.json"}
    assert sorted(m["files"]) == ["topology.json", "weights.safetensors"]
    written = sorted(os.listdir(tmp_path / "out"))
    assert written == [".gitignore", "model.json", "topology.json", "weights.safetensors"]
    assert (tmp_path / "out" / ".gitignore").read_text().endswith("\n*\n")  # never committed by accident
    os.makedirs(tmp_path / "plain")
    assert os.stat(tmp_path / "out").st_mode == os.stat(tmp_path / "plain").st_mode  # not mkdtemp's 0700


def test_expression_names_default_to_placeholders(tmp_path):
    pkl, _ = tiny_checkpoint(tmp_path)
    result = convert(tmp_path, pkl)
    assert result.manifest["labels"]["names"] == [f"class{i}" for i in range(7)]
    assert result.manifest["labels"]["neutral"] is None
    assert "unknown" in result.manifest["provenance"]["expressionNames"]


def test_an_unknown_networks_source_warns_with_the_lines_that_differ(monkeypatch):
    monkeypatch.setattr(official, "KEY_LINES", [
        (official.hashlib.sha256(b"x = fold(w) * 2").hexdigest()[:16], "the fold doubles", r"fold\("),
        (official.hashlib.sha256(b"keep = True").hexdigest()[:16], "the keep line", r"keep"),
    ])
    [warning] = official.source_warnings("0" * 64, "def f():\n    x = fold(w) * 3\n    keep = True\n")
    assert "1 of 2 lines the conversion relies on differ" in warning
    assert "  - TBGAN: the fold doubles\n  + here: x = fold(w) * 3" in warning
    assert official.source_warnings(official.KNOWN_SOURCE, "anything") == []


def test_the_known_source_hash_is_compared_after_normalising_line_endings(tmp_path, monkeypatch):
    monkeypatch.setattr(official, "KNOWN_SOURCE", official.hashlib.sha256(FAKE_SOURCE.encode()).hexdigest())
    effective = random_effective(TINY, seed=1)
    crlf = FAKE_SOURCE.replace("\n", "\r\n")
    state = network_state("Gs", stored_variables(TINY, effective), TINY_KWARGS, source=crlf)
    (tmp_path / "crlf.pkl").write_bytes(checkpoint_bytes(stored_variables(TINY, effective), gs_state=state))
    result = convert(tmp_path, tmp_path / "crlf.pkl")
    assert result.warnings == ["no --uv-dict: the package has no topology, so the service cannot make meshes from it"]


def test_progress_is_printed_for_large_files(tmp_path):
    pkl, _ = tiny_checkpoint(tmp_path)
    lines = []
    official.read_checkpoint(pkl, report=lines.append, large_file_bytes=1)
    assert 10 <= len(lines) <= 21 and lines[-1].startswith(f"reading {os.path.basename(pkl)}: ")
    assert "(100%" in lines[-1]
    lines.clear()
    official.read_checkpoint(pkl, report=lines.append)  # below 64 MiB: quiet
    assert lines == []


def test_the_command_line_converts_and_reports(tmp_path, capsys, convert_script):
    script = convert_script
    pkl, _ = tiny_checkpoint(tmp_path)
    (tmp_path / "uv.pkl").write_bytes(uv_dict_bytes(*grid_template(3)))
    code = script.main(["--pkl", pkl, "--uv-dict", str(tmp_path / "uv.pkl"), "--out", str(tmp_path / "cli"),
                        "--allow-other-config", "--name", "tiny-official"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"wrote {tmp_path / 'cli'}: tiny-official official-000001-" in out.out
    assert "topology  9 vertices, 8 triangles" in out.out
    assert script.main(["--pkl", pkl, "--out", str(tmp_path / "cli")]) == 1
    assert "already exists; pass --force to replace it\nnothing was written." in capsys.readouterr().err
