"""Locate the installed packages that carry the backbone model files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from model.errors import ModelFileError


def package_dir(module: str, install_hint: str, what: str) -> Path:
    """Folder of an installed package, or ModelFileError saying how to install it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(f"The {what} package '{module}' is not installed; {install_hint}")
    return Path(next(iter(spec.submodule_search_locations)))
