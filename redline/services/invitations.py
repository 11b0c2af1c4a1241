"""Inviting people: the secretariat names them (one, or many from a CSV); each gets an account
with no usable password and a mail with a single-use link to choose one
(services/account_links.py). The mail is written to the outbox in the same transaction."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from redline.models import User
from redline.services import account_links, accounts, audit
from redline.services.errors import BadInput, Conflict, ServiceError

CSV_COLUMNS = ("name", "email", "role", "category", "organisation")
MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 2000


def _unusable_password() -> str:
    # A hash of a random secret nobody knows: the account exists, but only the link opens it.
    return generate_password_hash(secrets.token_urlsafe(32), method=accounts.HASH_METHOD)


def invite(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    category: str | None = None,
    organisation: str | None = None,
    actor: User | None = None,
) -> User:
    """Create the account and queue its invitation mail (nothing is sent here)."""
    email = accounts.normalise_email(email)
    category = category or None
    accounts.validate_account(email, name or "", role, category, organisation)
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"An account for {email} already exists.")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        category=category,
        organisation=(organisation or "").strip() or None,
        password_hash=_unusable_password(),
    )
    session.add(user)
    session.flush()
    send_invitation(session, user, actor)
    audit.record(session, actor, "user.invite", user, f"{user.email} as {user.role}")
    return user


def send_invitation(session: Session, user: User, actor: User | None) -> None:
    """Queue the invitation mail (again: a new link; earlier ones stay valid until used)."""
    account_links.mail_link(
        session,
        user,
        "invitation",
        "/auth/welcome",
        role=user.role,
        organisation=user.organisation,
        inviter=actor.name if actor else "The treaty secretariat",
        days=max(1, account_links.max_age("invitation") // 86400),
    )


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


def read_csv(data: bytes | str) -> list[CsvRow]:
    """The rows of an invitation CSV (header: name, email, role, category, organisation), each
    with its errors; nothing is written. A file that cannot be read at all is a BadInput."""
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            raise BadInput("The CSV file is too large (1 MB at most).")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadInput("The CSV file must be UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(data))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "email", "role") if c not in header]
    if missing:
        raise BadInput(
            f"The first line must name the columns {', '.join(CSV_COLUMNS)}; "
            f"missing: {', '.join(missing)}."
        )
    reader.fieldnames = header
    rows: list[CsvRow] = []
    seen: dict[str, int] = {}
    for raw in reader:
        if len(rows) >= MAX_CSV_ROWS:
            raise BadInput(f"At most {MAX_CSV_ROWS} people per file.")
        values = {c: (raw.get(c) or "").strip() for c in CSV_COLUMNS}
        row = CsvRow(reader.line_num, values)
        values["email"] = accounts.normalise_email(values["email"])
        values["role"] = values["role"].lower()
        values["category"] = values["category"].lower()
        row.errors.extend(_row_errors(values))
        if values["email"] in seen:
            row.errors.append(f"{values['email']} is also on line {seen[values['email']]}.")
        seen.setdefault(values["email"], row.line)
        rows.append(row)
    if not rows:
        raise BadInput("The CSV file holds no one to invite.")
    return rows


def _row_errors(v: dict[str, str]) -> list[str]:
    """Every error of a row, not only the first: the account rules checked one part at a time
    (the other parts given a valid stand-in), so the secretariat fixes a row in one go."""
    ok_email, ok_name = "someone@example.org", "Someone"
    parts = [
        (v["email"], ok_name, "observer", None, None),
        (ok_email, v["name"], "observer", None, None),
        (ok_email, ok_name, v["role"], v["category"] or None, None),
        (ok_email, ok_name, "observer", None, v["organisation"]),
    ]
    errors = []
    for args in parts:
        try:
            accounts.validate_account(*args)
        except BadInput as error:
            errors.append(error.message)
    return errors


def check_existing(session: Session, rows: list[CsvRow]) -> list[CsvRow]:
    """Add an error to each row whose address already has an account."""
    emails = [r.values["email"] for r in rows]
    taken = set(session.scalars(sa.select(User.email).where(User.email.in_(emails))))
    for row in rows:
        if row.values["email"] in taken:
            row.errors.append(f"An account for {row.values['email']} already exists.")
    return rows


def invite_many(session: Session, rows: list[CsvRow], actor: User | None) -> list[User]:
    """Invite everyone on the list, or nobody: any row with an error refuses the whole file,
    so the secretariat fixes it and uploads again without doubles."""
    check_existing(session, rows)
    bad = [r for r in rows if r.errors]
    if bad:
        raise BadInput(
            "; ".join(f"line {r.line}: {' '.join(r.errors)}" for r in bad[:20])
            + (f"; and {len(bad) - 20} more" if len(bad) > 20 else "")
        )
    invited = []
    for row in rows:
        v = row.values
        try:
            invited.append(
                invite(
                    session,
                    email=v["email"],
                    name=v["name"],
                    role=v["role"],
                    category=v["category"] or None,
                    organisation=v["organisation"] or None,
                    actor=actor,
                )
            )
        except ServiceError as error:
            raise BadInput(f"line {row.line}: {error.message}") from None
    return invited
