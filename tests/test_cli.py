"""The `consent` command, run in-process: help everywhere, one-line errors, each subcommand."""

from __future__ import annotations

import argparse
import io
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text
from sqlmodel import select
from starlette.testclient import TestClient

from consent.accounts.models import ApiToken, StaffUser
from consent.accounts.service import user_for_token
from consent.app import create_app
from consent.cli import build_parser, main
from consent.db import new_session
from consent.housing.models import Corporation, Unit
from consent.security import keyed_hash, verify_password
from consent.settings import DEMO_SECRET, Settings
from tests.housing.housing_support import csv_text, unit

SECRET = "cli-test-secret-key-0123456789"
PASSWORD = "a long enough password"
CODE = re.compile(r"^  (\S+) \((\w\w)\): ([2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5})$")


def commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """Every command path of the parser: (), ('db',), ('db', 'upgrade'), ..."""
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += commands(sub, (*prefix, name))
    return found


@pytest.mark.parametrize("path", commands(build_parser()), ids=lambda p: " ".join(p) or "consent")
def test_every_command_has_help(path, capsys):
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: consent{''.join(' ' + p for p in path)}")


def test_the_commands_the_issue_asks_for_exist():
    found = {" ".join(p) for p in commands(build_parser())}
    assert {"serve", "db upgrade", "demo", "corporation create", "staff create", "api-token create",
            "import", "audit verify", "jobs run-due"} <= found  # fmt: skip


def error_line(capsys) -> str:  # type: ignore[no-untyped-def]
    """The single line a failing command writes to stderr."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def env(monkeypatch, database_url, engine):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CONSENT_DATABASE_URL", database_url)
    monkeypatch.setenv("CONSENT_SECRET_KEY", SECRET)
    monkeypatch.delenv("CONSENT_DEMO", raising=False)
    return engine


@pytest.fixture
def acme(env, capsys):  # type: ignore[no-untyped-def]
    assert main(["corporation", "create", "acme", "--name", "Woonstichting Acme"]) == 0
    assert capsys.readouterr().out == "created corporation acme\n"
    return env


def create_staff(
    monkeypatch, email: str, role: str = "broker", password: str = PASSWORD, *extra: str
) -> int:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(
        [
            "staff",
            "create",
            email,
            "--role",
            role,
            "--corporation",
            "acme",
            "--password-stdin",
            *extra,
        ]
    )


def test_without_a_secret_key_commands_refuse_to_run(env, monkeypatch, capsys):
    monkeypatch.delenv("CONSENT_SECRET_KEY")
    assert main(["db", "upgrade"]) == 1
    assert error_line(capsys).startswith("consent: error: CONSENT_SECRET_KEY is not set")
    monkeypatch.setenv("CONSENT_SECRET_KEY", "short")
    assert main(["audit", "verify"]) == 1
    assert "CONSENT_SECRET_KEY is too short" in error_line(capsys)


def test_usage_mistakes_are_one_line_with_exit_2(env, capsys):
    assert main([]) == 2
    assert (
        error_line(capsys)
        == "consent: error: the following arguments are required: COMMAND (see consent --help)"
    )
    assert main(["staff", "create", "a@b.nl", "--role", "boss", "--corporation", "acme"]) == 2
    assert "argument --role: invalid choice: 'boss'" in error_line(capsys)
    assert main(["frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in error_line(capsys)


def test_db_upgrade_is_repeatable(env, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == "database is up to date\n" * 2


def test_corporation_create_refuses_a_duplicate_and_a_bad_slug(acme, capsys):
    assert main(["corporation", "create", "acme", "--name", "Again"]) == 1
    assert error_line(capsys) == "consent: error: corporation 'acme' already exists"
    assert main(["corporation", "create", "Bad Slug", "--name", "X"]) == 1
    assert "must be lower-case letters" in error_line(capsys)


def test_staff_create_reads_the_password_from_stdin_and_stores_an_argon2_hash(
    acme, monkeypatch, capsys
):
    assert create_staff(monkeypatch, "Piet@Acme.example", "project_leader") == 0
    assert capsys.readouterr().out == "created project_leader piet@acme.example\n"
    with new_session(acme) as session:
        user = session.exec(select(StaffUser)).one()
    assert user.password_hash.startswith("$argon2id$") and verify_password(
        user.password_hash, PASSWORD
    )


def test_staff_create_asks_twice_at_a_hidden_prompt(acme, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert (
        main(["staff", "create", "a@acme.example", "--role", "admin", "--corporation", "acme"]) == 1
    )
    assert error_line(capsys) == "consent: error: the passwords are not the same"
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    assert (
        main(["staff", "create", "a@acme.example", "--role", "admin", "--corporation", "acme"]) == 0
    )


@pytest.mark.parametrize(
    ("email", "password", "extra", "message"),
    [("kort@acme.example", "kort", (), "the password needs at least 12 characters"),
     ("geen-adres", PASSWORD, (), "'geen-adres' is not an email address"),
     ("c@acme.example", PASSWORD, ("--complex", "C-404"), "no complex 'C-404' in acme")],
)  # fmt: skip
def test_staff_create_errors_are_one_line(
    acme, monkeypatch, capsys, email, password, extra, message
):
    assert create_staff(monkeypatch, email, "committee", password, *extra) == 1
    assert error_line(capsys) == f"consent: error: {message}"
    with new_session(acme) as session:
        assert session.exec(select(StaffUser)).first() is None


def test_staff_create_refuses_a_duplicate_email_and_an_unknown_corporation(
    acme, monkeypatch, capsys
):
    assert create_staff(monkeypatch, "piet@acme.example") == 0
    capsys.readouterr()
    assert create_staff(monkeypatch, "PIET@acme.example") == 1
    assert error_line(capsys) == "consent: error: piet@acme.example already has an account"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "staff",
                "create",
                "x@y.nl",
                "--role",
                "admin",
                "--corporation",
                "nobody",
                "--password-stdin",
            ]
        )
        == 1
    )
    assert error_line(capsys) == "consent: error: no corporation 'nobody'"


def test_api_token_create_prints_the_token_last_and_keeps_only_its_hash(acme, monkeypatch, capsys):
    create_staff(monkeypatch, "piet@acme.example")
    capsys.readouterr()
    assert main(["api-token", "create", "piet@acme.example"]) == 0
    token = capsys.readouterr().out.splitlines()[-1]
    assert token.startswith("cst_")
    settings = Settings(database_url="", secret_key=SECRET)
    with new_session(acme) as session:
        [row] = session.exec(select(ApiToken)).all()
        assert row.token_hash == keyed_hash(SECRET, token)
        assert token not in row.token_hash
        found = user_for_token(session, settings, token)
        assert found is not None and found.email == "piet@acme.example"
    assert main(["api-token", "create", "nobody@acme.example"]) == 1
    assert error_line(capsys) == "consent: error: no staff account nobody@acme.example"


def test_import_applies_a_good_file(acme, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(csv_text([unit(1), unit(2)]), encoding="utf-8")
    assert main(["import", str(path), "--corporation", "acme"]) == 0
    assert capsys.readouterr().out.strip() == (
        "imported 2 rows: 2 units created, 0 updated, 0 unchanged; 2 tenancies started, 0 ended"
    )
    assert main(["import", str(path), "--corporation", "acme"]) == 0
    assert "0 units created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_import_with_bad_rows_lists_them_and_writes_nothing(acme, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(
        csv_text([unit(1), unit(2, postcode="x"), unit(3, taal="de")]), encoding="utf-8"
    )
    assert main(["import", str(path), "--corporation", "acme"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.splitlines() == [
        "line 3: postcode 'x' is not a Dutch postcode (1234 AB)",
        "line 4: taal 'de' is not one of nl, en, tr, ar, pl, uk",
        "consent: error: 2 bad rows; nothing was imported",
    ]
    with new_session(acme) as session:
        assert session.exec(select(Unit)).first() is None


def test_import_file_problems_are_one_line(acme, tmp_path, capsys):
    missing = tmp_path / "missing.csv"
    assert main(["import", str(missing), "--corporation", "acme"]) == 1
    assert error_line(capsys).startswith("consent: error: [Errno 2] No such file or directory")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(csv_text([unit(1, huurders="Müller")]).encode("latin-1"))
    assert main(["import", str(latin), "--corporation", "acme"]) == 1
    assert re.fullmatch(r"consent: error: the file is not UTF-8 \(byte \d+\)", error_line(capsys))
    good = tmp_path / "good.csv"
    good.write_text(csv_text([unit(1)]), encoding="utf-8")
    assert main(["import", str(good), "--corporation", "nobody"]) == 1
    assert error_line(capsys) == "consent: error: no corporation 'nobody'"


def test_audit_verify_passes_then_names_the_first_tampered_row(acme, monkeypatch, capsys):
    create_staff(monkeypatch, "piet@acme.example")
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    assert re.fullmatch(r"audit chain intact: 2 rows, head [0-9a-f]{64}\n", capsys.readouterr().out)
    with acme.begin() as connection:
        first = connection.execute(text("SELECT min(id) FROM auditevent")).scalar_one()
        connection.execute(
            text("UPDATE auditevent SET details = '{}' WHERE id = :id"), {"id": first}
        )
    assert main(["audit", "verify"]) == 1
    assert (
        error_line(capsys)
        == f"consent: error: audit chain broken: row {first} is the first broken row"
    )


def test_jobs_run_due_runs(env, capsys):
    assert main(["jobs", "run-due"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_serve_starts_uvicorn_with_the_options(env, monkeypatch):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: calls.append((app, options)))
    assert main(["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3"]) == 0
    [(app, options)] = calls
    assert app == "consent.asgi:app"
    assert (options["host"], options["port"], options["workers"]) == ("0.0.0.0", 9000, 3)
    assert (options["loop"], options["http"]) == ("uvloop", "httptools")  # see PERFORMANCE-NOTES


def test_serve_without_a_secret_key_does_not_start(env, monkeypatch, capsys):
    monkeypatch.delenv("CONSENT_SECRET_KEY")
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("must not serve"))
    assert main(["serve"]) == 1
    assert "CONSENT_SECRET_KEY is not set" in error_line(capsys)


def test_demo_loads_prints_sign_ins_and_codes_and_can_run_again(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("CONSENT_DATABASE_URL", url)
    monkeypatch.delenv("CONSENT_SECRET_KEY", raising=False)
    monkeypatch.delenv("CONSENT_DEMO", raising=False)
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("--no-serve must not serve"))
    codes = []
    for _ in range(2):
        assert main(["demo", "--no-serve"]) == 0
        out = capsys.readouterr().out
        for role in ("admin", "project_leader", "broker", "case_worker", "committee"):
            assert re.search(rf"^  {role}\s+\S+@demo\.example  password: \S+$", out, re.M), role
        found = [CODE.match(line) for line in out.splitlines() if CODE.match(line)]
        assert len(found) == 3
        codes.append(found[0].group(3))
    assert codes[0] != codes[1]
    settings = Settings(database_url=url, secret_key=DEMO_SECRET)
    app = create_app(settings)
    with TestClient(app) as browser:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
        assert token is not None
        old = browser.post("/code", data={"code": codes[0], "csrf_token": token.group(1)})
        assert "Deze code werkt niet meer" in old.text  # the second run issued new codes
        new = browser.post("/code", data={"code": codes[1], "csrf_token": token.group(1)})
        assert new.status_code == 200 and new.url.path != "/"
        assert BeautifulSoup(new.text, "html.parser").h1 is not None
    with new_session(app.state.engine) as session:
        assert [c.slug for c in session.exec(select(Corporation))] == ["demo"]
    app.state.engine.dispose()
