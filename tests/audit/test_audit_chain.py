"""The audit log: masked details, a hash chain that verifies, and no forks under load."""

from __future__ import annotations

import json
import threading

from sqlalchemy import delete, text, update
from sqlmodel import col, select

from consent.audit.models import AuditEvent, AuditHead
from consent.audit.service import mask, masked, record, verify
from consent.db import new_session, session_scope


def write(engine, n: int, actor: str = "test") -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        with session_scope(engine) as session:
            record(session, actor=actor, action="test.done", object_type="thing", object_id=i,
                   corporation_id=None, details={"n": i})  # fmt: skip


def ids(engine) -> list[int]:  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        return [e.id or 0 for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]


def report(engine):  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        return verify(session)


def test_personal_details_are_masked_and_secrets_hidden():
    assert mask("Jansen, P.") == "J*****, P."
    details = masked({
        "email": "p.jansen@example.nl", "tenant_name": "Yilmaz", "names": ["Ali", "Eva"],
        "nested": {"phone": "0612345678", "count": 3}, "password": "hunter22", "code": "ABCDE",
        "api_token": "cst_x", "code_id": 12, "complex_code": "C-1", "purpose": "proposal",
        "empty_email": "",
    })  # fmt: skip
    assert details == {
        "email": "p.j*****@e******.n*", "tenant_name": "Y*****", "names": ["A**", "E**"],
        "nested": {"phone": "0*********", "count": 3}, "password": "[hidden]", "code": "[hidden]",
        "api_token": "[hidden]", "code_id": 12, "complex_code": "C-1", "purpose": "proposal",
        "empty_email": "",
    }  # fmt: skip


def test_record_stores_masked_details(engine):
    with session_scope(engine) as session:
        event = record(session, actor="staff:1", action="staff.created", object_type="staff",
                       object_id=4, corporation_id=None,
                       details={"email": "piet@acme.example", "role": "broker"})  # fmt: skip
    stored = json.loads(event.details)
    assert stored == {"email": "p***@a***.e******", "role": "broker"}
    assert "piet" not in event.details


def test_the_chain_verifies_and_ends_at_the_head(engine):
    write(engine, 5)
    result = report(engine)
    assert (result.rows, result.first_broken_id) == (5, None)
    with new_session(engine) as session:
        head = session.get(AuditHead, 1)
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert head is not None and last is not None
    assert result.last_hash == head.last_hash == last.hash


def test_a_changed_row_is_named_as_the_first_broken_row(engine):
    write(engine, 6)
    third = ids(engine)[2]
    with engine.begin() as connection:
        connection.execute(text("UPDATE auditevent SET details = :d WHERE id = :id"),
                           {"d": '{"n": 99}', "id": third})  # fmt: skip
    assert report(engine).first_broken_id == third


def test_a_deleted_row_breaks_the_chain_at_the_next_row(engine):
    write(engine, 4)
    second, third = ids(engine)[1:3]
    with session_scope(engine) as session:
        session.execute(delete(AuditEvent).where(col(AuditEvent.id) == second))
    assert report(engine).first_broken_id == third


def test_removing_the_newest_rows_is_noticed_by_the_head(engine):
    write(engine, 3)
    with session_scope(engine) as session:
        session.execute(delete(AuditEvent).where(col(AuditEvent.id) == ids(engine)[-1]))
    assert report(engine).first_broken_id == -1


def test_a_rewritten_hash_does_not_hide_a_change(engine):
    write(engine, 3)
    first = ids(engine)[0]
    with session_scope(engine) as session:
        session.execute(update(AuditEvent).where(col(AuditEvent.id) == first).values(hash="f" * 64))
    assert report(engine).first_broken_id == first


def test_concurrent_writers_keep_one_unbroken_chain(engine):
    threads, per_thread = 6, 15
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            write(engine, per_thread, actor=f"worker:{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    started = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    assert errors == []
    result = report(engine)
    assert (result.rows, result.first_broken_id) == (threads * per_thread, None)
    with new_session(engine) as session:
        events = session.exec(select(AuditEvent)).all()
    assert len({e.prev_hash for e in events}) == len(events)
    assert {e.actor for e in events} == {f"worker:{n}" for n in range(threads)}
