"""``edgewise serve``: the clinician web app on this machine (127.0.0.1 by default).

The options are checked, the database migrated to the newest schema and the session
secret made first (a problem is a coded error before anything listens); uvicorn then runs
the app factory ``edgewise.web.asgi:app_from_env`` with the options passed through the
environment (:class:`edgewise.services.config.ServeConfig`), so this module never imports
the web app. Uvicorn's access log shows methods, paths and statuses only: paths hold
record ids, never clinical text. Uvicorn's own proxy-header handling is off: the app
believes ``X-Forwarded-For`` only from the proxies named with ``--trusted-proxy`` (see
:mod:`edgewise.web.address`).
"""

from __future__ import annotations

import copy
import ipaddress
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from edgewise.cli.options import err, user_errors
from edgewise.errors import UsageError

if TYPE_CHECKING:
    from edgewise.services.config import ServeConfig

__all__ = ["APP_FACTORY", "DataDir", "DbUrl", "database_fix", "serve"]

#: What uvicorn runs: the app factory reading its configuration from the environment.
APP_FACTORY = "edgewise.web.asgi:app_from_env"

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

    from edgewise.services.config import ServeConfig

    with user_errors(), database_fix():
        config = ServeConfig.checked(
            db_url=db_url,
            data_dir=data_dir,
            secure_cookies=secure_cookies,
            trusted_proxies=trusted_proxy or [],
            analysis_workers=analysis_workers,
        )
        config = _prepared(config)
    if not _is_loopback(host):
        err.print(
            f"warning: listening on {host}, reachable from other machines; "
            "serve over https (--secure-cookies) and keep this network trusted",
            style="yellow",
            markup=False,
            highlight=False,
        )
    config.to_env(os.environ)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
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
    """An error opening the database (E300), with its catalogued fix: the options that
    choose the database."""
    from edgewise.store.errors import StoreError  # lazily: the store loads SQLAlchemy

    try:
        yield
    except StoreError as exc:
        if type(exc) is not StoreError:
            raise
        raise StoreError(f"{exc.message}; {exc.entry.fix}", path=exc.path, line=exc.line) from None


def _prepared(config: ServeConfig) -> ServeConfig:
    """The configuration with its data folder settled, the database migrated and the
    session secret made; a bad secret or data folder is a coded error with its fix."""
    from edgewise.services.config import prepare_server

    try:
        return prepare_server(config)
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
