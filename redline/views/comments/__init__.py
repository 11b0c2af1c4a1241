"""Comments in the browser: the margin and posting (threads.py), acting on a comment
(actions.py), one blueprint (common.py)."""

from redline.views.comments import actions, threads  # noqa: F401 - their routes register on bp
from redline.views.comments.common import bp

__all__ = ["bp"]
