"""Move-on and senior-broker sign-ups, the brokers' caseload, programmes and reporting.

A tenant reaches the sign-up with a personal code of purpose ``Purpose.MOVING`` whose
``object_id`` is the tenancy id (see ``service.issue_code``); the landing route
``moving_signup`` is registered in ``routes.py``. Without a code a tenant uses
``moving_signup_start``; a broker links that sign-up to a tenancy later.
"""
