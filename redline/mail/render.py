"""Mail templates: `templates/mail/<name>.subject.txt`, `<name>.txt` and `<name>.html`.

Localisable: every word of a mail is in its templates, none in Python; a translation is a copy
of the three files under `templates/mail/<language>/`, picked when `language` is given (the
English files are the fallback)."""

from __future__ import annotations

from flask import current_app, render_template
from jinja2 import TemplateNotFound


def _render(template: str, language: str | None, **context) -> str:
    if language:
        try:
            return render_template(f"mail/{language}/{template}", **context)
        except TemplateNotFound:
            pass
    return render_template(f"mail/{template}", **context)


def public_url(path: str) -> str:
    """An absolute link for a mail: PUBLIC_URL + path (mails are not sent from a request)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def render_mail(mail: str, language: str | None = None, **context) -> tuple[str, str, str]:
    """(subject, plain text, html) of one mail."""
    subject = _render(f"{mail}.subject.txt", language, **context).strip()
    text = _render(f"{mail}.txt", language, **context)
    html = _render(f"{mail}.html", language, subject=subject, **context)
    return subject, text, html
