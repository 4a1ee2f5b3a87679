"""An app factory configured from the environment, for ``uvicorn --factory``.

``python -m uvicorn --factory edgewise.web.asgi:app_from_env`` serves the database of
``$EDGEWISE_DB_URL`` (else ``edgewise.db`` in ``$EDGEWISE_DATA_DIR`` or the platform data
dir), migrated to head first, with the session secret from ``$EDGEWISE_SECRET_KEY`` or
the data dir. ``edgewise serve`` does the same from its options.

Pass uvicorn ``--no-proxy-headers``, as ``edgewise serve`` does: otherwise uvicorn itself
believes ``X-Forwarded-For`` from 127.0.0.1, so anyone who can reach the server through
this machine chooses the address their failed sign-ins are counted against. Name the
proxies in front of the app in ``$EDGEWISE_TRUSTED_PROXIES`` instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from fastapi import FastAPI

from edgewise.store import open_store, resolve_data_dir
from edgewise.web.app import create_app
from edgewise.web.scratch import UPLOAD_DIR_NAME
from edgewise.web.security import load_or_create_secret
from edgewise.web.throttle import ENV_TRUSTED_PROXIES

__all__ = ["ENV_SECURE_COOKIES", "app_from_env", "build_app"]

ENV_SECURE_COOKIES = "EDGEWISE_SECURE_COOKIES"


def build_app(
    db_url: str | None = None,
    data_dir: str | None = None,
    *,
    secure_cookies: bool = False,
    trusted_proxies: Sequence[str] = (),
    analysis_workers: int | None = None,
) -> FastAPI:
    """Open (and migrate) the store, load the secret and build the app (uploads are read
    in the data folder's private ``upload-tmp``)."""
    folder = resolve_data_dir(data_dir)
    store = open_store(db_url, folder)
    secret = load_or_create_secret(folder)
    uploads = folder / UPLOAD_DIR_NAME
    return create_app(
        store,
        secret_key=secret,
        secure_cookies=secure_cookies,
        upload_dir=uploads,
        trusted_proxies=trusted_proxies,
        analysis_workers=analysis_workers,
    )


def app_from_env() -> FastAPI:
    """:func:`build_app` from ``EDGEWISE_DB_URL``, ``EDGEWISE_DATA_DIR`` and friends."""
    secure = os.environ.get(ENV_SECURE_COOKIES, "").lower() in ("1", "true", "yes")
    proxies = os.environ.get(ENV_TRUSTED_PROXIES, "")
    return build_app(secure_cookies=secure, trusted_proxies=[proxies])
