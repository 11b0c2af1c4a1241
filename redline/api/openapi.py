"""GET /api/v1/openapi.json: the JSON API described in OpenAPI 3.1, generated from the routes
(their paths and methods) and the models each declares with `contract.endpoint` (parameters,
bodies, answers, errors). Nothing here is written by hand but the title."""

from __future__ import annotations

import re
from functools import cache

from flask import Flask, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from redline.api.blueprint import bp
from redline.api.contract import ERRORS, Endpoint
from redline.api.schemas.base import MAX_INT

REF = "#/components/schemas/{model}"
_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(app: Flask) -> list[tuple[str, str, Endpoint]]:
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        contract = getattr(view, "__api__", None)
        if contract is None or not rule.rule.startswith(bp.url_prefix + "/"):
            continue
        path = _PATH_PARAM.sub(r"{\2}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), contract, rule.rule))
    return found


def _path_params(rule: str) -> list[dict]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INT}
            if converter == "int"
            else {"type": "string"},
        }
        for converter, name in _PATH_PARAM.findall(rule)
    ]


def _query_params(contract: Endpoint) -> list[dict]:
    if contract.query is None:
        return []
    schema = contract.query.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        prop.pop("default", None)
        # An optional id is absent or a whole number: the `null` branch is not a query value.
        if "anyOf" in prop:
            prop = next(p for p in prop["anyOf"] if p.get("type") != "null")
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def _json(ref: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def _operation(contract: Endpoint, rule: str, refs: dict) -> dict:
    op: dict = {"summary": contract.summary}
    if contract.description:
        op["description"] = contract.description
    params = _path_params(rule) + _query_params(contract)
    if params:
        op["parameters"] = params
    if contract.public:
        op["security"] = []
    if contract.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(contract.body, "validation")]}},
        }
    answers = {}
    for status, model in contract.responses.items():
        text = "Created" if status == 201 else ERRORS.get(status, "OK")
        answers[str(status)] = _json(refs[(model, "serialization")], text)
    for status, model in contract.errors.items():
        answers[str(status)] = _json(refs[(model, "serialization")], ERRORS[status])
    op["responses"] = dict(sorted(answers.items()))
    return op


def build_spec(app: Flask) -> dict:
    routes = _routes(app)
    models: set[tuple[type[BaseModel], str]] = set()
    for _, _, contract, _ in routes:
        if contract.body is not None:
            models.add((contract.body, "validation"))
        for model in (*contract.responses.values(), *contract.errors.values()):
            models.add((model, "serialization"))
    ordered = sorted(models, key=lambda m: (m[0].__name__, m[1]))
    refs, defs = models_json_schema(ordered, ref_template=REF)
    paths: dict[str, dict] = {}
    for path, method, contract, rule in routes:
        paths.setdefault(path, {})[method] = _operation(contract, rule, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Redline API",
            "version": "1",
            "description": "Collaborative redlining for treaty drafters. Every error is "
            "JSON {error, message}. Generated from the models in redline/api/schemas.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(defs.get("$defs", {}).items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@cache
def _spec_for(app: Flask) -> dict:
    return build_spec(app)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public: it reveals no data)."""
    return jsonify(_spec_for(current_app._get_current_object()))
