"""``edgewise analyze --ray``: the local path's lines, order, errors and resume, on Ray.

In-process runs use the Ray this test process started (``ray_address``); the runs that
must be their own process (a kill -9, a bad address, a Ray started for the run) are
subprocesses. Ray here has 2 CPUs, like the machines the suite runs on.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from edgewise.readers import ReadOptions
from edgewise.readers.roles import RoleOptions

pytest.importorskip("ray")

Invoke = Callable[..., Result]
EDGEWISE = Path(sys.executable).with_name("edgewise")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SECRET = "Heron-sentinel-4417"


def run(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EDGEWISE), *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def test_same_lines_in_the_same_order_as_the_local_path(
    invoke: Invoke, ray_address: str, corpus_files: list[Path], local_out: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "ray.jsonl"
    done = invoke("analyze", *corpus_files, "--ray", "--out", out)
    assert done.exit_code == 0, done.stderr
    assert out.read_bytes() == local_out
    assert len(local_out.splitlines()) == 70
    assert not out.with_name("ray.jsonl.partial").exists()
    printed = invoke("analyze", *corpus_files[:3], "--ray-address", ray_address, "--json")
    assert printed.exit_code == 0, printed.stderr
    assert printed.stdout.encode() == b"".join(local_out.splitlines(keepends=True)[:3])


def test_a_rerun_analyses_only_what_is_missing(
    invoke: Invoke,
    ray_address: str,
    corpus_files: list[Path],
    local_out: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An interrupted run's lines (and a torn last one) stay; the rest follow, in order."""
    from edgewise.batch import ray_engine

    lines = local_out.splitlines(keepends=True)
    out = tmp_path / "ray.jsonl"
    out.with_name("ray.jsonl.partial").write_bytes(b"".join(lines[:40]) + lines[40][:25])
    todo: list[int] = []
    analyse = ray_engine.RayEngine.analyse

    def counted(
        self: ray_engine.RayEngine, corpus: ray_engine.Corpus
    ) -> Iterator[ray_engine.AnalysisLine]:
        todo.append(corpus.dataset.count())
        yield from analyse(self, corpus)

    monkeypatch.setattr(ray_engine.RayEngine, "analyse", counted)
    done = invoke("analyze", *corpus_files, "--ray", "--out", out)
    assert done.exit_code == 0, done.stderr
    assert out.read_bytes() == local_out
    assert todo == [30]


@pytest.mark.slow
def test_killed_with_sigkill_then_rerun_gives_the_same_file(
    invoke: Invoke, ray_address: str, corpus_files: list[Path], local_out: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "ray.jsonl"
    partial = out.with_name("ray.jsonl.partial")
    args = [str(EDGEWISE), "analyze", *map(str, corpus_files), "--ray-address", ray_address]
    driver = subprocess.Popen([*args, "--out", str(out)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not (partial.exists() and b"\n" in partial.read_bytes()):
            assert driver.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no line written in time"
            time.sleep(0.05)
        os.kill(driver.pid, signal.SIGKILL)
    finally:
        driver.kill()
        driver.wait()
    assert not out.exists()
    written = partial.read_bytes()
    whole = written[: written.rfind(b"\n") + 1]
    # the kill races the workers: it may land after the last line, before the rename
    assert 0 < len(whole.splitlines()) <= 70
    assert local_out.startswith(whole)
    done = invoke("analyze", *corpus_files, "--ray", "--out", out)
    assert done.exit_code == 0, done.stderr
    assert out.read_bytes() == local_out


def test_bad_input_gives_the_local_paths_error(
    invoke: Invoke, ray_address: str, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text(f"{SECRET} has no speakers\n", encoding="utf-8")
    zoom = EXAMPLES / "session-zoom.vtt"
    for args in ([zoom, bad, EXAMPLES / "README.md"], [zoom, zoom]):
        local = invoke("analyze", *args, "--json")
        on_ray = invoke("analyze", *args, "--json", "--ray")
        assert local.exit_code == on_ray.exit_code == 2
        assert on_ray.stderr == local.stderr and on_ray.stdout == ""
        assert SECRET not in on_ray.stderr and "Traceback" not in on_ray.stderr


def test_more_workers_than_the_cluster_has(invoke: Invoke, ray_address: str) -> None:
    done = invoke("analyze", EXAMPLES / "session-zoom.vtt", "--ray", "--ray-workers", "3")
    assert done.exit_code == 2
    assert "E130" in done.stderr and "--ray-workers 2 or fewer" in done.stderr


def test_the_read_lists_every_session_and_keeps_only_what_is_left(
    ray_address: str, corpus_files: list[Path]
) -> None:
    from edgewise.batch.ray_engine import ray_engine

    with ray_engine() as engine:
        corpus = engine.read(
            corpus_files,
            fmt=None,
            options=ReadOptions(),
            roles=RoleOptions(strict=True),
            skip=frozenset({"couple-01", "generated-000"}),
        )
    ids = [s.id for s in corpus.sessions]
    assert len(ids) == 70 and ids[7:10] == ["couple-01", "bp-meds-02", "cardiac-rehab-03"]
    assert [s.id for s in corpus.sessions if s.done] == ["couple-01", "generated-000"]
    assert corpus.dataset.count() == 68
    assert engine.workers == 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def answer_like_a_web_server(server: socket.socket) -> None:
    conn, _ = server.accept()
    with conn:
        conn.recv(1024)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.slow
def test_an_address_where_no_ray_answers() -> None:
    """Nothing listening, no port, and a port that answers but not as Ray: E401 at once
    (Ray itself would retry the last for minutes)."""
    with socket.create_server(("127.0.0.1", 0)) as web:
        other = threading.Thread(target=answer_like_a_web_server, args=(web,), daemon=True)
        other.start()
        web_address = f"127.0.0.1:{web.getsockname()[1]}"
        for address, reason in (
            (f"127.0.0.1:{free_port()}", "(Connection refused)"),
            ("no-port-here", "(not HOST:PORT)"),
            (web_address, "(not a Ray cluster's port)"),
        ):
            zoom = EXAMPLES / "session-zoom.vtt"
            done = run("analyze", zoom, "--ray-address", address, timeout=60)
            assert done.returncode == 2, done.stderr
            expected = f"error E401 cannot reach a Ray cluster at {address} {reason}"
            assert done.stderr.startswith(expected), done.stderr
            assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_local_ray_for_the_run_is_stopped_and_removed(
    corpus_files: list[Path], local_out: bytes, tmp_path: Path
) -> None:
    """``--ray`` alone starts Ray in the run's own temporary folder and removes it."""
    temp = tempfile.mkdtemp(prefix="ew-t-", dir="/tmp")  # short: Ray's socket paths
    try:
        env = {**os.environ, "TMPDIR": temp}
        out = tmp_path / "one-worker.jsonl"
        args = ["analyze", *map(str, corpus_files[:4]), "--ray", "--ray-workers", "1"]
        done = subprocess.run(
            [str(EDGEWISE), *args, "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == b"".join(local_out.splitlines(keepends=True)[:4])
        assert [name for name in os.listdir(temp) if "ray" in name] == []
    finally:
        shutil.rmtree(temp)
