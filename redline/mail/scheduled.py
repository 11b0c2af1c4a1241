"""Work that `flask notifications send` runs before sending: each hook writes mails to the
outbox (deadline reminders, digests, announcements from the notify side). A hook must be
idempotent (idempotency keys), since the command may run twice at once or twice in a row.

Other modules register a hook with `@scheduled` (the notify helper's kinds do)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

HOOKS: list[Callable[[Session], object]] = []


def scheduled(hook: Callable[[Session], object]) -> Callable[[Session], object]:
    HOOKS.append(hook)
    return hook


def run_scheduled(session: Session) -> None:
    for hook in HOOKS:
        hook(session)
        session.commit()
