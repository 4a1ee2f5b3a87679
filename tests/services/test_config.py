"""The server's configuration: checked options, the environment round trip, the secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgewise.errors import UsageError
from edgewise.services.config import (
    ENV_SECRET_KEY,
    MIN_SECRET_CHARS,
    SECRET_FILENAME,
    ServeConfig,
    load_or_create_secret,
    prepare_server,
    trusted_networks,
)


def test_the_environment_carries_the_options_both_ways(tmp_path: Path) -> None:
    config = ServeConfig.checked(
        db_url="sqlite:///x.db",
        data_dir=tmp_path,
        secure_cookies=True,
        trusted_proxies=["10.0.0.1, 10.1.0.0/16"],
        analysis_workers=3,
    )
    env = {"EDGEWISE_DB_URL": "postgresql://old", "OTHER": "kept"}
    config.to_env(env)
    assert ServeConfig.from_env(env) == config
    assert env["EDGEWISE_TRUSTED_PROXIES"] == "10.0.0.1/32 10.1.0.0/16" and env["OTHER"] == "kept"
    ServeConfig().to_env(env)  # defaults remove their variables
    assert env == {"OTHER": "kept"}
    assert ServeConfig.from_env(env) == ServeConfig()
    assert ENV_SECRET_KEY not in env  # the secret never travels this way


def test_a_proxy_that_is_no_address_is_a_coded_error() -> None:
    assert [str(n) for n in trusted_networks([" ::1 ", ""])] == ["::1/128"]
    with pytest.raises(UsageError, match="--trusted-proxy") as raised:
        ServeConfig.checked(trusted_proxies=["10.0.0.1", "*"])
    assert raised.value.code == "E130"


def test_preparing_migrates_and_makes_the_secret(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    prepared = prepare_server(ServeConfig(data_dir=folder))
    assert prepared.data_dir == folder
    assert (folder / "edgewise.db").exists()
    assert (folder / SECRET_FILENAME).stat().st_mode & 0o777 == 0o600


def test_the_secret_file_is_private_and_stable(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path, env={})
    assert len(first) >= MIN_SECRET_CHARS
    path = tmp_path / "web-secret.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_secret(tmp_path, env={}) == first
    given = "e" * 40
    assert load_or_create_secret(tmp_path, env={"EDGEWISE_SECRET_KEY": given}) == given
    with pytest.raises(ValueError):
        load_or_create_secret(tmp_path, env={"EDGEWISE_SECRET_KEY": "short"})
    path.chmod(0o644)
    with pytest.raises(PermissionError):
        load_or_create_secret(tmp_path, env={})
