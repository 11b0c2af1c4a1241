"""Commit with retries when a concurrent writer got there first."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

T = TypeVar("T")

# Constraint whose violation means "someone saved a version of this provision first".
RACE_MARKERS = ("uq_versions_parent_id", "versions.parent_id", "database is locked")


def _is_race(error: Exception) -> bool:
    text = str(getattr(error, "orig", error))
    return any(marker in text for marker in RACE_MARKERS)


def commit_with_retry(session: Session, work: Callable[[], T], attempts: int = 10) -> T:
    """Run `work` and commit; if a concurrent save won the race, roll back and run it again
    on the new head (so the merge sees the other person's words)."""
    for attempt in range(attempts):
        try:
            result = work()
            session.commit()
            return result
        except (IntegrityError, OperationalError) as e:
            session.rollback()
            if attempt == attempts - 1 or not _is_race(e):
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")
