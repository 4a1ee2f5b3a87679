"""``edgewise serve``: the clinician web app on this machine (127.0.0.1 by default).

The database is migrated to the newest schema first. Uvicorn's access log shows
methods, paths and statuses only: paths hold record ids, never clinical text.
Uvicorn's own proxy-header handling is off: the app believes ``X-Forwarded-For`` only
from the proxies named with ``--trusted-proxy`` (see :mod:`edgewise.web.throttle`).
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edgewise.cli.options import err, user_errors
from edgewise.errors import UsageError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["DataDir", "DbUrl", "database_fix", "serve"]

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="EDGEWISE_DATA_DIR",
        help="Folder for the database and the session secret (default: the user data dir).",
    ),
]
DbUrl = Annotated[
    str | None,
    typer.Option(
        "--db-url",
        envvar="EDGEWISE_DB_URL",
        help="Database URL (default: SQLite edgewise.db in the data dir); "
        "postgresql://... for PostgreSQL.",
    ),
]
TrustedProxy = Annotated[
    list[str] | None,
    typer.Option(
        "--trusted-proxy",
        envvar="EDGEWISE_TRUSTED_PROXIES",
        help="Address or network of a reverse proxy in front of edgewise (repeatable): its "
        "X-Forwarded-For then names the client. Default: none, the header is ignored.",
        show_default=False,
    ),
]

AnalysisWorkers = Annotated[
    int | None,
    typer.Option(
        "--analysis-workers",
        envvar="EDGEWISE_ANALYSIS_WORKERS",
        min=1,
        max=32,
        help="Threads analysing uploads, taking turns between clinicians "
        "(default: one per four cores, at least one).",
        show_default=False,
    ),
]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8765,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Mark the sign-in cookie Secure (use when served over https, e.g. via a proxy).",
        ),
    ] = False,
    trusted_proxy: TrustedProxy = None,
    analysis_workers: AnalysisWorkers = None,
) -> None:
    """Run the web app: caseload, client records, sessions and measures."""
    import uvicorn

    with user_errors(), database_fix():
        proxies = _proxies(trusted_proxy or [])
        app = _build(db_url, data_dir, secure_cookies, proxies, analysis_workers)
    if not _is_loopback(host):
        err.print(
            f"warning: listening on {host}, reachable from other machines; "
            "serve over https (--secure-cookies) and keep this network trusted",
            style="yellow",
            markup=False,
            highlight=False,
        )
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=True,
        log_level="info",
        log_config=_log_config(),
        server_header=False,
        proxy_headers=False,  # the app decides whom to believe (--trusted-proxy)
    )


@contextmanager
def database_fix() -> Iterator[None]:
    """An error opening the database (E300), with the fix: the options that choose it."""
    from edgewise.store.errors import StoreError  # lazily: the store loads SQLAlchemy

    try:
        yield
    except StoreError as exc:
        if type(exc) is not StoreError:
            raise
        raise StoreError(
            f"{exc.message}; check --db-url and --data-dir (or EDGEWISE_DB_URL, EDGEWISE_DATA_DIR)",
            path=exc.path,
            line=exc.line,
        ) from None


def _proxies(values: list[str]) -> list[str]:
    """The ``--trusted-proxy`` values, checked (E130 for one that is no address)."""
    from edgewise.web.throttle import trusted_networks

    return [str(network) for network in trusted_networks(values)]


def _build(
    db_url: str | None,
    data_dir: Path | None,
    secure_cookies: bool,
    proxies: list[str],
    workers: int | None = None,
) -> FastAPI:
    """The web app; a bad session secret or data folder is a coded error with its fix."""
    from edgewise.web.asgi import build_app

    folder = str(data_dir) if data_dir else None
    try:
        return build_app(
            db_url,
            folder,
            secure_cookies=secure_cookies,
            trusted_proxies=proxies,
            analysis_workers=workers,
        )
    except PermissionError as exc:  # the secret file is open to others, or cannot be made
        if exc.strerror and exc.filename:
            raise UsageError(
                f"cannot use the data folder ({exc.strerror}); "
                "pass --data-dir a folder you can write to",
                path=exc.filename,
            ) from None
        raise UsageError(str(exc)) from None
    except ValueError as exc:  # the secret is too short: the message names the variable or file
        raise UsageError(str(exc)) from None


def _log_config() -> dict[str, Any]:
    """Uvicorn's logging, plus the app's own ``edgewise`` logger (ids and codes only)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["edgewise"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
