"""POST /api/v1/auth/token: trade an e-mail and password for a bearer token."""

from __future__ import annotations

from redline.api.blueprint import bp
from redline.api.contract import body, endpoint, respond
from redline.api.schemas import Error, Token, TokenRequest
from redline.extensions import db
from redline.security import credentials_checked
from redline.services import accounts
from redline.services.errors import ServiceError


class BadCredentials(ServiceError):
    status = 401
    code = "unauthorized"


@bp.post("/auth/token")
@endpoint(
    "Trade an e-mail and password for a bearer token",
    body=TokenRequest,
    responses={201: Token, 429: Error},
    errors=(400, 401, 413),
    public=True,
)
def issue_token():
    """A new API token for valid credentials (throttled like the login form)."""
    sent = body()
    user = credentials_checked(sent.email, sent.password)
    if user is None:
        raise BadCredentials("Wrong e-mail or password, or the account is deactivated.")
    token = accounts.issue_token(db.session, user)
    db.session.commit()
    return respond(Token(token=token), 201)
