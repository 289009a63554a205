"""docker-compose.yml and the Dockerfile, checked by reading (no Docker engine runs here)."""

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.processes import manage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_runs_the_five_parts_of_production(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["web"]["command"][:2] == ["gunicorn", "kooperation.wsgi"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["build"] == "."


def test_app_services_wait_for_their_backing_services(compose):
    services = compose["services"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
    assert "healthcheck" in services["db"]
    assert "healthcheck" in services["redis"]


def test_configuration_comes_only_from_the_environment(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["DEBUG"] == "false"
    for secret in ("SECRET_KEY", "DATABASE_URL"):
        assert re.search(r"\$\{[A-Z_]+:\?", environment[secret]), (
            f"{secret} must be required from the environment"
        )
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "kooperation-demo" not in text
    literal_passwords = re.findall(r"^\s*\w*PASSWORD:\s*(?!\$\{)\S.*$", text, re.MULTILINE)
    assert literal_passwords == [], "no literal password in the compose file"


def test_dockerfile_builds_from_the_lock_files_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "npm ci" in dockerfile
    assert "--require-hashes -r requirements/base.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    for copied in ("requirements/base.txt", "package.json", "package-lock.json"):
        assert (ROOT / copied).exists()


def test_the_system_packages_of_the_letter_pdf_are_named_alike_everywhere():
    """WeasyPrint's Pango: the image, CI and the README's prerequisites install the same set."""
    packages = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0")
    for name in ("Dockerfile", ".ci/run", "README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert re.search(r"\s+".join(map(re.escape, packages)), text), name


def test_production_lock_holds_every_runtime_dependency():
    lock = (ROOT / "requirements/base.txt").read_text(encoding="utf-8")
    for package in (
        "django==5.2.",
        "psycopg==",
        "django-allauth==",
        "celery==",
        "redis==",
        "gunicorn==",
    ):
        assert package in lock
    assert "pytest" not in lock


def test_make_run_serves_the_demo_without_persistent_database_connections(tmp_path):
    """runserver serves each request in a thread of its own, and each thread would keep its
    connection open for CONN_MAX_AGE. `make run` runs here with a stand-in for the virtual
    environment's python that records each call and the CONN_MAX_AGE it gets."""
    calls = tmp_path / "calls"
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$* CONN_MAX_AGE=${{CONN_MAX_AGE-unset}}" >> {calls}\n')
    python.chmod(0o755)
    outer_make = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CONN_MAX_AGE"}
    environment = {key: value for key, value in os.environ.items() if key not in outer_make}
    for extra, expected in (({}, "0"), ({"CONN_MAX_AGE": "30"}, "30")):
        calls.unlink(missing_ok=True)
        make = ["make", "--no-print-directory", "run", f"BIN={tmp_path}", "STAMP=", "NODE_STAMP="]
        make += ["HOST=127.0.0.1", "PORT=8000"]
        result = subprocess.run(
            make,
            cwd=ROOT,
            env={**environment, **extra},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert calls.read_text().splitlines() == [
            f"manage.py migrate --no-input -v 0 CONN_MAX_AGE={expected}",
            f"manage.py load_demo_data CONN_MAX_AGE={expected}",
            f"manage.py runserver --skip-checks 127.0.0.1:8000 CONN_MAX_AGE={expected}",
        ]
    read = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        DEBUG="true",
        CONN_MAX_AGE="0",
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "0"
