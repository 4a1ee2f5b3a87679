"""Public API: ``__all__`` lists exactly the public names, every listed name exists, and
``import edgewise`` loads none of the heavy libraries until a name needs them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from types import ModuleType

import pytest

import edgewise


def _public_names(module: ModuleType) -> set[str]:
    """Names a user sees in ``module`` (``dir``, which lists the lazily imported ones too):
    no underscores, no submodules, no __future__ flags."""
    return {
        name
        for name in dir(module)
        if not name.startswith("_")
        and not inspect.ismodule(getattr(module, name))
        and name != "annotations"
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
    from edgewise import api, domain, errors, readers, store
    from edgewise.analysis import results
    from edgewise.readers import roles

    assert edgewise.Session is domain.Session
    assert edgewise.InputError is errors.InputError
    assert edgewise.read_sessions is readers.read_sessions
    assert edgewise.RoleOptions is roles.RoleOptions
    assert edgewise.read is api.read
    assert edgewise.code is api.code
    assert edgewise.analyze is api.analyze
    assert edgewise.open_store is store.open_store
    assert edgewise.SessionAnalysis is results.SessionAnalysis


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'reed'"):
        _ = edgewise.reed  # type: ignore[attr-defined]
    assert not hasattr(edgewise, "reed")


def _loaded_after(code: str) -> list[str]:
    """Which heavy libraries a fresh interpreter holds after running ``code``."""
    heavy = ("onnxruntime", "numpy", "sqlalchemy", "pydantic", "tokenizers")
    script = f"{code}\nimport sys\nprint(' '.join(m for m in {heavy!r} if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return run.stdout.split()


def test_import_edgewise_loads_no_heavy_library() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import edgewise, sys; print('onnxruntime' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "False"
    assert _loaded_after("import edgewise") == []


def test_names_load_what_they_need_on_first_use() -> None:
    # the check above could pass by loading nothing at all: these show it would notice
    assert _loaded_after("import edgewise\nedgewise.Session") == ["pydantic"]
    assert "sqlalchemy" in _loaded_after("import edgewise\nedgewise.open_store")
    # a function stays light until called
    assert _loaded_after("import edgewise\nedgewise.analyze") == []


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
