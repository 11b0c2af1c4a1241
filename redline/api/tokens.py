"""POST /api/v1/auth/token: trade an e-mail and password for a bearer token."""

from __future__ import annotations

from flask import jsonify

from redline.api.blueprint import bp
from redline.api.common import field, json_body
from redline.extensions import db
from redline.security import credentials_checked
from redline.services import accounts
from redline.services.errors import ServiceError


class BadCredentials(ServiceError):
    status = 401
    code = "unauthorized"


@bp.post("/auth/token")
def issue_token():
    """A new API token for valid credentials (throttled like the login form)."""
    data = json_body()
    email = field(data, "email", str)
    password = field(data, "password", str)
    user = credentials_checked(email, password)
    if user is None:
        raise BadCredentials("Wrong e-mail or password, or the account is deactivated.")
    token = accounts.issue_token(db.session, user)
    db.session.commit()
    return jsonify({"token": token}), 201
