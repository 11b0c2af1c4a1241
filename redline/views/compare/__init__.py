"""Comparing: redlines on screen (pages.py) and as Word downloads (downloads.py), one
blueprint (common.py), the on-screen display helpers (display.py)."""

from redline.views.compare import downloads, pages  # noqa: F401 - their routes register on bp
from redline.views.compare.common import bp

__all__ = ["bp"]
