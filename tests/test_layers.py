"""The package's layers: data flows one way, and no module grows past MAX_LINES.

Every module under ``src/edgewise`` is parsed with :mod:`ast` and each import it makes
(at the top, inside a function, or under ``TYPE_CHECKING``) is checked against the layer
of the package it names. A module may import its own layer and the layers below it,
never one above; the two interfaces (``cli`` and ``web``) never import each other; and
nothing but ``training`` imports ``training``. The interfaces reach health records (and
the audit log) only through ``edgewise.services``, which audits every read and write.
docs/architecture.md explains the order.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "edgewise"

#: Layer of each top-level part of the package (a subpackage or a module), lowest first.
LAYERS: dict[str, int] = {
    # 0: plain data and helpers everything may use
    "errors": 0,
    "error_codes": 0,
    "domain": 0,
    "fileio": 0,
    "steps": 0,
    # 1: transcript files -> sessions (with each speaker's role)
    "readers": 1,
    # 2: sessions -> coded utterances; sessions -> de-identified sessions
    "coding": 2,
    "deid": 2,
    # 3: coded sessions -> session analysis
    "analysis": 3,
    # 4: what is made of analyses and answers: reports, measures, the pipeline
    "report": 4,
    "measures": 4,
    "journal": 4,
    "goals": 4,
    "pipeline": 4,
    # 5: storage, the Python API and batch runs over the layers below
    "store": 5,
    "api": 5,
    "batch": 5,
    "": 5,  # the package itself (``edgewise/__init__.py``): the public names
    # 6: the use cases the interfaces share
    "services": 6,
    # 7: the interfaces
    "cli": 7,
    "web": 7,
    # model fitting: may use everything below the interfaces; nothing imports it
    "training": 7,
}
#: Parts of one layer that must not import each other.
SIBLINGS = frozenset({"cli", "web"})
#: Imported by nothing outside itself.
UNIMPORTED = "training"
MAX_LINES = 500
#: Interfaces, which reach health records through the services only.
INTERFACES = ("cli", "web")
#: Store methods that read or write health records or the audit log.
HEALTH_RECORDS = re.compile(
    r"audit|client|session|caseload|measure|response|definition|alert|risk|share|archive|upload"
)


@dataclass(frozen=True)
class Import:
    """One ``edgewise`` import: the importing file, its line and the module named."""

    path: Path
    line: int
    target: str


def module_name(path: Path) -> str:
    """``edgewise.web.app`` for ``src/edgewise/web/app.py`` (a package is its folder)."""
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def part(module: str) -> str:
    """The top-level part of ``edgewise.x.y`` (``x``), or ``""`` for ``edgewise`` itself."""
    names = module.split(".")
    return names[1] if len(names) > 1 else ""


def imports(path: Path) -> Iterator[Import]:
    """Every import of an ``edgewise`` module in ``path``, wherever it sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                targets = [".".join([*base, *([node.module] if node.module else [])])]
            else:
                targets = [node.module or ""]
            if node.module is None or targets[0] == "edgewise":
                # ``from edgewise import web`` names the subpackages themselves
                targets = [f"{targets[0]}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "edgewise" or target.startswith("edgewise."):
                yield Import(path, node.lineno, target)


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def violation(found: Import) -> str | None:
    """Why the import breaks the layering, or None when it keeps it."""
    source, target = part(module_name(found.path)), part(found.target)
    if target not in LAYERS:
        if target in {p.stem for p in SRC.iterdir()}:
            return f"edgewise.{target} has no layer in tests/test_layers.py"
        return None  # a name from the package itself (``from edgewise import __version__``)
    if source == target:
        return None
    if target == UNIMPORTED:
        return f"nothing may import edgewise.{UNIMPORTED}"
    if source in SIBLINGS and target in SIBLINGS:
        return f"edgewise.{source} and edgewise.{target} must not import each other"
    if LAYERS[target] > LAYERS[source]:
        return (
            f"edgewise.{source} (layer {LAYERS[source]}) imports a higher layer: "
            f"edgewise.{target} (layer {LAYERS[target]})"
        )
    return None


def test_every_part_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in SRC.iterdir()}
    parts = {p for p in parts if not p.startswith(("_", ".")) and p != "py"}
    code = {p for p in parts if (SRC / p).is_dir() or (SRC / f"{p}.py").is_file()}
    assert code <= set(LAYERS), f"give these a layer: {sorted(code - set(LAYERS))}"


def test_no_import_reaches_up_or_across() -> None:
    found = [
        f"{i.path.relative_to(SRC.parent)}:{i.line}: {why}"
        for path in modules()
        for i in imports(path)
        if (why := violation(i)) is not None
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "code", "wrong"),
    [
        ("readers/x.py", "from edgewise.coding.coder import Coder", True),
        ("readers/x.py", "import edgewise.store", True),
        ("cli/x.py", "def f():\n    from edgewise.web.app import create_app", True),
        ("web/x.py", "from edgewise.cli import main", True),
        ("web/x.py", "from edgewise import cli", True),
        ("store/x.py", "from ..services import accounts", True),
        ("services/x.py", "from edgewise.training import coder_v1", True),
        ("services/x.py", "if TYPE_CHECKING:\n    from edgewise.web.deps import Ctx", True),
        ("services/x.py", "from edgewise.store import Store", False),
        ("web/x.py", "from edgewise.services.accounts import sign_in", False),
        ("training/x.py", "from edgewise.training.data import load", False),
        ("cli/x.py", "from edgewise import __version__", False),
        ("readers/x.py", "from . import base", False),
    ],
)
def test_the_check_tells_a_wrong_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, code: str, wrong: bool
) -> None:
    """The rules themselves, on made-up modules (so the test above can fail)."""
    root = tmp_path / "edgewise"
    path = root / source
    path.parent.mkdir(parents=True)
    path.write_text(code + "\n", encoding="utf-8")
    for name in ("cli", "web", "readers", "store", "services", "training", "coding"):
        (root / name).mkdir(exist_ok=True)
    monkeypatch.setitem(globals(), "SRC", root)  # the functions above read the module's SRC
    [found] = list(imports(path))
    assert (violation(found) is not None) is wrong


def store_calls(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, method)`` of each call of a health-record method on something named
    ``store`` (``store.list_sessions(...)``, ``ctx.store.audit(...)``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if name == "store" and HEALTH_RECORDS.search(node.func.attr):
            yield node.lineno, node.func.attr


def test_interfaces_reach_health_records_only_through_the_services() -> None:
    found = [
        f"{path.relative_to(SRC.parent)}:{line}: store.{method}(...) (call a service)"
        for interface in INTERFACES
        for path in sorted((SRC / interface).rglob("*.py"))
        for line, method in store_calls(path)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("code", "wrong"),
    [
        ("ctx.store.audit(1, 'view', 'client', 2)", True),
        ("store.list_sessions(1, 2)", True),
        ("self.store.resolve_alert(1, 2)", True),
        ("store.close()", False),
        ("store.get_user_by_name('ann')", False),
        ("clients.view_client(ctx.store, actor, 2)", False),
    ],
)
def test_the_store_check_tells_a_direct_call(tmp_path: Path, code: str, wrong: bool) -> None:
    path = tmp_path / "route.py"
    path.write_text(code + "\n", encoding="utf-8")
    assert bool(list(store_calls(path))) is wrong


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(SRC.parent)): n
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"
