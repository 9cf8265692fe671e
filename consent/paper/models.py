"""Paper and home-visit ballots as staff entered them, before and after they count.

A returned form is entered once (``PaperEntry``). With the corporation's four-eyes
setting on, it waits (``pending``) until a second, different staff member confirms it;
only then is it cast through ``consent.proposals.voting.cast_ballot``. Without the
setting it is cast at once. The scan of the signed form, if any, is kept with it until
the retention job deletes it (``consent.paper.retention``); the entry itself stays.

A request for letters (``LetterRun``) is made by a background job: the PDF is stored
until someone confirms that the letters are printed and posted (see ``consent.paper.runs``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from consent.timeutil import utcnow


class PaperEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    channel: str = Field(max_length=12)  # paper | home_visit
    choice: str = Field(max_length=10)  # agree | disagree
    signed_on: date
    cast_at: datetime  # the moment cast_ballot gets (see rules.cast_moment)
    status: str = Field(default="pending", max_length=12, index=True)  # pending|recorded|rejected
    counted: bool | None = None  # after recording: did it become the counted ballot?
    receipt: str = Field(default="", max_length=20)  # the BallotEvent's receipt
    entered_by: int = Field(foreign_key="staffuser.id")
    entered_at: datetime = Field(default_factory=utcnow)
    decided_by: int | None = Field(default=None, foreign_key="staffuser.id")
    decided_at: datetime | None = None
    reject_reason: str = Field(default="", max_length=500)
    scan_name: str = Field(default="", max_length=80)  # stored file name under upload_dir/paper
    scan_type: str = Field(default="", max_length=40)
    scan_size: int = 0
    scan_deleted_at: datetime | None = None  # the scan was deleted after the retention period


class LetterRun(SQLModel, table=True):
    """Letters asked for by staff, made in the background into one stored PDF.

    ``kind``: all (every eligible household), reminder (who did not vote yet), one (one
    household, ``params`` tenancy_id and language) or queued (letters waiting in the
    outbox, ``params`` message_ids and templates). ``status``: queued, running, ready,
    failed, posted (printed and posted, the PDF deleted) or expired (the PDF was deleted
    unposted). ``error`` is a key of ``consent.paper.runs.ERRORS``, never free text.
    """

    id: int | None = Field(default=None, primary_key=True)
    corporation_id: int = Field(foreign_key="corporation.id", index=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    kind: str = Field(max_length=10)
    params: str = "{}"
    status: str = Field(default="queued", max_length=10, index=True)
    error: str = Field(default="", max_length=20)
    letters: int = 0  # expected when asked, made when ready
    attempts: int = 0
    requested_by: int = Field(foreign_key="staffuser.id")
    requested_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    claimed_by: str = Field(default="", max_length=32)
    claimed_until: datetime | None = None
    file_name: str = Field(default="", max_length=80)  # under upload_dir/letters
    file_size: int = 0
    downloads: int = 0
    first_downloaded_at: datetime | None = None
    posted_by: int | None = Field(default=None, foreign_key="staffuser.id")
    posted_at: datetime | None = None
