"""Demo instruments: imported with the real importer once it lands."""

from __future__ import annotations


def ensure_instruments(session, users, progress) -> None:
    del session, users, progress
