"""Persistence of a :class:`index.bm25.scorers.FastBM25`: plain ``.npy`` arrays + JSON, never pickle.

A saved index is a directory of ``<array>.npy`` files (see ``_ARRAYS``), ``vocab.json`` (the
terms, in term-id order) and ``bm25.json`` (format, version, parameters, counts, and the
dtype and shape of every array). ``FastBM25.save`` / ``FastBM25.load`` call:

* :func:`save_postings` - write the files, bm25.json last;
* :func:`read_postings` - read and check everything short of the postings' contents;
* :func:`validate_postings` - check every posting (numba kernel or numpy) and compute its
  weight and the per-term largest weight the query needs.

Anything wrong with a directory is an :class:`IndexFormatError`.
"""
from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from index.bm25.formula import check_params, idf_array
from index.bm25.kernels import nb_validate
from index.bm25.numpy_ops import np_validate

FORMAT_NAME = "nanking-bm25-csc"
FORMAT_VERSION = 2   # 2: weights computed at load, not stored
META_FILE = "bm25.json"
VOCAB_FILE = "vocab.json"

# The float32 weights are not among them: loading computes them while it checks the postings
# (no slower than comparing stored ones, and a quarter less to write, hash and read).
_ARRAYS = ("term_offsets", "doc_ids", "tf", "doc_len", "idf")
_TF_DTYPES = ("|u1", "<u2", "<u4")


class IndexFormatError(ValueError):
    """A saved BM25 index directory is missing, truncated, foreign or corrupt."""


def save_postings(directory: Path | str, arrays: dict[str, np.ndarray], vocab: Sequence[str], *,
               k1: float, b: float, n_docs: int, n_terms: int, n_postings: int,
               total_tokens: int) -> None:
    """Write the index as .npy arrays + vocab.json + bm25.json (no pickle).

    Files are replaced one by one through a temporary name (an index mmap'd from the
    same directory keeps its old files); bm25.json is removed first and written last,
    so an interrupted save leaves a directory that ``load`` rejects.
    """
    for t in vocab:
        if not isinstance(t, str):
            raise TypeError(f"only str tokens can be saved, found {type(t).__name__}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    meta_path = directory / META_FILE
    meta_path.unlink(missing_ok=True)
    specs = {}
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        _atomic_write(directory / f"{name}.npy", lambda f, a=arr: np.save(f, a, allow_pickle=False))
        specs[name] = {"file": f"{name}.npy", "dtype": arr.dtype.str, "shape": list(arr.shape)}
    vocab_bytes = json.dumps(list(vocab), ensure_ascii=False).encode("utf-8")
    _atomic_write(directory / VOCAB_FILE, lambda f: f.write(vocab_bytes))
    meta = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "k1": k1,
        "b": b,
        "idf": "lucene",
        "n_docs": n_docs,
        "n_terms": n_terms,
        "n_postings": n_postings,
        "total_tokens": total_tokens,
        "vocab": {"file": VOCAB_FILE, "count": n_terms},
        "arrays": specs,
    }
    meta_bytes = (json.dumps(meta, indent=2) + "\n").encode("utf-8")
    _atomic_write(meta_path, lambda f: f.write(meta_bytes))


class SavedPostings(NamedTuple):
    """What :func:`read_postings` found: checked parameters, vocabulary and arrays."""

    k1: float
    b: float
    total_tokens: int
    vocab: list[str]
    term_ids: dict[str, int]
    arrays: dict[str, np.ndarray]


def read_postings(directory: Path, mmap: bool, blobs: Mapping[str, bytes] | None = None) -> SavedPostings:
    """Read a saved index and check its metadata, array files, vocabulary, offsets,
    document lengths and idf; ``IndexFormatError`` on the first problem. With ``mmap`` the
    arrays are read-only memory maps (plain ndarray views) rather than copies. With ``blobs``
    (file name -> the file's bytes, already read and verified by the caller) nothing is read
    from disk: the arrays are read-only views of those bytes. The postings' contents are left
    to :func:`validate_postings`."""
    if blobs is None and not directory.is_dir():
        raise IndexFormatError(f"{directory}: not a directory")
    meta, counts, k1, b = _read_meta(directory, blobs)
    arrays = _read_arrays(directory, meta.get("arrays"), counts, mmap, blobs)
    vocab, ids = _read_vocab(directory, counts["n_terms"], blobs)
    _check_offsets(directory, arrays, counts)
    return SavedPostings(k1, b, counts["total_tokens"], vocab, ids, arrays)


def _read_meta(directory: Path, blobs: Mapping[str, bytes] | None) -> tuple[dict, dict[str, int], float, float]:
    """bm25.json: (the whole of it, its counts, k1, b), each checked."""
    where = directory / META_FILE
    meta = _read_json(where, blobs)
    if not isinstance(meta, dict):
        raise IndexFormatError(f"{where}: not a JSON object")
    if meta.get("format") != FORMAT_NAME:
        raise IndexFormatError(f"{where}: format is {meta.get('format')!r}, expected {FORMAT_NAME!r}")
    if meta.get("version") != FORMAT_VERSION:
        raise IndexFormatError(f"{where}: unsupported version "
                               f"{meta.get('version')!r} (this code reads {FORMAT_VERSION})")
    if meta.get("idf") != "lucene":
        raise IndexFormatError(f"{where}: idf must be 'lucene'")
    counts = {}
    for key in ("n_docs", "n_terms", "n_postings", "total_tokens"):
        v = meta.get(key)
        if type(v) is not int or v < 0:
            raise IndexFormatError(f"{where}: {key} must be an integer >= 0")
        counts[key] = v
    try:
        k1, b = check_params(meta.get("k1"), meta.get("b"))
    except (TypeError, ValueError) as exc:
        raise IndexFormatError(f"{where}: {exc}") from None
    return meta, counts, k1, b


def _read_arrays(directory: Path, specs, counts: dict[str, int], mmap: bool,
                 blobs: Mapping[str, bytes] | None) -> dict[str, np.ndarray]:
    """Every array bm25.json describes, of the dtype and shape its counts imply."""
    n_docs, n_terms, n_post = counts["n_docs"], counts["n_terms"], counts["n_postings"]
    expect = {
        "term_offsets": (("<i8",), (n_terms + 1,)),
        "doc_ids": (("<i4",), (n_post,)),
        "tf": (_TF_DTYPES, (n_post,)),
        "doc_len": (("<i4",), (n_docs,)),
        "idf": (("<f8",), (n_terms,)),
    }
    if not isinstance(specs, dict) or set(specs) != set(_ARRAYS):
        raise IndexFormatError(f"{directory / META_FILE}: 'arrays' must describe exactly "
                               f"{', '.join(_ARRAYS)}")
    arrays = {}
    for name in _ARRAYS:
        spec = specs[name]
        dtypes, shape = expect[name]
        if (not isinstance(spec, dict) or spec.get("file") != f"{name}.npy"
                or spec.get("dtype") not in dtypes or spec.get("shape") != list(shape)):
            raise IndexFormatError(
                f"{directory / META_FILE}: array {name}: expected file {name}.npy, dtype in "
                f"{dtypes}, shape {list(shape)} for the stated counts; got {spec!r}")
        arrays[name] = _read_array(directory / f"{name}.npy", spec["dtype"], shape, mmap, blobs)
    return arrays


def _read_array(path: Path, dtype: str, shape: tuple[int, ...], mmap: bool,
                blobs: Mapping[str, bytes] | None) -> np.ndarray:
    arr = _load_array(path, mmap, blobs)
    if arr.dtype.str != dtype or arr.shape != shape:
        raise IndexFormatError(f"{path}: holds {arr.dtype.str} {list(arr.shape)}, "
                               f"bm25.json says {dtype} {list(shape)}")
    if not arr.flags.c_contiguous:
        raise IndexFormatError(f"{path}: not C-contiguous")
    if isinstance(arr, np.memmap):
        arr = arr.view(np.ndarray)  # plain read-only ndarray over the map
    return arr


def _read_vocab(directory: Path, n_terms: int, blobs: Mapping[str, bytes] | None) -> tuple[list[str], dict[str, int]]:
    vocab = _read_json(directory / VOCAB_FILE, blobs)
    if (not isinstance(vocab, list) or len(vocab) != n_terms
            or not all(isinstance(t, str) for t in vocab)):
        raise IndexFormatError(f"{directory / VOCAB_FILE}: must be a JSON list of "
                               f"{n_terms} strings")
    ids = {t: i for i, t in enumerate(vocab)}
    if len(ids) != n_terms:
        raise IndexFormatError(f"{directory / VOCAB_FILE}: duplicate terms")
    return vocab, ids


def _check_offsets(directory: Path, arrays: dict[str, np.ndarray], counts: dict[str, int]) -> None:
    """Term offsets, document lengths and idf agree with each other and the counts."""
    n_docs, n_post = counts["n_docs"], counts["n_postings"]
    off, dl = arrays["term_offsets"], arrays["doc_len"]
    if off[0] != 0 or off[-1] != n_post or np.any(off[1:] < off[:-1]):
        raise IndexFormatError(f"{directory}: term_offsets must start at 0, never decrease "
                               f"and end at n_postings ({n_post})")
    if n_docs and (int(dl.min()) < 0 or int(dl.sum(dtype=np.int64)) != counts["total_tokens"]):
        raise IndexFormatError(f"{directory}: doc_len must be >= 0 and sum to total_tokens")
    if n_docs == 0 and (n_post or counts["total_tokens"]):
        raise IndexFormatError(f"{directory}: postings without documents")
    df = np.diff(off)
    if np.any(df > n_docs):
        raise IndexFormatError(f"{directory}: a term has more postings than documents")
    if not np.array_equal(arrays["idf"], idf_array(n_docs, df)):
        raise IndexFormatError(f"{directory}: idf.npy does not match the postings")


def validate_postings(directory: Path, backend: str, found: SavedPostings) -> tuple[np.ndarray, np.ndarray]:
    """Check every posting of ``found`` (doc ids in range and strictly ascending per term,
    1 <= tf <= doc length) with the ``backend`` ("numba" or "numpy") and compute the weights:
    (float32 weight per posting, largest weight per term), else ``IndexFormatError``."""
    a = found.arrays
    off, dl = a["term_offsets"], a["doc_len"]
    n_docs = int(dl.shape[0])
    total = found.total_tokens
    avgdl = total / n_docs if n_docs else 0.0
    k1, b = found.k1, found.b
    if backend == "numba":
        w = np.empty(a["doc_ids"].shape[0], np.float32)
        maxw = np.empty(off.shape[0] - 1, np.float32)
        code, at = nb_validate(off, a["doc_ids"], a["tf"], dl, a["idf"], k1, b, avgdl, w, maxw)
    else:
        code, w, maxw = np_validate(off, a["doc_ids"], a["tf"], dl, a["idf"], k1, b, avgdl)
        at = -1
    if code:
        what = {1: "a doc id out of range", 2: "doc ids not strictly ascending in a term",
                3: "a term frequency < 1 or > its document's length"}[code]
        raise IndexFormatError(f"{directory}: postings hold {what}"
                               + (f" (posting {at})" if at >= 0 else ""))
    return w, maxw


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _load_array(path: Path, mmap: bool, blobs: Mapping[str, bytes] | None) -> np.ndarray:
    if blobs is not None:
        if path.name not in blobs:
            raise IndexFormatError(f"{path}: missing")
        return array_from_bytes(blobs[path.name], path)
    if not path.is_file():
        raise IndexFormatError(f"{path}: missing")
    try:
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except Exception as exc:  # truncated, not .npy, object arrays...
        raise IndexFormatError(f"{path}: unreadable ({exc})") from None


def array_from_bytes(data: bytes, label: Path | str) -> np.ndarray:
    """The array of a whole ``.npy`` file held in ``data``, as a read-only view of those bytes
    (no copy); ``IndexFormatError`` unless it is a plain (no objects), C-ordered array whose
    data fills the rest of the file exactly."""
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"unsupported .npy version {version}")
    except Exception as exc:  # not .npy, truncated header...
        raise IndexFormatError(f"{label}: unreadable ({exc})") from None
    if fortran or dtype.hasobject:
        raise IndexFormatError(f"{label}: not a plain C-ordered array")
    count = int(np.prod(shape, dtype=np.int64))
    if len(data) - f.tell() != count * dtype.itemsize:
        raise IndexFormatError(f"{label}: {len(data) - f.tell()} data bytes for {count} items of {dtype.str}")
    return np.frombuffer(data, dtype, count, f.tell()).reshape(shape)


def _read_json(path: Path, blobs: Mapping[str, bytes] | None = None):
    if blobs is not None:
        if path.name not in blobs:
            raise IndexFormatError(f"{path}: missing")
        try:
            return json.loads(blobs[path.name].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise IndexFormatError(f"{path}: unreadable ({exc})") from None
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise IndexFormatError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise IndexFormatError(f"{path}: unreadable ({exc})") from None
