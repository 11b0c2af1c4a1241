"""First steps: a short guide for each kind of person, reachable from the header."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from redline.security import role_required

bp = Blueprint("help", __name__)

ROLES = ("secretariat", "drafter", "stakeholder", "observer")


@bp.get("/help")
@role_required()
def first_steps():
    """The reader's own role first, then the others (people ask how colleagues work too)."""
    order = [current_user.role, *(r for r in ROLES if r != current_user.role)]
    return render_template("help/first_steps.html", order=order)
