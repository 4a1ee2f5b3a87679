"""Store fixtures: every test body runs on SQLite and on a real PostgreSQL server.

PostgreSQL: a throwaway server started once per test session, only when a
PostgreSQL-parametrised test runs: ``initdb`` into a temp dir, ``pg_ctl start`` on a free
port of 127.0.0.1 (trust auth, unix socket in the temp dir, fsync off), stopped with
``pg_ctl stop -m fast`` at the end (fixture finaliser and atexit) and the dir removed.
Binaries come from ``$EDGEWISE_PG_BIN``, else the newest ``/usr/lib/postgresql/*/bin``
(Debian's ``postgresql`` package), else ``pg_ctl`` on PATH; missing binaries fail the
PostgreSQL tests with a message saying what to install. initdb refuses to run as root,
so as root every server command runs as the ``postgres`` OS user (``runuser``) in a temp
dir owned by it.

Each ``store`` test starts from an empty database at head: on SQLite a new file
migrated to head, on PostgreSQL the ``edgewise_test`` database (migrated once) with every
table truncated (60 ms; CREATE DATABASE ... TEMPLATE took 300 ms). ``empty_url`` gives
a new, unmigrated database (CREATE DATABASE on PostgreSQL) for the migration tests.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import psycopg
import pytest

from edgewise.store import Store, upgrade
from edgewise.store.engine import make_engine
from edgewise.store.tables import Base

_OS_USER = "postgres"
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PgUnavailable(RuntimeError):
    """The PostgreSQL server binaries (or the postgres OS user, as root) are missing."""


def find_pg_bin() -> Path:
    """The folder holding initdb and pg_ctl, or PgUnavailable saying what to install."""
    candidates: list[Path] = []
    if os.environ.get("EDGEWISE_PG_BIN"):
        candidates.append(Path(os.environ["EDGEWISE_PG_BIN"]))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versions)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PgUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in $EDGEWISE_PG_BIN, "
        "/usr/lib/postgresql/*/bin or PATH: install the Debian package 'postgresql' "
        "(scripts/test.sh does) to run the PostgreSQL half of tests/store"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PgServer:
    """One running server; :meth:`stop` is idempotent and also registered with atexit."""

    def __init__(self) -> None:
        self.bin = find_pg_bin()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            try:
                self._pw = pwd.getpwnam(_OS_USER)
            except KeyError:
                raise PgUnavailable(
                    "running as root but there is no 'postgres' OS user to run initdb as"
                ) from None
        self.base = Path(tempfile.mkdtemp(prefix="edgewise-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self._names = count(1)
        self._running = False
        atexit.register(self.stop)

    def _run(self, *args: str) -> None:
        """Run a server binary (as postgres when root); raise with its output on failure."""
        argv = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            argv = ["runuser", "-u", _OS_USER, "--", *argv]
        done = subprocess.run(argv, cwd=self.base, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def start(self) -> None:
        """initdb, then pg_ctl start (waits until it accepts connections)."""
        if self._as_root:
            os.chown(self.base, self._pw.pw_uid, self._pw.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 {_FAST}"
        log = str(self.base / "server.log")
        self._running = True
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "-o", options, "start"
        )

    def stop(self) -> None:
        """pg_ctl stop -m fast and remove the temp dir (safe to call twice)."""
        try:
            if self._running:
                self._running = False
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.encode())

    def create_database(self, name: str, template: str | None = None) -> str:
        """CREATE DATABASE (copied from ``template`` when given); returns its URL."""
        suffix = f" TEMPLATE {template}" if template else ""
        self._admin(f"CREATE DATABASE {name}{suffix}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE, closing any connection left to it."""
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    @contextlib.contextmanager
    def fresh_database(self, template: str | None = None) -> Iterator[str]:
        """A new database for one test, dropped afterwards."""
        name = f"edgewise_t{next(self._names)}"
        url = self.create_database(name, template)
        try:
            yield url
        finally:
            self.drop_database(name)


BACKENDS = ["sqlite", "postgresql"]
_TEST_DB = "edgewise_test"
#: Emptied before each PostgreSQL test (ids restart at 1, as in a new SQLite file).
_TRUNCATE = "TRUNCATE {} RESTART IDENTITY CASCADE"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A running PostgreSQL server for the whole test session; fails if it cannot start."""
    try:
        server = PgServer()
    except PgUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> str:
    """URL of ``edgewise_test`` on the server, migrated to head once."""
    url = pg_server.create_database(_TEST_DB)
    upgrade(url)
    return url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend a parametrised test runs on."""
    name: str = request.param
    return name


@pytest.fixture
def empty_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database (nothing migrated)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    with server.fresh_database() as url:
        yield url


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A Store on an empty database at the head revision."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        upgrade(url)
    else:
        url = request.getfixturevalue("pg_database")
        _empty_tables(url)
    store = Store.from_url(url)
    try:
        yield store
    finally:
        store.close()


def _empty_tables(url: str) -> None:
    """TRUNCATE every table of the (migrated) database at ``url``."""
    engine = make_engine(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(_TRUNCATE.format(tables))
    finally:
        engine.dispose()
