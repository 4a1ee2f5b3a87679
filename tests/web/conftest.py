"""Web app fixtures: a SQLite store in tmp (PostgreSQL where asked), the app, signed-in users.

The PostgreSQL server comes from the helpers of ``tests/store/conftest.py`` (loaded by
path: conftest modules cannot be imported by name), started only when a test asks for it.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edgewise.coding.coder import Coder
from edgewise.domain import CodedSession, Session, UtteranceCode
from edgewise.services.accounts import hash_password
from edgewise.store import Store, UserRecord, upgrade
from edgewise.web import create_app

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = TESTS.parent / "examples"
SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


#: Debian's Chromium, where ``shutil.which`` does not find it on the PATH.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium (the system's, driven by Playwright) for the module."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or CHROMIUM
    if not Path(executable).exists():
        pytest.fail("Chromium not found: `apt-get install chromium` (the README's test command)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


def _store_helpers() -> ModuleType:
    """tests/store/conftest.py as a module (for PgServer and the table truncation)."""
    name = "edgewise_tests_store_conftest"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TESTS / "store" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def web_pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the web tests (its own throwaway server)."""
    helpers = _store_helpers()
    try:
        server = helpers.PgServer()
    except helpers.PgUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.start()
        url: str = server.create_database("edgewise_web_test")
        upgrade(url)
        yield url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend of ``store``; tests parametrise it indirectly to add PostgreSQL."""
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy (migrating takes ~0.7 s)."""
    path = tmp_path_factory.mktemp("template") / "web.db"
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store at head: SQLite in tmp, or the PostgreSQL database emptied."""
    if backend == "sqlite":
        path = tmp_path / "web.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("web_pg_url")
        _store_helpers()._empty_tables(url)
    opened = Store.from_url(url)
    try:
        yield opened
    finally:
        opened.close()


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = _TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@dataclass
class Browser:
    """A TestClient signed in (or not) as one user, with the app's forms as methods."""

    http: TestClient
    user: UserRecord | None = None
    token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def refresh_token(self, page: str = "/clients") -> str:
        self.token = csrf_of(self.http.get(page).text)
        return self.token

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        token = csrf_of(self.http.get("/login").text)
        response = self.http.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.refresh_token()
        return response

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        form = {"csrf_token": self.token, **(data or {})}
        return self.http.post(url, data=form, follow_redirects=False, **kw)

    def add_client(self, alias: str) -> int:
        response = self.post("/clients", {"alias": alias})
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("/", 1)[1])

    def upload(
        self, client_id: int, path: Path, *, name: str | None = None, **form: str
    ) -> httpx.Response:
        with path.open("rb") as handle:
            return self.post(
                f"/clients/{client_id}/sessions/new",
                {"session_date": "2024-05-01", **form},
                files={"transcript": (name or path.name, handle, "application/octet-stream")},
            )

    def upload_text(self, client_id: int, name: str, text: str, **form: str) -> httpx.Response:
        return self.post(
            f"/clients/{client_id}/sessions/new",
            {"session_date": "2024-05-01", **form},
            files={"transcript": (name, text.encode("utf-8"), "text/plain")},
        )

    def measure(
        self, client_id: int, value: int, key: str = "phq9", items: int = 9, **form: str
    ) -> int:
        """Every item answered ``value`` (PHQ-9 item 9 too: a safety alert when above 0)."""
        data = {f"item-{i}": str(value) for i in range(1, items + 1)} | form
        response = self.post(f"/clients/{client_id}/measures/new?measure={key}", data)
        assert response.status_code == 303, response.text
        return response.status_code

    def phq9(self, client_id: int, total: int, item9: int = 0, **form: str) -> httpx.Response:
        """A PHQ-9 with item 9 answered ``item9`` and items 1-8 making up ``total``."""
        rest = total - item9
        assert 0 <= rest <= 24, total
        values = [min(3, max(0, rest - 3 * i)) for i in range(8)]
        data = {f"item-{i}": str(v) for i, v in enumerate(values, start=1)}
        data |= {"item-9": str(item9), **form}
        return self.post(f"/clients/{client_id}/measures/new?measure=phq9", data)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app(store: Store, coder: Coder) -> AppFactory:
    """``make_app(analyse_inline=True, **kw)``: the app on the test store, sharing one Coder."""

    def build(**kwargs: Any) -> FastAPI:
        kwargs.setdefault("analyse_inline", True)
        kwargs.setdefault("coder_factory", lambda: coder)
        return create_app(store, secret_key=SECRET, **kwargs)

    return build


@pytest.fixture
def app(make_app: AppFactory) -> FastAPI:
    """The app, analysing uploads inline."""
    return make_app()


@functools.cache
def password_hash() -> str:
    """The argon2 hash of PASSWORD, made once (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


@pytest.fixture
def users(store: Store) -> dict[str, UserRecord]:
    """Two clinicians, ann and bob, with the same password."""
    hashed = password_hash()
    return {name: store.create_user(name, hashed) for name in ("ann", "bob")}


@pytest.fixture
def signin(users: dict[str, UserRecord]) -> Callable[[TestClient, str], Browser]:
    """``signin(http, "ann")``: sign a TestClient in; the Browser helper around it."""

    def sign(http: TestClient, name: str) -> Browser:
        browser = Browser(http, users[name])
        assert browser.login(name).status_code == 303
        return browser

    return sign


@pytest.fixture
def anon(app: FastAPI) -> Iterator[Browser]:
    """A client that has not signed in."""
    with TestClient(app) as http:
        yield Browser(http)


@pytest.fixture
def ann(app: FastAPI, users: dict[str, UserRecord]) -> Iterator[Browser]:
    """ann, signed in."""
    with TestClient(app) as http:
        browser = Browser(http, users["ann"])
        assert browser.login("ann").status_code == 303
        yield browser


@pytest.fixture
def bob(app: FastAPI, users: dict[str, UserRecord]) -> Iterator[Browser]:
    """bob, signed in (a second cookie jar on the same app)."""
    with TestClient(app) as http:
        browser = Browser(http, users["bob"])
        assert browser.login("bob").status_code == 303
        yield browser


#: A short fictional session with labelled speakers (quick to analyse).
SHORT_SESSION = """T: Thanks for coming in today. What would you like to talk about?
C: My drinking, I guess. My partner keeps bringing it up.
T: It sounds like it matters to the people around you.
C: It does. I want to cut down before the summer, I really do.
T: You want to cut down, and you have a time in mind.
C: But honestly the evenings are hard and I don't see how.
T: What has helped before, even a little?
C: Going for a walk after work helped. I could try that again.
"""


@pytest.fixture
def short_session(tmp_path: Path) -> Path:
    """SHORT_SESSION as a .txt file."""
    path = tmp_path / "short-session.txt"
    path.write_text(SHORT_SESSION, encoding="utf-8")
    return path


@pytest.fixture
def zoom() -> Path:
    """The fictional Zoom transcript shipped in examples/."""
    return EXAMPLES / "session-zoom.vtt"


class FakeCoder:
    """Stands in for the Coder without the model: codes every turn by rule, so a test knows
    which turns carry which flag. A turn saying "killing myself" gets ``risk`` (what the
    shipped model's explicit markers do); one saying "check in" gets ``risk_check`` (a
    flag that is not ``risk``). Clinician turns are questions, client turns change talk."""

    model = "fake-coder@1"

    def embed_sessions(
        self, sessions: list[Session], progress: Callable[[int], None] | None = None
    ) -> Iterator[None]:
        for session in sessions:
            if progress is not None:
                progress(len(session.utterances))
            yield None

    def embed_steps(
        self, session: Session, progress: Callable[[int], None] | None = None, **_: object
    ) -> Generator[None, None, None]:
        yield from self.embed_sessions([session], progress)

    def code_steps(
        self, session: Session, _embeddings: object = None, **_: object
    ) -> Generator[None, None, CodedSession]:
        yield
        return self.code_session(session)

    def code_session(self, session: Session, _embeddings: object = None) -> CodedSession:
        codes = []
        for u in session.utterances:
            flags: tuple[str, ...] = ()
            if "killing myself" in u.text.lower():
                flags = ("risk",)
            elif "check in" in u.text.lower():
                flags = ("risk_check",)
            if u.role == "therapist":
                code = UtteranceCode(
                    index=u.index, behaviour="question", flags=flags, model=self.model
                )
            else:
                code = UtteranceCode(
                    index=u.index, talk_type="change", flags=flags, model=self.model
                )
            codes.append(code)
        return CodedSession(session=session, codes=tuple(codes))


#: Fictional, written for these tests. Turn 2 (index 1) is the client's risk turn; turn 3
#: repeats the words but is the clinician's; turn 5 carries only ``risk_check``.
RISK_SESSION = """T: How have things been since we last met?
C: Honestly, not good. I've been thinking about killing myself.
T: Thank you for telling me. When you say killing myself, can we talk about that now?
C: Yes. My sister knows, and she is staying with me this week.
C: Can we check in about it again next time?
T: Yes, we will. What has helped you keep going?
C: My kids. I want to be there for them.
"""


@pytest.fixture
def risk_session(tmp_path: Path) -> Path:
    """RISK_SESSION as a .txt file."""
    path = tmp_path / "risk-session.txt"
    path.write_text(RISK_SESSION, encoding="utf-8")
    return path


@pytest.fixture
def fake_app(make_app: AppFactory) -> FastAPI:
    """The app analysing inline with :class:`FakeCoder` (no model)."""
    return make_app(coder_factory=FakeCoder)
