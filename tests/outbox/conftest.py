"""Outbox fixtures: a tiny SMTP server on 127.0.0.1, a corporation, test-only templates."""

from __future__ import annotations

import base64
import dataclasses
import socketserver
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from sqlalchemy.engine import Engine

from consent.accounts.service import create_corporation
from consent.db import session_scope
from consent.outbox import sender
from consent.settings import Settings
from consent.templating import make_environment

TEST_TEMPLATES = Path(__file__).parent / "templates"


class StubSmtp(socketserver.ThreadingTCPServer):
    """Enough ESMTP for smtplib: EHLO, STARTTLS (refused), AUTH PLAIN, MAIL, RCPT, DATA."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.reject: dict[str, int] = {}  # recipient -> reply code for RCPT
        self.credentials: tuple[str, str] | None = None  # require AUTH when set
        self.offer_starttls = False
        self.data_delay = 0.0

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def emails(self) -> list[EmailMessage]:
        with self.lock:
            return [email for _sender, _rcpts, email in self.received]


class _Session(socketserver.StreamRequestHandler):
    server: StubSmtp

    def reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

    def handle(self) -> None:
        try:
            self._dialogue()
        except (ConnectionError, OSError):
            return

    def _dialogue(self) -> None:
        stub = self.server
        self.reply("220 stub ESMTP")
        mail_from, rcpts, authed = "", [], stub.credentials is None
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb, _, arg = command.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                extensions = ["8BITMIME", "SIZE 10000000"]
                if stub.offer_starttls:
                    extensions.append("STARTTLS")
                if stub.credentials:
                    extensions.append("AUTH PLAIN")
                self.reply(
                    "250-stub", *[f"250-{e}" for e in extensions[:-1]], f"250 {extensions[-1]}"
                )
            elif verb == "HELO" or verb == "NOOP":
                self.reply("250 ok")
            elif verb == "STARTTLS":
                self.reply("454 TLS not available")
            elif verb == "AUTH":
                _plain, _, blob = arg.partition(" ")
                _authzid, user, password = base64.b64decode(blob).decode().split("\0")
                authed = (user, password) == stub.credentials
                self.reply("235 ok" if authed else "535 authentication failed")
            elif verb == "MAIL":
                if not authed:
                    self.reply("530 authentication required")
                    continue
                mail_from, rcpts = arg.partition(":")[2].split()[0].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                address = arg.partition(":")[2].strip().strip("<>")
                code = stub.reject.get(address)
                if code:
                    self.reply(f"{code} <{address}>: recipient rejected")
                else:
                    rcpts.append(address)
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                time.sleep(stub.data_delay)
                email = message_from_bytes(data, policy=policy.default)
                with stub.lock:
                    stub.received.append((mail_from, rcpts, email))  # type: ignore[arg-type]
                self.reply("250 queued")
            elif verb == "RSET":
                mail_from, rcpts = "", []
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtp_server() -> Iterator[StubSmtp]:
    server = StubSmtp()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def smtp_settings(settings: Settings, smtp_server: StubSmtp) -> Settings:
    return dataclasses.replace(
        settings,
        mail_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        mail_from="consent@corporatie.example",
    )


@pytest.fixture
def test_env() -> Environment:
    """The app's environment, with tests/outbox/templates/emails/ in front."""
    env = make_environment()
    assert env.loader is not None
    env.loader = ChoiceLoader([FileSystemLoader(TEST_TEMPLATES), env.loader])
    return env


@pytest.fixture
def use_test_templates(monkeypatch: pytest.MonkeyPatch, test_env: Environment) -> Environment:
    monkeypatch.setattr(sender, "environment", lambda: test_env)
    return test_env


@pytest.fixture
def corporation_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        corporation = create_corporation(session, "acme", "Acme Wonen", actor="test")
        assert corporation.id is not None
        return corporation.id


@pytest.fixture
def other_corporation_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        corporation = create_corporation(session, "other", "Other Wonen", actor="test")
        assert corporation.id is not None
        return corporation.id


@pytest.fixture
def queue(engine: Engine, corporation_id: int):  # type: ignore[no-untyped-def]
    """queue(recipient, language=..., template=..., channel=..., corporation_id=...) -> id."""
    from consent.outbox.service import enqueue

    def add(recipient: str, **options: object) -> int:
        fields: dict = {
            "language": "nl",
            "template": "outbox_lang",
            "corporation_id": corporation_id,
        }
        fields.update(options)
        context = fields.pop("context", {"name": "Jan", "raw": ""})
        with session_scope(engine) as session:
            message = enqueue(session, recipient=recipient, context=context, **fields)
            assert message.id is not None
            return message.id

    return add
