"""Production refuses insecure defaults; development starts with none set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG = "x" * 50
PROGRAM = "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)"


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "FIELD_ENCRYPTION_KEY",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PROGRAM,
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "sipko.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_development_defaults_start() -> None:
    result = _start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_refuses_default_secret_and_missing_hosts() -> None:
    result = _start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "FIELD_ENCRYPTION_KEY" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_when_configured() -> None:
    result = _start(
        DEBUG="false",
        SECRET_KEY=STRONG,
        FIELD_ENCRYPTION_KEY="y" * 50,
        ALLOWED_HOSTS="sipko.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_bad_boolean_fails_loudly() -> None:
    result = _start(
        DEBUG="perhaps",
        SECRET_KEY=STRONG,
        FIELD_ENCRYPTION_KEY=STRONG,
        ALLOWED_HOSTS="sipko.example",
    )
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
