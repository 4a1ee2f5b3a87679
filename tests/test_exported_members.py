"""Public API: ``__all__`` lists exactly the public names, and every listed name exists."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import edgewise


def _public_names(module: ModuleType) -> set[str]:
    """Names a user sees in ``module``: no underscores, no submodules, no __future__ flags."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }


def test_top_level_all_matches_public_names() -> None:
    listed = set(edgewise.__all__)
    assert len(listed) == len(edgewise.__all__), "duplicates in edgewise.__all__"
    assert listed - {"__version__"} == _public_names(edgewise)
    assert "__version__" in listed


@pytest.mark.parametrize("name", edgewise.__all__)
def test_every_listed_name_exists(name: str) -> None:
    assert getattr(edgewise, name) is not None


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from edgewise import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == set(edgewise.__all__)


def test_version_is_the_package_version() -> None:
    from importlib.metadata import version

    assert edgewise.__version__ == version("edgewise")


def test_top_level_names_are_the_real_objects() -> None:
    from edgewise import domain, errors, readers, roles

    assert edgewise.Session is domain.Session
    assert edgewise.InputError is errors.InputError
    assert edgewise.read_sessions is readers.read_sessions
    assert edgewise.RoleOptions is roles.RoleOptions


def _modules() -> list[str]:
    names = [edgewise.__name__]
    for info in pkgutil.walk_packages(edgewise.__path__, prefix="edgewise."):
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("module_name", _modules())
def test_every_module_all_names_exist(module_name: str) -> None:
    module = importlib.import_module(module_name)
    listed = getattr(module, "__all__", None)
    if listed is None:
        return
    assert len(set(listed)) == len(listed), f"duplicates in {module_name}.__all__"
    missing = [name for name in listed if not hasattr(module, name)]
    assert missing == [], f"{module_name}.__all__ names missing objects: {missing}"
