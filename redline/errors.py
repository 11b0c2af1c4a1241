"""Error answers: JSON under /api/, an HTML page elsewhere; never a bare traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from redline.extensions import db
from redline.services.errors import ServiceError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
    500: "server_error",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str, code: str | None = None, **extra):
    code = code or CODES.get(status, "error")
    if wants_json():
        body = {"error": code, "message": message, **extra}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(e: ServiceError):
        db.session.rollback()
        return error_response(e.status, e.message, e.code, **e.extra)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if e.code and e.code >= 500:
            db.session.rollback()
        status = e.code or 500
        message = e.description or "Something went wrong."
        if status == 413:
            message = "The request is too large. " + (
                "" if "too large" in message.lower() else "Send a smaller file or text."
            )
        response = error_response(status, message)
        if status == 405 and hasattr(e, "valid_methods") and e.valid_methods:
            resp, code = response
            resp = app.make_response((resp, code))
            resp.headers["Allow"] = ", ".join(e.valid_methods)
            return resp
        return response

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        # Log the real cause for the operators; tell the user something true but not internal.
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_response(
            500, InternalServerError.description or "Internal error; nothing was saved."
        )
