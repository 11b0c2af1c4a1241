"""The API's blueprint, in its own module so the route modules need not import the package."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
