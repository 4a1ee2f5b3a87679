"""``edgewise serve``: the clinician web app on this machine (127.0.0.1 by default).

The database is migrated to the newest schema first. Uvicorn's access log shows
methods, paths and statuses only: paths hold record ids, never clinical text.
"""

from __future__ import annotations

import copy
import ipaddress
from pathlib import Path
from typing import Annotated, Any

import typer

from edgewise.cli.options import err, user_errors

__all__ = ["DataDir", "DbUrl", "serve"]

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
) -> None:
    """Run the web app: caseload, client records, sessions and measures."""
    import uvicorn

    from edgewise.web.asgi import build_app

    with user_errors():
        app = build_app(db_url, str(data_dir) if data_dir else None, secure_cookies=secure_cookies)
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
    )


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
