"""Errors the use cases raise; the web layer turns each into its HTTP status and message."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # a more precise machine-readable code, e.g. "no_open_meeting"
        self.extra = extra


class BadInput(ServiceError):
    status = 400
    code = "bad_request"


class NotAllowed(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


class Unprocessable(ServiceError):
    status = 422
    code = "unprocessable"
