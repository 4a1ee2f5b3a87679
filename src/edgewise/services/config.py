"""The server's configuration: options or environment, checked before anything starts.

``edgewise serve`` checks its options here (:func:`ServeConfig.checked`), opens and
migrates the database and makes the session secret once, so a bad option is a coded
error before the server starts; it then hands the configuration to uvicorn through the
environment (:meth:`ServeConfig.to_env`), where the app factory
``edgewise.web.asgi:app_from_env`` reads it back (:meth:`ServeConfig.from_env`). The
environment never carries the session secret: it stays in the data folder (or in
``$EDGEWISE_SECRET_KEY``, set by the operator).
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import stat
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from edgewise.errors import UsageError

__all__ = [
    "ENV_ANALYSIS_WORKERS",
    "ENV_DATA_DIR",
    "ENV_DB_URL",
    "ENV_SECRET_KEY",
    "ENV_SECURE_COOKIES",
    "ENV_TRUSTED_PROXIES",
    "SECRET_FILENAME",
    "UPLOAD_DIR_NAME",
    "Network",
    "ServeConfig",
    "load_or_create_secret",
    "prepare_server",
    "trusted_networks",
]

#: The same names :mod:`edgewise.store.config` reads (kept here so that reading the
#: configuration loads no database driver).
ENV_DB_URL = "EDGEWISE_DB_URL"
ENV_DATA_DIR = "EDGEWISE_DATA_DIR"
ENV_SECURE_COOKIES = "EDGEWISE_SECURE_COOKIES"
ENV_TRUSTED_PROXIES = "EDGEWISE_TRUSTED_PROXIES"
ENV_ANALYSIS_WORKERS = "EDGEWISE_ANALYSIS_WORKERS"
ENV_SECRET_KEY = "EDGEWISE_SECRET_KEY"
#: The session-signing secret, kept in the data dir (mode 0600) unless given by environment.
SECRET_FILENAME = "web-secret.key"
MIN_SECRET_CHARS = 32
#: The private folder uploads are read in, inside the data folder.
UPLOAD_DIR_NAME = "upload-tmp"
_TRUE = ("1", "true", "yes")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The proxies named by ``values`` (addresses or networks, also comma-separated);
    UsageError (E130) for one that is neither."""
    found: list[Network] = []
    for value in values:
        for item in filter(None, re.split(r"[,\s]+", value)):
            try:
                found.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise UsageError(
                    f"{item!r} is not an IP address or network; pass --trusted-proxy "
                    f"(or {ENV_TRUSTED_PROXIES}) the address of the proxy in front of edgewise"
                ) from None
    return tuple(found)


@dataclass(frozen=True)
class ServeConfig:
    """What the web server is started with (None: the default)."""

    db_url: str | None = None
    data_dir: Path | None = None
    secure_cookies: bool = False
    trusted_proxies: tuple[Network, ...] = ()
    analysis_workers: int | None = None

    @classmethod
    def checked(
        cls,
        *,
        db_url: str | None = None,
        data_dir: Path | None = None,
        secure_cookies: bool = False,
        trusted_proxies: Sequence[str] = (),
        analysis_workers: int | None = None,
    ) -> ServeConfig:
        """The configuration of these options; E130 for a proxy that is no address."""
        return cls(
            db_url=db_url or None,
            data_dir=data_dir,
            secure_cookies=secure_cookies,
            trusted_proxies=trusted_networks(trusted_proxies),
            analysis_workers=analysis_workers,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServeConfig:
        """The configuration in ``env`` (default: the process environment)."""
        environ = os.environ if env is None else env
        workers = environ.get(ENV_ANALYSIS_WORKERS, "").strip()
        return cls.checked(
            db_url=environ.get(ENV_DB_URL) or None,
            data_dir=Path(environ[ENV_DATA_DIR]) if environ.get(ENV_DATA_DIR) else None,
            secure_cookies=environ.get(ENV_SECURE_COOKIES, "").lower() in _TRUE,
            trusted_proxies=[environ.get(ENV_TRUSTED_PROXIES, "")],
            analysis_workers=int(workers) if workers.isdigit() else None,
        )

    def to_env(self, env: MutableMapping[str, str]) -> None:
        """Write the configuration into ``env`` (the process environment, for uvicorn's
        app factory); a default removes its variable."""
        values = {
            ENV_DB_URL: self.db_url,
            ENV_DATA_DIR: None if self.data_dir is None else str(self.data_dir),
            ENV_SECURE_COOKIES: "1" if self.secure_cookies else None,
            ENV_TRUSTED_PROXIES: " ".join(str(n) for n in self.trusted_proxies) or None,
            ENV_ANALYSIS_WORKERS: None
            if self.analysis_workers is None
            else str(self.analysis_workers),
        }
        for name, value in values.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value


def prepare_server(config: ServeConfig) -> ServeConfig:
    """Settle the data folder, migrate the database and make the session secret, so the
    app factory finds all three ready; the configuration with its folder named.

    StoreError (E300) when the database cannot be opened; PermissionError or ValueError
    for an unusable secret (see :func:`load_or_create_secret`).
    """
    from edgewise.store import open_store, resolve_data_dir

    folder = resolve_data_dir(None if config.data_dir is None else str(config.data_dir))
    open_store(config.db_url, folder).close()
    load_or_create_secret(folder)
    return replace(config, data_dir=folder)


def load_or_create_secret(data_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """``$EDGEWISE_SECRET_KEY``, else the secret file in ``data_dir`` (created 0600 if missing).

    ValueError when the secret is too short; PermissionError when others may read the file.
    """
    environ = os.environ if env is None else env
    given = environ.get(ENV_SECRET_KEY)
    if given:
        if len(given) < MIN_SECRET_CHARS:
            raise ValueError(f"{ENV_SECRET_KEY} must be at least {MIN_SECRET_CHARS} characters")
        return given
    path = data_dir / SECRET_FILENAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    """The secret in ``path``; refused when others may read it or it is too short."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(f"{path} is readable by others; chmod 600 it")
    text = path.read_text(encoding="ascii").strip()
    if len(text) < MIN_SECRET_CHARS:
        raise ValueError(f"{path} holds no usable secret; delete it to make a new one")
    return text
