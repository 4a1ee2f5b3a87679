"""A small Ray for the batch tests (2 CPUs, no dashboard), and a corpus to run on it."""

from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edgewise.coding.coder import Coder

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """A local Ray that this test process started and is connected to; its address.

    In-process runs of ``--ray`` use this connection; subprocesses pass the address to
    ``--ray-address``. Shut down (its processes ended, its folder removed) at the end.
    """
    ray = pytest.importorskip("ray")
    # Ray's socket paths live under its folder and must stay short (a Unix limit)
    temp = tempfile.mkdtemp(prefix="ew-ray-", dir="/tmp")
    saved = os.environ.get("RAY_USAGE_STATS_ENABLED")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        ray.init(
            address="local",
            num_cpus=2,
            include_dashboard=False,
            _temp_dir=temp,
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
        if saved is None:
            os.environ.pop("RAY_USAGE_STATS_ENABLED", None)
        else:
            os.environ["RAY_USAGE_STATS_ENABLED"] = saved


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The bundled examples that analyse as they are (10 sessions), then 60 generated
    sessions of 24 turns: 9 batches of work, enough for a run to be stopped midway."""
    examples = sorted(EXAMPLES.glob("session-*")) + [EXAMPLES / "sessions-multi.csv"]
    return examples + write_sessions(tmp_path_factory.mktemp("corpus"), 60, 24)


def write_sessions(folder: Path, count: int, turns: int) -> list[Path]:
    """``count`` fictional sessions of ``turns`` labelled turns each, built from the
    example CSV's turns, so that no two are alike."""
    with (EXAMPLES / "sessions-multi.csv").open(newline="", encoding="utf-8") as handle:
        rows = [(r["role"], r["text"]) for r in csv.DictReader(handle)]
    therapist = [text for role, text in rows if role == "therapist"]
    client = [text for role, text in rows if role == "client"]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(count):
        lines = []
        for t in range(turns // 2):
            lines.append(f"Therapist: {therapist[(k * 3 + t) % len(therapist)]}")
            lines.append(f"Client: {client[(k * 5 + t * 2) % len(client)]}")
        path = folder / f"generated-{k:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def local_out(
    corpus_files: list[Path], coder: Coder, tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    """What ``edgewise analyze CORPUS --out FILE`` writes without Ray."""
    from edgewise.cli.main import app

    out = tmp_path_factory.mktemp("local") / "local.jsonl"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("edgewise.pipeline.Coder", lambda: coder)
        done = CliRunner().invoke(app, ["analyze", *map(str, corpus_files), "--out", str(out)])
    assert done.exit_code == 0, done.stderr
    return out.read_bytes()
