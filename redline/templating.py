"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from redline.models import (
    CATEGORY_LABELS,
    DISPOSITION_LABELS,
    MEETING_KIND_LABELS,
)


def when(value: datetime | date | None) -> str:
    """'2026-11-28 20:31 UTC': drafters sit in many time zones, so say which one."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["when"] = when
    from redline.views import notes_markup

    notes_markup.init_app(app)
    app.jinja_env.globals.update(
        CATEGORY_LABELS=CATEGORY_LABELS,
        DISPOSITION_LABELS=DISPOSITION_LABELS,
        MEETING_KIND_LABELS=MEETING_KIND_LABELS,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
