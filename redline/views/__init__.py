"""HTML views: one blueprint per area, thin (parse, call a service, render)."""

from flask import Flask


def register_views(app: Flask) -> None:
    from redline.views import (
        accounts,
        audit,
        auth,
        brackets,
        comments,
        compare,
        consultations,
        editing,
        help,
        imports,
        instruments,
        invitations,
        meetings,
        notifications,
        password_links,
        presence,
        provisions,
        search,
    )

    app.register_blueprint(auth.bp)
    app.register_blueprint(password_links.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(invitations.bp)
    app.register_blueprint(instruments.bp)
    app.register_blueprint(provisions.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(consultations.bp)
    app.register_blueprint(brackets.bp)
    app.register_blueprint(help.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(presence.bp)
    app.register_blueprint(search.bp)
