"""Inviting people by e-mail (secretariat): one person, or many from a CSV file shown first as
a preview with an error per bad row. Nobody is invited from a file that holds an error."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from redline.extensions import db
from redline.models import CATEGORIES, ROLES
from redline.security import role_required
from redline.services import invitations, policy
from redline.services.errors import BadInput, ServiceError
from redline.web.failures import refused_with

bp = Blueprint("invitations", __name__, url_prefix="/accounts/invite")


def _page(status: int = 200, **extra):
    page = render_template(
        "accounts/invite.html",
        roles=ROLES,
        categories=CATEGORIES,
        columns=invitations.CSV_COLUMNS,
        **extra,
    )
    return page, status


def _refused(error: ServiceError):
    return _page(error.status, error=error.message, form=request.form)


@bp.get("/")
@role_required(policy.manages)
def index():
    """The invitation forms: one person, or a CSV file."""
    return _page()


@bp.post("/")
@role_required(policy.manages)
def invite_one():
    """Invite one person: the account is created and the mail queued in one transaction."""
    f = request.form
    with refused_with(_refused):
        user = invitations.invite(
            db.session,
            email=f.get("email", ""),
            name=f.get("name", ""),
            role=f.get("role", ""),
            category=f.get("category") or None,
            organisation=f.get("organisation") or None,
            actor=current_user,
        )
        db.session.commit()
    flash(f"Invitation sent to {user.email}.", "success")
    return redirect(url_for("invitations.index"))


@bp.post("/preview")
@role_required(policy.manages)
def preview():
    """Read the uploaded CSV and show each row with its errors; nothing is written."""
    upload = request.files.get("file")
    data = b""
    if upload:
        with upload.stream:  # a big upload is spooled to a temporary file: close it now
            data = upload.stream.read(invitations.MAX_CSV_BYTES + 1)
    with refused_with(_refused):
        rows = invitations.check_existing(db.session, invitations.read_csv(data))
    carried = base64.b64encode(data).decode()
    return _page(rows=rows, payload=carried, bad=sum(1 for r in rows if r.errors))


@bp.post("/send")
@role_required(policy.manages)
def send_many():
    """Invite everyone in the previewed file, or nobody if a row is wrong."""
    with refused_with(_refused):
        data = _carried(request.form.get("payload", ""))
        invited = invitations.invite_many(
            db.session, invitations.read_csv(data), actor=current_user
        )
        db.session.commit()
    flash(f"{len(invited)} invitation(s) sent.", "success")
    return redirect(url_for("accounts.index"))


def _carried(payload: str) -> bytes:
    try:
        return base64.b64decode(payload.encode(), validate=True)
    except (binascii.Error, ValueError):
        raise BadInput("The previewed file did not come back intact; upload it again.") from None
