"""The app factory ``edgewise serve`` runs, configured from the environment.

``python -m uvicorn --factory edgewise.web.asgi:app_from_env`` serves the database of
``$EDGEWISE_DB_URL`` (else ``edgewise.db`` in ``$EDGEWISE_DATA_DIR`` or the platform data
dir), migrated to head first, with the session secret from ``$EDGEWISE_SECRET_KEY`` or
the data dir (:class:`edgewise.services.config.ServeConfig` reads the rest).
``edgewise serve`` checks its options, writes them to the environment and runs this
factory the same way.

Pass uvicorn ``--no-proxy-headers``, as ``edgewise serve`` does: otherwise uvicorn itself
believes ``X-Forwarded-For`` from 127.0.0.1, so anyone who can reach the server through
this machine chooses the address their failed sign-ins are counted against. Name the
proxies in front of the app in ``$EDGEWISE_TRUSTED_PROXIES`` instead.
"""

from __future__ import annotations

from fastapi import FastAPI

from edgewise.services.config import UPLOAD_DIR_NAME, ServeConfig, load_or_create_secret
from edgewise.store import open_store, resolve_data_dir
from edgewise.web.app import create_app

__all__ = ["app_from_env", "build_app"]


def build_app(config: ServeConfig) -> FastAPI:
    """Open (and migrate) the store, load the secret and build the app (uploads are read
    in the data folder's private ``upload-tmp``)."""
    folder = resolve_data_dir(None if config.data_dir is None else str(config.data_dir))
    store = open_store(config.db_url, folder)
    secret = load_or_create_secret(folder)
    return create_app(
        store,
        secret_key=secret,
        secure_cookies=config.secure_cookies,
        upload_dir=folder / UPLOAD_DIR_NAME,
        trusted_proxies=[str(n) for n in config.trusted_proxies],
        analysis_workers=config.analysis_workers,
    )


def app_from_env() -> FastAPI:
    """:func:`build_app` of :meth:`ServeConfig.from_env` (``EDGEWISE_DB_URL`` and friends)."""
    return build_app(ServeConfig.from_env())
