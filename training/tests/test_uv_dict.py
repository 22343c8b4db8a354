"""512_UV_dict.pkl (menpo pickle) -> topology.json."""
import gzip
import json
import os

import numpy as np
import pytest

from synthetic import grid_template, tiny_checkpoint, uv_dict_bytes
from tbgan.convert import ConvertOptions, convert_official
from tbgan.errors import ConversionError
from tbgan.uv_dict import read_uv_dict, topology_json

UVS, TRIS = grid_template(3)  # 9 vertices, 8 triangles


def read(tmp_path, data: bytes):
    (tmp_path / "512_UV_dict.pkl").write_bytes(data)
    return read_uv_dict(str(tmp_path / "512_UV_dict.pkl"))


@pytest.mark.parametrize("protocol", [0, 1, 2, 4])
def test_the_template_becomes_a_topology_file(tmp_path, protocol):
    uv = read(tmp_path, uv_dict_bytes(UVS, TRIS, protocol=protocol))
    doc = json.loads(topology_json(uv))
    assert doc == {
        "format": "tbgan-topology", "formatVersion": 1, "name": "tbgan-official", "vFlip": True,
        "uvs": UVS.ravel().tolist(), "indices": TRIS.astype(int).ravel().tolist(),
    }
    assert uv.keys == ["tcoords", "tcoords_pixel_scaled", "tmask", "tmask_image", "trilist"]
    assert uv.warnings == []


def test_a_gzipped_dictionary_reads_the_same(tmp_path):
    uv = read(tmp_path, gzip.compress(uv_dict_bytes(UVS, TRIS)))
    np.testing.assert_array_equal(uv.indices, TRIS)


def test_pixel_coordinates_that_say_v_points_down_give_vflip_false(tmp_path):
    down = np.stack([UVS[:, 1] * 512, UVS[:, 0] * 512], axis=1)
    uv = read(tmp_path, uv_dict_bytes(UVS, TRIS, pixel_scaled=down))
    assert uv.v_flip is False and "vFlip false" in uv.warnings[0]


def test_pixel_coordinates_that_match_neither_convention_warn(tmp_path):
    uv = read(tmp_path, uv_dict_bytes(UVS, TRIS, pixel_scaled=np.zeros_like(UVS)))
    assert uv.v_flip is True and "matches neither" in uv.warnings[0]


class Evil:
    def __reduce__(self):
        return os.system, ("touch pwned-by-pickle",)


@pytest.mark.parametrize("make,message", [
    (lambda: uv_dict_bytes(UVS, TRIS, extra={"trilist": None}), r"'trilist' is a NoneType, expected an array"),
    (lambda: uv_dict_bytes(UVS, TRIS + 1), r"'trilist' indices must be in \[0, 9\), found \[1, 9\]"),
    (lambda: uv_dict_bytes(UVS * 2, TRIS), r"'tcoords' must lie in \[0, 1\], found values in \[0.0, 2.0\]"),
    (lambda: uv_dict_bytes(UVS[:, :1].copy(), TRIS, pixel_scaled=UVS),
     r"'tcoords' must be \[V, 2\] floats, found \[9, 1\]"),
    (lambda: uv_dict_bytes(UVS, TRIS.astype(np.float32)), r"'trilist' must hold integers, found float32"),
    (lambda: uv_dict_bytes(UVS, TRIS, extra={"x": Evil()}), r"refusing to load global posix.system"),
    (lambda: b"not a pickle", r"not a readable UV dictionary pickle \(UnpicklingError"),
])
def test_a_bad_dictionary_is_refused_and_nothing_is_written(tmp_path, monkeypatch, make, message):
    monkeypatch.chdir(tmp_path)
    pkl, _ = tiny_checkpoint(tmp_path)
    (tmp_path / "uv.pkl").write_bytes(make())
    with pytest.raises(ConversionError, match=message):
        convert_official(pkl, str(tmp_path / "uv.pkl"), str(tmp_path / "out"), ConvertOptions(allow_other_config=True))
    assert sorted(os.listdir(tmp_path)) == sorted([os.path.basename(pkl), "uv.pkl"])


def test_a_dictionary_without_the_keys_lists_what_it_has(tmp_path):
    import pickle

    with pytest.raises(ConversionError, match=r"the dict lacks tcoords, trilist \(it has: points\)"):
        read(tmp_path, pickle.dumps({"points": np.zeros((3, 2))}))
