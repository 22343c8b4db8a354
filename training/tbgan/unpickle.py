"""Reading the official TBGAN pickles without running any of their code.

A pickle is a program: `GLOBAL`/`STACK_GLOBAL` (and `INST`, `OBJ`, `EXT*`) import a name through
`Unpickler.find_class`, and `REDUCE`/`NEWOBJ`/`BUILD` call what is on the stack. The only way a
callable reaches the stack is `find_class`, so `RestrictedUnpickler.find_class` is the gate: it
returns our own safe stand-ins for the few globals the files need (research/tbgan.md §3.3, §4.2)
and refuses everything else, naming it. Persistent ids are refused too.

DESIGN NOTES
- numpy arrays are never rebuilt by numpy's own `__setstate__` on file data: `_reconstruct` returns
  an `ArrayBuilder` whose `__setstate__` checks the state tuple (shape, a numeric dtype, the exact
  byte count) and wraps the bytes with `np.frombuffer`, which does not copy. `numpy.dtype` returns a
  `DtypeSpec` that accepts only plain numeric dtypes and byte orders. No object arrays, no structured
  dtypes. `_codecs.encode` (protocol 2's bytes) only does latin-1.
- Classes of the pickled program (`tfutil.Network`, menpo's `PointCloud`...) become `Stub`
  subclasses that keep their pickled state in `.state` and have no behaviour.
- Memory: the C unpickler reads each large bytes payload straight into one bytes object
  (`readinto`), and the array views it, so an array costs its size once; protocol 2 costs twice
  (the latin-1 str and its bytes). `ProgressReader` hashes the bytes as they pass, so the source
  file is read once.
"""
from __future__ import annotations

import hashlib
import io
import pickle
import time
from collections import OrderedDict
from typing import Callable

import numpy as np


class RefusedGlobal(pickle.UnpicklingError):
    """The pickle asked for something outside the allow-list (a global, a persistent id, a dtype)."""


class Stub:
    """Stand-in for a class of the pickled program: keeps the pickled state in `.state`, runs nothing."""

    pickled_as = "?"

    def __setstate__(self, state):
        self.state = state

    def __repr__(self):
        return f"<stub {self.pickled_as}>"


def stub_class(module: str, name: str) -> type:
    """A fresh `Stub` subclass standing in for `module.name`."""
    return type(name, (Stub,), {"pickled_as": f"{module}.{name}", "__module__": __name__})


def _refuse(what: str) -> RefusedGlobal:
    return RefusedGlobal(f"refusing to load {what}: the file is not a TBGAN checkpoint or UV dictionary, "
                         "or it tries to run code")


class _Token:
    """A placeholder for a global that is only ever an argument (`numpy.ndarray`), never called."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"


_NDARRAY = _Token("numpy.ndarray")
_NUMERIC_KINDS = "biuf"  # bool, signed and unsigned integers, floats


class DtypeSpec:
    """What `numpy.dtype(...)` + BUILD would make, limited to plain numeric dtypes."""

    def __init__(self, dtype: np.dtype):
        self.dtype = dtype

    def __setstate__(self, state):
        # numpy's dtype state: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
        if not (isinstance(state, tuple) and len(state) in (8, 9) and state[0] in (3, 4)
                and state[2] is None and state[3] is None and state[4] is None
                and state[1] in ("<", ">", "|", "=")):
            raise _refuse(f"dtype state {state!r} (only plain numeric dtypes are allowed)")
        if state[1] in "<>":
            self.dtype = self.dtype.newbyteorder(state[1])


def _dtype(obj, align=False, copy=False) -> DtypeSpec:
    if isinstance(obj, bytes):
        obj = obj.decode("latin1")
    if not isinstance(obj, str) or len(obj) > 8:
        raise _refuse(f"numpy.dtype({obj!r})")
    try:
        dt = np.dtype(obj)
    except TypeError as e:
        raise _refuse(f"numpy.dtype({obj!r})") from e
    if dt.kind not in _NUMERIC_KINDS or dt.fields is not None or dt.subdtype is not None:
        raise _refuse(f"numpy.dtype({obj!r}) (only bool, integer and float arrays are allowed)")
    return DtypeSpec(dt)


def _resolve_dtype(spec) -> np.dtype:
    if not isinstance(spec, DtypeSpec):
        raise _refuse(f"an array with dtype {spec!r}")
    return spec.dtype


def _as_buffer(raw) -> bytes | bytearray:
    if isinstance(raw, str):  # Python 2 str payloads, decoded as latin-1 by the unpickler
        return raw.encode("latin1")
    if isinstance(raw, (bytes, bytearray)):
        return raw
    raise _refuse(f"array data of type {type(raw).__name__}")


def _array(buffer, dtype: np.dtype, shape, fortran: bool) -> np.ndarray:
    if not (isinstance(shape, tuple) and all(isinstance(d, int) and d >= 0 for d in shape)):
        raise _refuse(f"an array of shape {shape!r}")
    count = int(np.prod(shape, dtype=np.int64))
    if len(buffer) != count * dtype.itemsize:
        raise pickle.UnpicklingError(f"array of shape {shape} {dtype} needs {count * dtype.itemsize} bytes, "
                                     f"the pickle has {len(buffer)}")
    flat = np.frombuffer(buffer, dtype=dtype, count=count)  # a view: no copy
    return flat.reshape(shape, order="F" if fortran else "C")


class ArrayBuilder:
    """What `numpy.core.multiarray._reconstruct` + BUILD would make; the array is in `.array`."""

    array: np.ndarray | None = None

    def __setstate__(self, state):
        # ndarray state: (version, shape, dtype, is_fortran, rawdata), or without the version (numpy < 1.0)
        if isinstance(state, tuple) and len(state) == 5 and state[0] == 1:
            state = state[1:]
        if not (isinstance(state, tuple) and len(state) == 4):
            raise _refuse("an array state that is not (shape, dtype, is_fortran, data)")
        shape, spec, fortran, raw = state
        self.array = _array(_as_buffer(raw), _resolve_dtype(spec), shape, bool(fortran))


def _reconstruct(subtype, shape, dtype) -> ArrayBuilder:
    # numpy always pickles `_reconstruct(ndarray, (0,), b'b')` and puts the real contents in the state.
    if subtype is not _NDARRAY or shape != (0,) or dtype not in (b"b", "b"):
        raise _refuse(f"numpy _reconstruct{(subtype, shape, dtype)!r}")
    return ArrayBuilder()


def _frombuffer(buffer, dtype, shape, order) -> np.ndarray:  # protocol 5 arrays
    return _array(_as_buffer(buffer), _resolve_dtype(dtype), shape, order == "F")


def _scalar(dtype, data=None):  # numpy scalars, e.g. an np.int64 in a kwargs dict
    dt = _resolve_dtype(dtype)
    return _array(_as_buffer(data), dt, (), False)[()]


def _latin1_encode(obj, encoding="utf-8", errors="strict") -> bytes:
    # Protocol 2 writes bytes as _codecs.encode(<str of latin-1 chars>, 'latin1').
    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1") or errors != "strict":
        raise _refuse(f"_codecs.encode with encoding {encoding!r}")
    return obj.encode("latin1")


def _reconstructor(cls, base, state):  # protocol 0/1 objects: copyreg._reconstructor(cls, object, None)
    if not (isinstance(cls, type) and issubclass(cls, Stub)) or base is not object or state is not None:
        raise _refuse(f"copyreg._reconstructor{(cls, base, state)!r}")
    return object.__new__(cls)


# Globals every numpy pickle needs, under numpy 1 (`numpy.core`) and numpy 2 (`numpy._core`) names.
NUMPY_GLOBALS: dict[tuple[str, str], object] = {("numpy", "ndarray"): _NDARRAY, ("numpy", "dtype"): _dtype}
for _core in ("numpy.core", "numpy._core"):
    NUMPY_GLOBALS[(f"{_core}.multiarray", "_reconstruct")] = _reconstruct
    NUMPY_GLOBALS[(f"{_core}.multiarray", "scalar")] = _scalar
    NUMPY_GLOBALS[(f"{_core}.numeric", "_frombuffer")] = _frombuffer
BASE_GLOBALS: dict[tuple[str, str], object] = {
    **NUMPY_GLOBALS,
    ("_codecs", "encode"): _latin1_encode,
    ("codecs", "encode"): _latin1_encode,
    ("copyreg", "_reconstructor"): _reconstructor,
    ("copy_reg", "_reconstructor"): _reconstructor,
    ("builtins", "object"): object,
    ("__builtin__", "object"): object,
    ("collections", "OrderedDict"): OrderedDict,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the globals in `allowed` and refuses everything else."""

    def __init__(self, file, allowed: dict[tuple[str, str], object]):
        # latin1: Python 2 pickles (menpo's era) carry array bytes as py2 str (numpy's documented advice)
        super().__init__(file, encoding="latin1")
        self._allowed = allowed

    def find_class(self, module, name):
        try:
            return self._allowed[(module, name)]
        except (KeyError, TypeError):
            raise _refuse(f"global {module}.{name}") from None

    def persistent_load(self, pid):
        raise _refuse(f"persistent id {pid!r}")


def as_array(obj, what: str) -> np.ndarray:
    """The array an unpickled value stands for (`ArrayBuilder` or array); `what` names it in errors."""
    if isinstance(obj, ArrayBuilder) and obj.array is not None:
        return obj.array
    if isinstance(obj, np.ndarray):
        return obj
    raise TypeError(f"{what}: expected a numpy array, found {type(obj).__name__}")


class ProgressReader:
    """A binary file as the unpickler reads it: hashes and counts every byte and reports progress.

    Only `read`, `readinto` and `readline` (no `peek`), so everything hashed is what was consumed;
    `finish()` reads the rest, so the hash is always that of the whole file.
    """

    def __init__(self, raw: io.BufferedReader, total_bytes: int, label: str,
                 report: Callable[[str], None] | None = None, step_fraction: float = 0.05):
        self._raw = raw
        self._hash = hashlib.sha256()
        self.total_bytes = total_bytes
        self.consumed = 0
        self._label = label
        self._report = report
        self._step = max(1, int(total_bytes * step_fraction))
        self._next_report = self._step
        self._start = time.monotonic()

    def _advance(self, data) -> None:
        self._hash.update(data)
        self.consumed += len(data)
        if self._report is not None and self.consumed >= self._next_report:
            self._next_report = (self.consumed // self._step + 1) * self._step
            mb = 1024 * 1024
            self._report(f"reading {self._label}: {self.consumed / mb:,.0f} / {self.total_bytes / mb:,.0f} MiB "
                         f"({100 * self.consumed / self.total_bytes:.0f}%, {time.monotonic() - self._start:.0f} s)")

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self._advance(data)
        return data

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        self._advance(memoryview(buffer)[:n])
        return n

    def readline(self) -> bytes:
        data = self._raw.readline()
        self._advance(data)
        return data

    def finish(self) -> tuple[str, int]:
        """Reads what the unpickler left; returns the file's sha256 and how many bytes were left."""
        before = self.consumed
        while chunk := self._raw.read(1 << 20):
            self._advance(chunk)
        return self._hash.hexdigest(), self.consumed - before
