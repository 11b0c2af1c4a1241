"""Drafting commands: import-text, consultations. Registered by redline.cli."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Filled in as the drafting features land."""
