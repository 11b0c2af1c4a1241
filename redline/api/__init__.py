"""JSON API v1 (see shared API.md): bearer tokens, JSON errors, never a 500."""

# The route modules register on bp as they are imported.
from redline.api import (  # noqa: F401
    brackets,
    comments,
    compare,
    history,
    instruments,
    openapi,
    search,
    tokens,
    versions,
)
from redline.api.blueprint import bp

__all__ = ["bp"]
