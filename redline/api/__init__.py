"""JSON API v1 (see shared API.md): bearer tokens, JSON errors, never a 500."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from redline.api import comments, compare, instruments, openapi, tokens, versions  # noqa: E402,F401 - routes register on bp
