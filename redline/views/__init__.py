"""HTML views: one blueprint per area, thin (parse, call a service, render)."""

from flask import Flask


def register_views(app: Flask) -> None:
    from redline.views import (
        accounts,
        audit,
        auth,
        comments,
        compare,
        consultations,
        editing,
        imports,
        instruments,
        meetings,
        provisions,
        search,
    )

    app.register_blueprint(auth.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(instruments.bp)
    app.register_blueprint(provisions.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(consultations.bp)
    app.register_blueprint(search.bp)
