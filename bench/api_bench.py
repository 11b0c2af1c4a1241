"""Benchmark: what the API's models cost, measured in one run on a temporary SQLite database.

    .venv/bin/python bench/api_bench.py [--provisions N] [--repeat R]

The text of an instrument of N provisions (default 1,000, about 700 characters each, every
tenth with a footnote), answered two ways:

1. Serialise: the answer body built as pydantic models and written by pydantic (what
   `GET /api/v1/instruments/<iid>/text` does) against plain dicts written by `jsonify` (what it
   did before the models, kept here only for the comparison). Same objects in, same JSON out.
2. Request: the whole GET through the app (token check, queries, serialisation) against the
   same route answering with the plain-dict path. Target: the models at most 10% slower.

Best of R runs each (default 41), the two sides interleaved so a change in the machine's load
hits both; under heavy load (other jobs on both cores) single ratios still swing: rerun.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import jsonify  # noqa: E402
from flask_login import current_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from config import TestConfig  # noqa: E402
from redline import create_app  # noqa: E402
from redline.api.contract import endpoint, respond  # noqa: E402
from redline.api.instruments import text_provision  # noqa: E402
from redline.api.schemas import Comparison, InstrumentText  # noqa: E402
from redline.domain.drafts.reading import parse_draft  # noqa: E402
from redline.domain.text.redline import ops_to_json, stats  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.models import Meeting  # noqa: E402
from redline.security import role_required  # noqa: E402
from redline.services import access, accounts, imports, redlines, texts  # noqa: E402

WORDS = (
    "Each Party shall adopt such legislative and other measures as may be necessary to empower "
    "its competent authorities to issue an order to a service provider in its territory for the "
    "disclosure of specified stored subscriber information"
).split()


def draft(n: int, revised: bool = False) -> str:
    """n articles of about 700 characters; every tenth carries a footnote. `revised`: every
    third article has a few words changed (the next meeting's draft)."""
    out = []
    for i in range(n):
        words = [WORDS[(i + k) % len(WORDS)] for k in range(110)]
        if revised and i % 3 == 0:
            words[5:8] = ["a", "revised", "passage", "here"]
        text = " ".join(words) + "."
        if i % 10 == 0:
            text += f"[^{i}]\n\n[^{i}]: A note on article {i + 1}."
        out.append(f"Article {i + 1} – Heading {i + 1}\n\n{text}")
    return "\n\n".join(out) + "\n"


def plain_body(meeting, versions) -> dict:
    """The answer as the API built it before the models: dicts for jsonify."""
    return {
        "meeting_id": meeting.id,
        "provisions": [
            {
                "id": v.provision_id,
                "number": v.number,
                "heading": v.heading,
                "kind": v.kind,
                "version_id": v.id,
                "text": v.text,
                "notes": [
                    {"marker": n["marker"], "text": n["text"], "kind": n.get("kind") or "footnote"}
                    for n in (v.notes or [])
                ],
                "direction": v.direction or "ltr",
            }
            for v in versions
        ],
    }


def plain_change(c) -> dict:
    """A provision of the compare answer as the API built it before the models."""

    def counts(ops):
        st = stats(ops)
        return {"inserted_words": st.inserted_words, "deleted_words": st.deleted_words}

    return {
        "provision_id": c.provision_id,
        "status": c.status,
        "kind": c.kind,
        "moved": c.moved,
        "from_version_id": c.from_version_id,
        "to_version_id": c.to_version_id,
        "from_number": c.from_number,
        "to_number": c.to_number,
        "from_heading": c.before.heading if c.before else None,
        "to_heading": c.after.heading if c.after else None,
        "ops": ops_to_json(c.ops),
        "stats": counts(c.ops),
        "direction": c.direction if (c.before or c.after) else "ltr",
        "notes": [
            {"marker": n.marker, "kind": n.kind, "status": n.status, "ops": ops_to_json(n.ops)}
            for n in c.notes
        ],
        "coarse": c.coarse,
    }


def model_body(meeting, versions) -> InstrumentText:
    provisions = [text_provision(v) for v in versions]
    return InstrumentText.model_validate({"meeting_id": meeting.id, "provisions": provisions})


def add_plain_route(app) -> None:
    """The text route as it was (same queries), answering with the plain-dict path."""

    @endpoint("bench only", responses={200: InstrumentText})
    @role_required()
    def plain_text(iid: int):
        access.instrument_for(db.session, current_user, iid)
        meeting = access.visible_meetings(db.session, current_user, iid)[-1]
        return jsonify(plain_body(meeting, texts.versions_as_of(db.session, meeting)))

    app.add_url_rule("/bench/plain/<int:iid>/text", "bench_plain_text", plain_text)

    @endpoint("bench only", responses={200: Comparison})
    @role_required()
    def plain_compare(iid: int):
        access.instrument_for(db.session, current_user, iid)
        _, from_m, to_m = redlines.pick_meetings(db.session, current_user, iid, None, None)
        changes = redlines.compare_meetings(db.session, from_m, to_m)
        body = {
            "from_meeting_id": from_m.id,
            "to_meeting_id": to_m.id,
            "provisions": [plain_change(c) for c in changes],
        }
        db.session.commit()
        return jsonify(body)

    app.add_url_rule("/bench/plain/<int:iid>/compare", "bench_plain_compare", plain_compare)


def best_pair(a, b, repeat: int) -> tuple[float, float]:
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((a, times[0]), (b, times[1])):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return min(times[0]), min(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provisions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=41)
    args = parser.parse_args()
    accounts.HASH_METHOD = "pbkdf2:sha256:1000"
    with tempfile.TemporaryDirectory() as tmp:

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"

        app = create_app(Config)
        add_plain_route(app)
        with app.app_context():
            logging.disable(logging.INFO)  # Alembic's progress lines are not the output
            upgrade(directory=str(ROOT / "migrations"))
            user = accounts.create_user(
                db.session, email="d@bench.org", name="D", role="drafter", password="bench-pw-1"
            )
            result = imports.apply_import(
                db.session,
                instrument=None,
                slug="bench",
                title="Bench",
                meeting_title="1st",
                on=date(2026, 1, 1),
                kind="plenary",
                draft=parse_draft(draft(args.provisions)),
                actor=None,
                closed=True,
            )
            imports.apply_import(
                db.session,
                instrument=result.instrument,
                slug="bench",
                title="Bench",
                meeting_title="2nd",
                on=date(2026, 3, 1),
                kind="plenary",
                draft=parse_draft(draft(args.provisions, revised=True)),
                actor=None,
            )
            token = accounts.issue_token(db.session, user)
            db.session.commit()
            iid, mid = result.instrument.id, result.meeting.id

        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        new_url, old_url = f"/api/v1/instruments/{iid}/text", f"/bench/plain/{iid}/text"
        new, old = client.get(new_url, headers=headers), client.get(old_url, headers=headers)
        assert new.status_code == old.status_code == 200, (new.status_code, old.status_code)
        assert new.json == old.json, "the two paths must answer the same JSON"
        count = len(new.json["provisions"])

        # The route's own request context: `respond` checks the model against its contract.
        with app.test_request_context(new_url, headers=headers):
            meeting = db.session.get(Meeting, mid)
            versions = texts.versions_as_of(db.session, meeting)
            t_model, t_plain = best_pair(
                lambda: respond(model_body(meeting, versions)).get_data(),
                lambda: jsonify(plain_body(meeting, versions)).get_data(),
                args.repeat,
            )
        r_model, r_plain = best_pair(
            lambda: client.get(new_url, headers=headers),
            lambda: client.get(old_url, headers=headers),
            args.repeat,
        )
        # The compare answer, warm (the redline cache filled by the first call of each).
        new_cmp, old_cmp = f"/api/v1/instruments/{iid}/compare", f"/bench/plain/{iid}/compare"
        a, b = client.get(new_cmp, headers=headers), client.get(old_cmp, headers=headers)
        assert a.status_code == b.status_code == 200 and a.json == b.json
        c_model, c_plain = best_pair(
            lambda: client.get(new_cmp, headers=headers),
            lambda: client.get(old_cmp, headers=headers),
            args.repeat,
        )
    size = len(new.get_data())
    print(f"{count} provisions, {size / 1e6:.2f} MB of JSON, best of {args.repeat}")
    print(
        f"serialise: models {t_model * 1e3:.1f} ms, plain dicts {t_plain * 1e3:.1f} ms, "
        f"ratio {t_model / t_plain:.2f}x"
    )
    print(
        f"request:   models {r_model * 1e3:.1f} ms, plain dicts {r_plain * 1e3:.1f} ms, "
        f"ratio {r_model / r_plain:.2f}x (target <= 1.10x)"
    )
    print(
        f"compare:   models {c_model * 1e3:.1f} ms, plain dicts {c_plain * 1e3:.1f} ms, "
        f"ratio {c_model / c_plain:.2f}x (target <= 1.10x)"
    )
    print(
        json.dumps(
            {
                "serialise_ratio": round(t_model / t_plain, 3),
                "request_ratio": round(r_model / r_plain, 3),
                "compare_ratio": round(c_model / c_plain, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
