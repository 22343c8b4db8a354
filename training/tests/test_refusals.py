"""Wrong inputs give one clear error and write nothing."""
import os
import pickle

import numpy as np
import pytest

from synthetic import (TINY, TINY_KWARGS, checkpoint_bytes, network_state, pickle_networks, random_effective,
                       stored_variables)
from tbgan import convert as convert_module
from tbgan.convert import ConvertOptions, convert_official
from tbgan.errors import ConversionError

STORED = stored_variables(TINY, random_effective(TINY, seed=9))


def with_changes(**changes):
    """The stored Gs variables with some replaced (a value) or removed (None)."""
    out = {k: v.copy() for k, v in STORED.items()}
    for key, value in changes.items():
        name = key.replace("__", "/")
        if value is None:
            del out[name]
        else:
            out[name] = value
    return checkpoint_bytes(out)


def gs_with(**state_changes):
    state = network_state("Gs", STORED, TINY_KWARGS)
    state.update(state_changes)
    return checkpoint_bytes(STORED, gs_state=state)


class Evil:
    def __reduce__(self):
        return os.system, ("touch pwned-by-pickle",)


def nan_weight():
    w = STORED["8x8/Conv1/weight"].copy()
    w[0, 1, 2, 3] = np.nan
    return w


OTHER = True  # --allow-other-config: the tiny checkpoints need it
CASES = [
    ("a missing variable", lambda: with_changes(**{"16x16__shp__Conv1__bias": None}), OTHER,
     r"1 variable\(s\) missing: 16x16/shp/Conv1/bias"),
    ("an extra variable", lambda: with_changes(**{"16x16__shp__Conv2__weight": np.zeros((3, 3, 16, 16), np.float32)}),
     OTHER, r"1 unexpected variable\(s\): 16x16/shp/Conv2/weight"),
    ("a misshapen variable", lambda: with_changes(**{"ToRGB_lod0__tex__weight": np.zeros((1, 1, 16, 4), np.float32)}),
     OTHER, r"'ToRGB_lod0/tex/weight' has shape \[1, 1, 16, 4\], expected \[1, 1, 16, 3\]"),
    ("a float64 variable", lambda: with_changes(**{"4x4__Conv__weight": STORED["4x4/Conv/weight"].astype(np.float64)}),
     OTHER, r"'4x4/Conv/weight' has dtype float64, expected float32"),
    ("a NaN", lambda: with_changes(**{"8x8__Conv1__weight": nan_weight()}), OTHER,
     r"'8x8/Conv1/weight' holds nan at flat index 2403"),
    ("lod 1 (mid-growth)", lambda: with_changes(lod=np.array(1.0, np.float32)), OTHER,
     r"lod = 1.0: the snapshot was taken while growing"),
    ("a negative lod", lambda: with_changes(lod=np.array(-0.5, np.float32)), OTHER,
     r"lod = -0.5: expected a value in \[0, 1\)"),
    ("other kwargs without --allow-other-config", lambda: checkpoint_bytes(STORED), False,
     r"static_kwargs are not the official model's: resolution=32 \(official 512\), fmap_base=256 \(official 8192\), "
     r"fmap_max=16 \(official 512\), lod_sep=3 \(official 7\)\. Pass --allow-other-config"),
    ("an unknown kwarg without --allow-other-config",
     lambda: gs_with(static_kwargs={**TINY_KWARGS, "use_noise": True}), False,
     r"use_noise=True \(unknown to G_paper\)"),
    ("unfused upsampling", lambda: gs_with(static_kwargs={**TINY_KWARGS, "fused_scale": False}), OTHER,
     r"built with fused_scale=False; only fused_scale=True is supported"),
    ("a latent size that contradicts the Dense", lambda: gs_with(static_kwargs={**TINY_KWARGS, "latent_size": 40}),
     OTHER, r"4x4/Dense/weight has 55 rows = latent 48 \+ 7 labels, but the static_kwargs give a latent size of 40"),
    ("a discriminator in Gs's place", lambda: gs_with(build_func_name="D_paper"), OTHER,
     r"built by 'D_paper', expected G_paper"),
    ("a state of another version", lambda: gs_with(version=1), OTHER, r"state version 1, expected 2"),
    ("a lone network", lambda: pickle_networks((network_state("Gs", STORED, TINY_KWARGS),)), OTHER,
     r"expected the tuple \(G, D, Gs\) of three tfutil.Network objects, found tuple of 1"),
    ("a pickled dict", lambda: pickle.dumps({"Gs": 1}), OTHER, r"expected the tuple \(G, D, Gs\).*found dict"),
    ("another class path", lambda: pickle_networks((network_state("Gs", STORED, TINY_KWARGS),) * 3,
                                                   module="dnnlib.tflib.network"), OTHER,
     r"refusing to load global dnnlib.tflib.network.Network"),
    ("not a pickle", lambda: b"<!DOCTYPE html><html>EULA required</html>", OTHER,
     r"not a pickle file \(invalid load key"),
    ("a truncated file", lambda: checkpoint_bytes(STORED)[:50_000], OTHER, r"truncated: the pickle ends after"),
    ("an empty file", lambda: b"", OTHER, r"the file is empty"),
    ("a pickle that calls os.system (protocol 2)", lambda: pickle.dumps(Evil(), protocol=2), OTHER,
     r"refusing to load global posix.system"),
    ("a pickle that calls os.system (protocol 4)", lambda: pickle.dumps(Evil(), protocol=4), OTHER,
     r"refusing to load global posix.system"),
    ("a protocol-0 pickle naming os.system", lambda: b"cos\nsystem\n(S'touch pwned-by-pickle'\ntR.", OTHER,
     r"refusing to load global os.system"),
]


@pytest.mark.parametrize("name,make,allow_other,message", CASES, ids=[c[0] for c in CASES])
def test_refuses_with_a_clear_message_and_writes_nothing(tmp_path, monkeypatch, name, make, allow_other, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.pkl").write_bytes(make())
    with pytest.raises(ConversionError, match=message):
        convert_official(str(tmp_path / "bad.pkl"), None, str(tmp_path / "out"),
                         ConvertOptions(allow_other_config=allow_other))
    assert sorted(os.listdir(tmp_path)) == ["bad.pkl"]  # no package, no partial directory, no pwned file


def test_a_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(ConversionError, match=r"nope.pkl: cannot read the checkpoint \(No such file or directory\)"):
        convert_official(str(tmp_path / "nope.pkl"), None, str(tmp_path / "out"), ConvertOptions())


def test_an_existing_destination_is_refused_before_reading(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "model.json").write_text("{}")
    with pytest.raises(ConversionError, match=r"out: already exists; pass --force to replace it"):
        convert_official(str(tmp_path / "does-not-matter.pkl"), None, str(tmp_path / "out"), ConvertOptions())


def test_a_failure_while_writing_leaves_an_existing_package_untouched(tmp_path, monkeypatch):
    (tmp_path / "c.pkl").write_bytes(checkpoint_bytes(STORED))
    options = ConvertOptions(allow_other_config=True, force=True)
    convert_official(str(tmp_path / "c.pkl"), None, str(tmp_path / "out"), options)
    before = (tmp_path / "out" / "weights.safetensors").read_bytes()

    def failing(variables, arch):
        yield "lod", np.zeros((), "<f4")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(convert_module, "folded_variables", failing)
    with pytest.raises(OSError, match="No space left"):
        convert_official(str(tmp_path / "c.pkl"), None, str(tmp_path / "out"), options)
    assert sorted(os.listdir(tmp_path)) == ["c.pkl", "out"]
    assert (tmp_path / "out" / "weights.safetensors").read_bytes() == before


@pytest.mark.parametrize("names,neutral,message", [
    ("a,b,c", None, r"the model has 7 label classes, 3 names given"),
    ("a,b,c,d,e,f,F", None, r"F: names must be lower-case identifiers"),
    ("a,b,c,d,e,f,a", None, r"names must be unique"),
    ("a,b,c,d,e,f,g", "neutral", r"--neutral neutral: not one of the --expressions names"),
])
def test_bad_expression_names_are_refused(tmp_path, names, neutral, message):
    (tmp_path / "c.pkl").write_bytes(checkpoint_bytes(STORED))
    options = ConvertOptions(allow_other_config=True, expressions=names.split(","), neutral=neutral)
    with pytest.raises(ConversionError, match=message):
        convert_official(str(tmp_path / "c.pkl"), None, str(tmp_path / "out"), options)
    assert not (tmp_path / "out").exists()
