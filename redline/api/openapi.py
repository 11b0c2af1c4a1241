"""GET /api/v1/openapi.json: the JSON API described in OpenAPI 3.1 (kept beside the code it
describes; a test checks every API route is documented and fuzzes them with schemathesis)."""

from __future__ import annotations

from flask import jsonify

from redline.api.blueprint import bp


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    text = {
        400: "Bad input",
        401: "No or bad token",
        403: "Not allowed",
        404: "Not found or not visible to this user",
        409: "Conflict",
        413: "Too large",
        422: "Unprocessable",
    }
    return {str(c): _json(_ref("Error"), text[c]) for c in codes}


def _id_param(name: str, where: str = "path", required: bool = True, text: str = "") -> dict:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": text,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }


NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STR = {"type": ["string", "null"]}
OPS = {  # [["equal"|"insert"|"delete", text], ...]
    "type": "array",
    "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string"}},
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    },
    "InstrumentRef": {
        "type": "object",
        "required": ["id", "slug", "title"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
        },
    },
    "Meeting": {
        "type": "object",
        "required": ["id", "title", "kind", "date", "status"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "kind": {"enum": ["plenary", "drafting_group", "subgroup", "consultation", "other"]},
            "date": {"type": "string", "format": "date"},
            "end_date": {"type": ["string", "null"], "format": "date"},
            "status": {"enum": ["open", "closed"]},
        },
    },
    "Note": {
        "type": "object",
        "description": "A footnote or endnote; its marker stands in the text as [^marker].",
        "required": ["marker", "text"],
        "properties": {
            "marker": {"type": "string"},
            "text": {"type": "string"},
            "kind": {"enum": ["footnote", "endnote"]},
        },
    },
    "Version": {
        "type": "object",
        "required": [
            "id",
            "meeting_id",
            "number",
            "heading",
            "text",
            "notes",
            "direction",
            "author",
            "created_at",
            "parent_id",
        ],
        "properties": {
            "id": {"type": "integer"},
            "provision_id": {"type": "integer"},
            "meeting_id": {"type": "integer"},
            "number": {"type": "string"},
            "heading": {"type": "string"},
            "kind": {"type": "string"},
            "text": {"type": "string"},
            "notes": {"type": "array", "items": _ref("Note")},
            "direction": {"enum": ["ltr", "rtl"]},
            "removed": {"type": "boolean"},
            "author": NULLABLE_STR,
            "created_at": {"type": "string"},
            "message": {"type": "string"},
            "parent_id": NULLABLE_INT,
            "merged_from_id": NULLABLE_INT,
        },
    },
    "Anchor": {
        "type": "object",
        "required": ["status", "start", "end"],
        "properties": {
            "status": {"enum": ["anchored", "changed", "orphaned"]},
            "start": NULLABLE_INT,
            "end": NULLABLE_INT,
            "exact": NULLABLE_STR,
        },
    },
    "Comment": {
        "type": "object",
        "required": [
            "id",
            "parent_id",
            "body",
            "author",
            "created_at",
            "version_id",
            "status",
            "disposition",
        ],
        "properties": {
            "id": {"type": "integer"},
            "parent_id": NULLABLE_INT,
            "body": {"type": "string"},
            "author": {"type": "string"},
            "organisation": NULLABLE_STR,
            "category": NULLABLE_STR,
            "created_at": {"type": "string"},
            "version_id": {"type": "integer"},
            "status": {"enum": ["open", "resolved"]},
            "disposition": {"type": ["string", "null"]},
            "anchor": {"anyOf": [_ref("Anchor"), {"type": "null"}]},
        },
    },
}


def _spec() -> dict:
    bearer = [{"bearer": []}]
    paths = {
        "/api/v1/auth/token": {
            "post": {
                "summary": "Trade an e-mail and password for a bearer token",
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["email", "password"],
                                "properties": {
                                    "email": {"type": "string", "maxLength": 254},
                                    "password": {"type": "string", "maxLength": 1000},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "required": ["token"],
                            "properties": {"token": {"type": "string"}},
                        },
                        "Created",
                    ),
                    **_errors(400, 401),
                    "429": _json(_ref("Error"), "Throttled"),
                },
            }
        },
        "/api/v1/instruments": {
            "get": {
                "summary": "Instruments visible to the caller",
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["items"],
                            "properties": {
                                "items": {"type": "array", "items": _ref("InstrumentRef")}
                            },
                        }
                    ),
                    **_errors(401),
                },
            }
        },
        "/api/v1/instruments/{iid}": {
            "get": {
                "summary": "An instrument, its meetings (chronological) and provisions",
                "parameters": [_id_param("iid")],
                "responses": {
                    "200": _json(
                        {
                            "allOf": [
                                _ref("InstrumentRef"),
                                {
                                    "type": "object",
                                    "required": ["meetings", "provisions"],
                                    "properties": {
                                        "meetings": {"type": "array", "items": _ref("Meeting")},
                                        "provisions": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "required": ["id", "number", "heading"],
                                                "properties": {
                                                    "id": {"type": "integer"},
                                                    "number": {"type": "string"},
                                                    "heading": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                },
                            ]
                        }
                    ),
                    **_errors(401, 404),
                },
            }
        },
        "/api/v1/instruments/{iid}/text": {
            "get": {
                "summary": "The whole text as of a meeting, in document order",
                "parameters": [
                    _id_param("iid"),
                    _id_param("meeting", "query", False, "default: the latest visible meeting"),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["meeting_id", "provisions"],
                            "properties": {
                                "meeting_id": NULLABLE_INT,
                                "provisions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": [
                                            "id",
                                            "number",
                                            "heading",
                                            "kind",
                                            "version_id",
                                            "text",
                                            "notes",
                                            "direction",
                                        ],
                                        "properties": {
                                            "id": {"type": "integer"},
                                            "number": {"type": "string"},
                                            "heading": {"type": "string"},
                                            "kind": {"type": "string"},
                                            "version_id": {"type": "integer"},
                                            "text": {"type": "string"},
                                            "notes": {"type": "array", "items": _ref("Note")},
                                            "direction": {"enum": ["ltr", "rtl"]},
                                        },
                                    },
                                },
                            },
                        }
                    ),
                    **_errors(400, 401, 404),
                },
            }
        },
        "/api/v1/provisions/{pid}/versions": {
            "get": {
                "summary": "Every version of a provision, oldest first",
                "parameters": [_id_param("pid")],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["items"],
                            "properties": {"items": {"type": "array", "items": _ref("Version")}},
                        }
                    ),
                    **_errors(401, 404),
                },
            },
            "post": {
                "summary": "Record a version in the newest open meeting (merged or 409)",
                "parameters": [_id_param("pid")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["base_version_id", "text"],
                                "properties": {
                                    "base_version_id": {"type": "integer"},
                                    "text": {"type": "string", "maxLength": 200_000},
                                    "heading": {"type": "string", "maxLength": 500},
                                    "number": {"type": "string", "maxLength": 100},
                                    "message": {"type": "string", "maxLength": 500},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json(
                        {
                            "allOf": [
                                _ref("Version"),
                                {
                                    "type": "object",
                                    "required": ["merged"],
                                    "properties": {"merged": {"type": "boolean"}},
                                },
                            ]
                        },
                        "Created",
                    ),
                    **_errors(400, 401, 403, 404, 409, 413),
                },
            },
        },
        "/api/v1/diff": {
            "get": {
                "summary": "Word-level redline between two versions",
                "parameters": [_id_param("from", "query"), _id_param("to", "query")],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["ops", "stats"],
                            "properties": {
                                "ops": OPS,
                                "stats": {
                                    "type": "object",
                                    "required": ["inserted_words", "deleted_words"],
                                },
                                # True when the word diff ran past its time budget and the
                                # ops are whole sentences and lines (docs/operations.md).
                                "coarse": {"type": "boolean"},
                            },
                        }
                    ),
                    **_errors(400, 401, 404),
                },
            }
        },
        "/api/v1/instruments/{iid}/compare": {
            "get": {
                "summary": "Redline of the whole instrument between two meetings",
                "parameters": [
                    _id_param("iid"),
                    _id_param("from", "query"),
                    _id_param("to", "query"),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["provisions"],
                            "properties": {
                                "provisions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": [
                                            "provision_id",
                                            "status",
                                            "from_version_id",
                                            "to_version_id",
                                            "from_number",
                                            "to_number",
                                            "ops",
                                        ],
                                        "properties": {
                                            "status": {
                                                "enum": ["added", "removed", "changed", "unchanged"]
                                            },
                                            "ops": OPS,
                                            "direction": {"enum": ["ltr", "rtl"]},
                                            "notes": {
                                                "type": "array",
                                                "description": "Each footnote/endnote at both "
                                                "points, paired by marker, with the word ops "
                                                "inside its text",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["marker", "status", "ops"],
                                                    "properties": {
                                                        "marker": {"type": "string"},
                                                        "kind": {"enum": ["footnote", "endnote"]},
                                                        "status": {
                                                            "enum": [
                                                                "added",
                                                                "removed",
                                                                "changed",
                                                                "unchanged",
                                                            ]
                                                        },
                                                        "ops": OPS,
                                                    },
                                                },
                                            },
                                            "coarse": {"type": "boolean"},
                                        },
                                    },
                                }
                            },
                        }
                    ),
                    **_errors(400, 401, 404),
                },
            }
        },
        "/api/v1/provisions/{pid}/comments": {
            "get": {
                "summary": "Comments placed on a version (default: newest visible)",
                "parameters": [_id_param("pid"), _id_param("version", "query", False)],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["items"],
                            "properties": {"items": {"type": "array", "items": _ref("Comment")}},
                        }
                    ),
                    **_errors(400, 401, 404),
                },
            },
            "post": {
                "summary": "Comment on a passage (or reply in a thread)",
                "parameters": [_id_param("pid")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["version_id", "body"],
                                "properties": {
                                    "version_id": {"type": "integer"},
                                    "start": {"type": "integer"},
                                    "end": {"type": "integer"},
                                    "exact": {"type": "string", "maxLength": 20_000},
                                    "body": {"type": "string", "maxLength": 10_000},
                                    "parent_id": {"type": "integer"},
                                    "consultation_id": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json(_ref("Comment"), "Created"),
                    **_errors(400, 401, 403, 404, 413, 422),
                },
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Redline API",
            "version": "1",
            "description": "Collaborative redlining for treaty drafters. Every error is "
            "JSON {error, message}.",
        },
        "servers": [{"url": "/"}],
        "security": bearer,
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public: it reveals no data)."""
    return jsonify(_spec())
