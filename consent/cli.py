"""The `consent` command: one entry point for serving, set-up and jobs."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from consent.settings import ConfigError, Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Handler = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """Printed as one line, exit code 1."""


def _settings(demo: bool = False) -> Settings:
    return Settings.from_env(demo=demo)


@contextmanager
def _engine(settings: Settings) -> Iterator[Engine]:
    from consent.db import make_engine

    engine = make_engine(settings.database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    _settings(demo=os.environ.get("CONSENT_DEMO") == "1")  # fail early without a secret key
    uvicorn.run(
        "consent.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from consent.migrate import upgrade

    with _engine(_settings()) as engine:
        upgrade(engine)
    print("database is up to date")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from consent.demo import load_demo

    os.environ["CONSENT_DEMO"] = "1"
    settings = _settings(demo=True)
    for line in load_demo(settings):
        print(line)
    if args.no_serve:
        return 0
    print(f"serving on http://{args.host}:{args.port} (Ctrl+C stops)")
    args.workers = 1
    return cmd_serve(args)


def cmd_corporation_create(args: argparse.Namespace) -> int:
    from consent.accounts.service import create_corporation
    from consent.db import session_scope

    with _engine(_settings()) as engine, session_scope(engine) as session:
        corporation = create_corporation(session, args.slug, args.name, actor="cli")
    print(f"created corporation {corporation.slug}")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise CommandError("the passwords are not the same")
    return first


def cmd_staff_create(args: argparse.Namespace) -> int:
    from consent.accounts.service import create_staff
    from consent.db import session_scope

    settings = _settings()
    password = _read_password(args.password_stdin)
    with _engine(settings) as engine, session_scope(engine) as session:
        user = create_staff(
            session,
            email=args.email,
            role=args.role,
            corporation_slug=args.corporation,
            password=password,
            actor="cli",
            name=args.name or "",
            complex_code=args.complex,
        )
    print(f"created {user.role} {user.email}")
    return 0


def cmd_staff_deactivate(args: argparse.Namespace) -> int:
    from consent.accounts.service import deactivate_staff
    from consent.db import session_scope

    with _engine(_settings()) as engine, session_scope(engine) as session:
        user = deactivate_staff(session, args.email, actor="cli")
    print(f"deactivated {user.email}: signed out everywhere, API tokens no longer work")
    return 0


def cmd_api_token_create(args: argparse.Namespace) -> int:
    from consent.accounts.service import create_api_token
    from consent.db import session_scope

    settings = _settings()
    with _engine(settings) as engine, session_scope(engine) as session:
        token = create_api_token(session, settings, args.email, actor="cli")
    print("The token is shown once. Keep it secret:")
    print(token)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from consent.housing.importer import import_file

    settings = _settings()
    with _engine(settings) as engine:
        result = import_file(engine, Path(args.file), args.corporation, actor="cli")
    if result.errors:
        for error in result.errors:
            print(f"line {error.line}: {error.reason}", file=sys.stderr)
        raise CommandError(f"{len(result.errors)} bad rows; nothing was imported")
    print(result.summary())
    return 0


def cmd_audit_verify(_args: argparse.Namespace) -> int:
    from consent.audit.service import verify
    from consent.db import new_session

    with _engine(_settings()) as engine, new_session(engine) as session:
        report = verify(session)
    if report.first_broken_id is not None:
        where = (
            "the chain ends before its head"
            if report.first_broken_id < 0
            else (f"row {report.first_broken_id} is the first broken row")
        )
        raise CommandError(f"audit chain broken: {where}")
    print(f"audit chain intact: {report.rows} rows, head {report.last_hash}")
    return 0


def cmd_jobs_run_due(_args: argparse.Namespace) -> int:
    from consent.jobs import run_due

    settings = _settings()
    with _engine(settings) as engine:
        lines = run_due(engine, settings)
    for line in lines:
        print(line)
    return 0


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line too (with a pointer to --help), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="consent", description=__doc__)
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def add(name: str, handler: Handler, help_text: str, into=sub):  # type: ignore[no-untyped-def]
        command = into.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    def server_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8000)

    serve = add("serve", cmd_serve, "Serve the web application with uvicorn")
    server_options(serve)
    serve.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")

    db = sub.add_parser("db", help="Database commands").add_subparsers(
        dest="db_command", required=True, metavar="COMMAND"
    )
    add("upgrade", cmd_db_upgrade, "Apply all database migrations", into=db)

    demo = add("demo", cmd_demo, "Create a demo database with sample data and serve it")
    server_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="only load the demo data")

    corporation = sub.add_parser("corporation", help="Corporations").add_subparsers(
        dest="corporation_command", required=True, metavar="COMMAND"
    )
    create_corp = add("create", cmd_corporation_create, "Create a corporation", into=corporation)
    create_corp.add_argument("slug")
    create_corp.add_argument("--name", required=True)

    staff = sub.add_parser("staff", help="Staff accounts").add_subparsers(
        dest="staff_command", required=True, metavar="COMMAND"
    )
    create_staff = add("create", cmd_staff_create, "Create a staff account", into=staff)
    create_staff.add_argument("email")
    create_staff.add_argument(
        "--role",
        required=True,
        choices=["admin", "project_leader", "broker", "case_worker", "committee"],
    )
    create_staff.add_argument("--corporation", required=True, metavar="SLUG")
    create_staff.add_argument("--name", help="display name")
    create_staff.add_argument("--complex", metavar="CODE", help="committee members: their complex")
    create_staff.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    deactivate = add(
        "deactivate",
        cmd_staff_deactivate,
        "Switch a staff account off and sign it out",
        into=staff,
    )
    deactivate.add_argument("email")

    token = sub.add_parser("api-token", help="API tokens").add_subparsers(
        dest="token_command", required=True, metavar="COMMAND"
    )
    create_token = add("create", cmd_api_token_create, "Create an API bearer token", into=token)
    create_token.add_argument("email")

    import_ = add("import", cmd_import, "Import a housing register CSV (all or nothing)")
    import_.add_argument("file", metavar="FILE.csv")
    import_.add_argument("--corporation", required=True, metavar="SLUG")

    audit = sub.add_parser("audit", help="Audit log").add_subparsers(
        dest="audit_command", required=True, metavar="COMMAND"
    )
    add("verify", cmd_audit_verify, "Check the audit log's hash chain", into=audit)

    jobs = sub.add_parser("jobs", help="Background jobs").add_subparsers(
        dest="jobs_command", required=True, metavar="COMMAND"
    )
    add("run-due", cmd_jobs_run_due, "Send due notifications and run due jobs", into=jobs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code is returned (0 ok, 1 failed, 2 usage mistake)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage mistake already printed on one line
        return exc.code if isinstance(exc.code, int) else 1
    try:
        return int(args.handler(args))
    except (CommandError, ConfigError, ValueError, OSError) as exc:
        print(f"consent: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"consent: error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
