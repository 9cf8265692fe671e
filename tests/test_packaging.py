"""The wheel works without the source tree: it carries the templates, static files,
catalogues and migrations, and an installed copy serves a page from another folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from consent.settings import PROJECT_ROOT

SOURCE = ("consent", "templates", "static", "locales", "pyproject.toml", "setup.py",
          "MANIFEST.in", "README.md", "alembic.ini")  # fmt: skip
# Renders the start page in Dutch and in English (the catalogue), and a static file, with
# the installed package; prints one result per line.
SERVE_ONE_PAGE = """
import sys, tempfile
from pathlib import Path
from starlette.testclient import TestClient
import consent
from consent.app import create_app
from consent.db import make_engine
from consent.migrate import upgrade
from consent.settings import Settings

print(Path(consent.__file__).is_relative_to(sys.prefix))
url = "sqlite:///" + tempfile.mkdtemp() + "/consent.db"
upgrade(make_engine(url))
app = create_app(Settings(database_url=url, secret_key="packaging-test-secret-key"))
with TestClient(app) as client:
    dutch, english = client.get("/"), client.get("/?lang=en")
    print(dutch.status_code, "<h1>Praat mee over uw woning</h1>" in dutch.text)
    print(english.status_code, "<h1>Your say on your home</h1>" in english.text)
    print(client.get("/static/css/consent.css").status_code)
"""


def _run(*command: str | Path, cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built by `pip wheel` from a copy of the source tree (no build/ left here)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "_bundled")
    for name in SOURCE:
        path = PROJECT_ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source, cwd=out)
    (found,) = out.glob("consent-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_carries_the_web_files_and_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "consent/_bundled/templates/base.html",
        "consent/_bundled/templates/components/forms.html",
        "consent/_bundled/static/css/consent.css",
        "consent/_bundled/locales/en/LC_MESSAGES/messages.po",
        "consent/migrations/env.py",
        "consent/migrations/script.py.mako",
        "consent/migrations/versions/0001_initial_schema.py",
        "consent/rules_data.toml",
        "consent/data/complex-de-linde.csv",
    }
    assert expected <= names, sorted(expected - names)
    for folder in ("templates", "static", "locales"):
        in_tree = {p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / folder).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip
        assert {f"consent/_bundled/{name}" for name in in_tree} <= names, folder


@pytest.mark.slow
def test_the_installed_wheel_runs_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--no-deps", "-q", wheel, cwd=tmp_path)
    assert "Serve the web application" in _run(venv / "bin" / "consent", "--help", cwd=tmp_path)
    lines = _run(python, "-c", SERVE_ONE_PAGE, cwd=tmp_path).split()
    assert lines == ["True", "200", "True", "200", "True", "200"]
