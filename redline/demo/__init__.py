"""The demo data set: real texts with real drafting histories, one account per role.

Texts are copied word for word from the shared data folder (texts/SOURCES.md says where each
comes from); each file's `# source:` line is kept and shown as the meeting's source.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.models import User
from redline.services import accounts

# Demo passwords are printed by `make run`; they are demo content, not secrets.
DEMO_ACCOUNTS = [
    dict(
        email="secretariat@demo.redline",
        name="Sam Secretariat",
        role="secretariat",
        password="demo-secretariat",
    ),
    dict(
        email="drafter@demo.redline", name="Dana Drafter", role="drafter", password="demo-drafter"
    ),
    dict(
        email="drafter2@demo.redline",
        name="Dario Drafter",
        role="drafter",
        password="demo-drafter2",
    ),
    dict(
        email="civil@demo.redline",
        name="Cleo Civil",
        role="stakeholder",
        category="civil_society",
        organisation="Digital Rights Watch (demo)",
        password="demo-civil",
    ),
    dict(
        email="dpa@demo.redline",
        name="Dora Protection",
        role="stakeholder",
        category="data_protection",
        organisation="Data Protection Authority (demo)",
        password="demo-dpa",
    ),
    dict(
        email="industry@demo.redline",
        name="Ivan Industry",
        role="stakeholder",
        category="industry",
        organisation="Service Providers Association (demo)",
        password="demo-industry",
    ),
    dict(
        email="observer@demo.redline",
        name="Olga Observer",
        role="observer",
        password="demo-observer",
    ),
]


def ensure_accounts(session: Session) -> dict[str, User]:
    made = {}
    for spec in DEMO_ACCOUNTS:
        user = session.scalar(sa.select(User).where(User.email == spec["email"]))
        if user is None:
            user = accounts.create_user(session, **spec)
        made[spec["email"]] = user
    session.flush()
    return made


def load_demo(session: Session, progress: Callable[[str], None] = lambda _m: None) -> list[dict]:
    """Load everything that is missing; running it twice changes nothing."""
    users = ensure_accounts(session)
    from redline.demo.instruments import ensure_instruments

    ensure_instruments(session, users, progress)
    return [
        {"role": s["role"], "email": s["email"], "password": s["password"]} for s in DEMO_ACCOUNTS
    ]
