"""The restricted unpickler: numpy arrays in every pickle dialect, and nothing that could run code."""
import copyreg
import io
import os
import pickle
import struct

import numpy as np
import pytest

from tbgan.unpickle import BASE_GLOBALS, RefusedGlobal, RestrictedUnpickler, as_array


def load(data: bytes, allowed=BASE_GLOBALS):
    return RestrictedUnpickler(io.BytesIO(data), allowed).load()


ARRAYS = [
    np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
    np.array(0.4, dtype=np.float32),  # the 0-d `lod`
    np.array([True, False, True]),
    np.arange(6, dtype=np.uint32).reshape(2, 3),
    np.arange(5, dtype=np.int64) - 2,
    np.linspace(0, 1, 5),
    np.arange(4, dtype=">f4"),  # big-endian
    np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
]


@pytest.mark.parametrize("protocol", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("index", range(len(ARRAYS)))
def test_numpy_arrays_load_exactly_at_every_protocol(protocol, index):
    original = ARRAYS[index]
    got = as_array(load(pickle.dumps({"a": original}, protocol=protocol))["a"], "a")
    assert got.dtype == original.dtype and got.shape == original.shape
    np.testing.assert_array_equal(got, original)


def test_a_python_2_numpy_pickle_loads():
    # What numpy under Python 2 wrote at protocol 2 (menpo's era): py2 str as SHORT_BINSTRING.
    data = (b"\x80\x02cnumpy.core.multiarray\n_reconstruct\nq\x01cnumpy\nndarray\nq\x02K\x00\x85U\x01b\x87Rq\x03"
            b"(K\x01K\x03\x85cnumpy\ndtype\nq\x04U\x02f4K\x00K\x01\x87Rq\x05"
            b"(K\x03U\x01<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89U\x0c" + struct.pack("<3f", 1, 2, 3) + b"tb.")
    np.testing.assert_array_equal(as_array(load(data), "x"), np.array([1, 2, 3], dtype=np.float32))


def test_numpy_2_module_names_load():
    data = pickle.dumps(np.arange(3, dtype=np.float32), protocol=2).replace(b"numpy.core.multiarray\n",
                                                                              b"numpy._core.multiarray\n")
    np.testing.assert_array_equal(as_array(load(data), "x"), np.arange(3, dtype=np.float32))


class Reduce:
    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


@pytest.mark.parametrize("func,args,name", [
    (os.system, ("echo pwned",), "posix.system"),
    (eval, ("1 + 1",), "(builtins|__builtin__).eval"),  # protocols < 3 write Python 2's module names
    (getattr, ("text", "upper"), "(builtins|__builtin__).getattr"),
    (__import__, ("os",), "(builtins|__builtin__).__import__"),
    (np.load, ("x.npy",), "numpy.load"),
    (io.open, ("x",), "io.open"),
])
def test_any_other_global_is_refused_by_name(func, args, name):
    for protocol in (0, 2, 4):
        with pytest.raises(RefusedGlobal, match=f"refusing to load global {name}:"):
            load(pickle.dumps(Reduce(func, *args), protocol=protocol))


@pytest.mark.parametrize("opcodes", [
    b"(ios\nsystem\nS'echo pwned'\no.",  # INST
    b"(cos\nsystem\nS'echo pwned'\no.",  # OBJ
    b"\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x0aecho pwned\x85R.",  # STACK_GLOBAL + REDUCE
    b"\x80\x04\x8c\x05numpy\x8c\x0ddtype.__new__\x93.",  # a dotted attribute of an allowed global
])
def test_every_opcode_that_imports_goes_through_the_gate(opcodes):
    with pytest.raises(RefusedGlobal, match="refusing to load global"):
        load(opcodes)


def test_extension_codes_go_through_the_gate_too():
    copyreg.add_extension("posix", "system", 0xF1)
    try:
        with pytest.raises(RefusedGlobal, match="refusing to load global posix.system"):
            load(b"\x80\x02\x82\xf1X\x0a\x00\x00\x00echo pwned\x85R.")
    finally:
        copyreg.remove_extension("posix", "system", 0xF1)


def test_persistent_ids_are_refused():
    with pytest.raises(RefusedGlobal, match="refusing to load persistent id 'x'"):
        load(b"Px\n.")


@pytest.mark.parametrize("data,what", [
    (pickle.dumps(np.array([object()], dtype=object), protocol=2), r"numpy.dtype\('O8'\)"),
    (pickle.dumps(np.zeros(2, dtype=[("a", "<f4")]), protocol=2), r"numpy.dtype\('V4'\)"),
    (b"\x80\x02c_codecs\nencode\nX\x01\x00\x00\x00xX\x04\x00\x00\x00zlib\x86R.",
     r"_codecs.encode with encoding 'zlib'"),
    (b"\x80\x02cnumpy.core.multiarray\n_reconstruct\nc__builtin__\nobject\nK\x00\x85C\x01b\x87R.",
     r"numpy _reconstruct"),
])
def test_allowed_globals_accept_only_what_numpy_pickles_need(data, what):
    with pytest.raises(RefusedGlobal, match=what):
        load(data)


def test_an_array_whose_data_does_not_fit_its_shape_is_an_error():
    data = pickle.dumps(np.arange(4, dtype=np.float32), protocol=4).replace(b"\x4b\x04\x85", b"\x4b\x05\x85")
    message = r"array of shape \(5,\) float32 needs 20 bytes, the pickle has 16"
    with pytest.raises(pickle.UnpicklingError, match=message):
        load(data)
