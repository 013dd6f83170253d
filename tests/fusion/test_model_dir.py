"""``check_safetensors_file``: safetensors files pass whatever their header length, pickles
and corrupt files are refused with a ``ModelError``."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from kgfuse.errors import ModelError
from kgfuse.fusion.model_dir import check_safetensors_file


def safetensors_with_header_low_byte(path: Path, low_byte: int) -> Path:
    """A real safetensors file whose 8-byte header length starts with ``low_byte``."""
    for name_length in range(1, 600):
        save_file({"w" * name_length: torch.zeros(2)}, str(path))
        if path.read_bytes()[0] == low_byte:
            return path
    raise AssertionError("no tensor name gives that header length")


def test_a_header_length_starting_with_the_pickle_byte_is_still_safetensors(
    tmp_path: Path,
) -> None:
    path = safetensors_with_header_low_byte(tmp_path / "model.safetensors", 0x80)
    check_safetensors_file(path)  # 0x80 is also pickle's first byte: must not be refused


def test_pickles_truncated_and_corrupt_files_are_refused(tmp_path: Path) -> None:
    pickled = tmp_path / "pickled.safetensors"
    pickled.write_bytes(pickle.dumps({"w": [1, 2]}, protocol=2))
    with pytest.raises(ModelError, match="pickle"):
        check_safetensors_file(pickled)
    archive = tmp_path / "archive.safetensors"
    torch.save({"w": torch.zeros(2)}, archive)
    with pytest.raises(ModelError, match="pickle"):
        check_safetensors_file(archive)
    short = tmp_path / "short.safetensors"
    short.write_bytes(b"{}")
    with pytest.raises(ModelError, match="truncated"):
        check_safetensors_file(short)
    good = safetensors_with_header_low_byte(tmp_path / "good.safetensors", 0x48)
    cut = tmp_path / "cut.safetensors"
    cut.write_bytes(good.read_bytes()[:20])
    with pytest.raises(ModelError, match="corrupt"):
        check_safetensors_file(cut)
    with pytest.raises(ModelError, match="missing"):
        check_safetensors_file(tmp_path / "absent.safetensors")
