"""``edgewise serve``: the clinician web app on this machine (127.0.0.1 by default).

The options are checked, the database migrated to the newest schema and the session
secret made first (a problem is a coded error before anything listens); uvicorn then runs
the app factory ``edgewise.web.asgi:app_from_env`` with the options passed through the
environment (:class:`edgewise.services.config.ServeConfig`), so this module never imports
the web app. Uvicorn's access log shows methods, paths and statuses only: paths hold
record ids, never clinical text. Uvicorn's own proxy-header handling is off: the app
believes ``X-Forwarded-For`` only from the proxies named with ``--trusted-proxy`` (see
:mod:`edgewise.web.address`). Listening on an address other machines reach needs
``--cert`` and ``--key`` (uvicorn serves https; the cookie is then Secure): E361 without.
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

from edgewise.cli.options import user_errors
from edgewise.errors import TlsRequiredError, UsageError

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
    cert: Annotated[
        Path | None,
        typer.Option(
            "--cert",
            help="TLS certificate (PEM) to serve https; needed for any --host but this machine.",
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option("--key", help="The certificate's private key (PEM).", show_default=False),
    ] = None,
) -> None:
    """Run the web app: caseload, client records, sessions and measures."""
    import uvicorn

    from edgewise.services.config import ServeConfig

    with user_errors():
        tls = _tls(host, cert, key)
    with user_errors(), database_fix():
        config = ServeConfig.checked(
            db_url=db_url,
            data_dir=data_dir,
            secure_cookies=secure_cookies or tls is not None,
            trusted_proxies=trusted_proxy or [],
            analysis_workers=analysis_workers,
        )
        config = _prepared(config)
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
        ssl_certfile=tls[0] if tls else None,
        ssl_keyfile=tls[1] if tls else None,
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
    from edgewise.cli.key import announce_new_key
    from edgewise.services.config import prepare_server

    try:
        with announce_new_key():
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


def _tls(host: str, cert: Path | None, key: Path | None) -> tuple[str, str] | None:
    """The certificate and key files for uvicorn, or None; TlsRequiredError (E361) for
    an address other machines reach without both files, UsageError when only one is
    given or one cannot be read."""
    if cert is None and key is None:
        if not _is_loopback(host):
            raise TlsRequiredError(address=host)
        return None
    if cert is None or key is None:
        raise UsageError("--cert and --key go together: pass both, or neither")
    for option, path in (("--cert", cert), ("--key", key)):
        if not path.is_file() or not os.access(path, os.R_OK):
            raise UsageError(f"{option} is not a file that can be read", path=path)
    return str(cert), str(key)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
