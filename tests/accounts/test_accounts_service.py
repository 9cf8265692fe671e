"""Corporations, staff accounts and API tokens through the service layer."""

from __future__ import annotations

import pytest
from sqlmodel import select

from consent.accounts.models import ApiToken, StaffUser
from consent.accounts.service import (
    AccountError,
    create_api_token,
    create_corporation,
    create_staff,
    user_for_token,
)
from consent.db import new_session, session_scope
from consent.security import keyed_hash
from tests.factories import PASSWORD, corporation_with_complex, staff


def make_staff(engine, **changes):  # type: ignore[no-untyped-def]
    fields = {"email": "a@acme.example", "role": "broker", "corporation_slug": "acme",
              "password": PASSWORD, "actor": "test"}  # fmt: skip
    with session_scope(engine) as session:
        return create_staff(session, **{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"email": "geen adres"}, "is not an email address"),
     ({"role": "boss"}, "role must be one of admin, project_leader, broker, case_worker, committee"),
     ({"password": "kort"}, "the password needs at least 12 characters"),
     ({"corporation_slug": "nobody"}, "no corporation 'nobody'"),
     ({"role": "committee", "complex_code": "C-404"}, "no complex 'C-404' in acme")],
)  # fmt: skip
def test_invalid_staff_accounts_are_refused(engine, changes, message):
    corporation_with_complex(engine, "acme", homes=1)
    with pytest.raises(AccountError, match=message):
        make_staff(engine, **changes)


def test_an_email_address_has_one_account_whatever_its_case(engine):
    corporation_with_complex(engine, "acme", homes=1)
    make_staff(engine, email="Piet@Acme.example")
    with pytest.raises(AccountError, match="piet@acme.example already has an account"):
        make_staff(engine, email="piet@acme.EXAMPLE")


def test_a_committee_member_is_tied_to_a_complex(engine):
    world = corporation_with_complex(engine, "acme", homes=1)
    member = make_staff(engine, role="committee", complex_code="C-1")
    assert member.complex_id == world.complex.id


@pytest.mark.parametrize("slug", ["A", "acme corp", "-acme", "a", "x" * 61])
def test_corporation_slugs_are_checked(engine, slug):
    with session_scope(engine) as session, pytest.raises(AccountError, match="must be lower-case"):
        create_corporation(session, slug, "Name", actor="test")


def test_a_corporation_slug_is_unique(engine):
    with session_scope(engine) as session:
        create_corporation(session, "acme", "Acme", actor="test")
    with session_scope(engine) as session, pytest.raises(AccountError, match="already exists"):
        create_corporation(session, "acme", "Acme 2", actor="test")


def test_only_the_hash_of_an_api_token_is_kept(engine, settings):
    corporation_with_complex(engine, "acme", homes=1)
    user = staff(engine, "acme", "admin")
    with session_scope(engine) as session:
        token = create_api_token(session, settings, user.email, actor="test")
    assert token.startswith("cst_") and len(token) > 40
    with new_session(engine) as session:
        [row] = session.exec(select(ApiToken)).all()
        assert row.token_hash == keyed_hash(settings.secret_key, token) != token
        assert token not in row.token_hash
        found = user_for_token(session, settings, token)
        assert found is not None and found.id == user.id
        assert user_for_token(session, settings, token + "x") is None
        assert session.exec(select(StaffUser)).first() is not None


def test_a_token_for_an_unknown_account_is_refused(engine, settings):
    with session_scope(engine) as session, pytest.raises(AccountError, match="no staff account"):
        create_api_token(session, settings, "nobody@acme.example", actor="test")
