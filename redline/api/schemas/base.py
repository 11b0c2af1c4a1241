"""The building blocks of the API contract: field types that carry their own limits, request
models that refuse bad input with the API's usual 400/413 answers, response models that are
the only way a body leaves the API.

Every request and response body is one pydantic model; ``redline.api.contract`` ties the models
to the routes and ``redline.api.openapi`` renders them as the OpenAPI document, so the document,
the validation and the serialisation cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from redline import limits
from redline.services.errors import BadInput

# Ids and offsets are 32-bit integer columns; a larger number is bad input, not a crash.
MAX_INT = 2**31 - 1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The documented ceiling of the provision text (the running limit is MAX_TEXT_CHARS).
DEFAULT_TEXT_LIMIT = 200_000


def _storable(value: Any) -> Any:
    # JSON may carry "\u0000" or a lone surrogate; no database stores either. Checked before
    # the type so that a lone surrogate gets this message, not a decoding error.
    if isinstance(value, str) and _UNSTORABLE.search(value):
        raise _FieldProblem("contains a NUL character or invalid Unicode.")
    return value


class _FieldProblem(ValueError):
    """A refusal whose wording we choose (pydantic reports it with the field's name)."""


class Limited:
    """A text field bounded by its entry in ``redline.limits`` (the one table of limits): the
    OpenAPI document shows the number as maxLength and a longer value is refused with 413."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        name = self.name
        return core_schema.no_info_after_validator_function(
            lambda v: _checked_length(name, v), handler(source)
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        if self.name == "text":
            out["maxLength"] = DEFAULT_TEXT_LIMIT
            out["description"] = "At most MAX_TEXT_CHARS characters (default 200,000)."
        else:
            out["maxLength"] = limits.FIELDS.get(self.name, limits.DEFAULT_LIMIT)
        return out


def _checked_length(name: str, value: str) -> str:
    limits.check_length(name, value)  # TooLarge (413) names the field and the limit
    return value


# Request field types.
Int = Annotated[int, Field(strict=True, ge=-MAX_INT, le=MAX_INT)]
Flag = Annotated[bool, Field(strict=True)]


def Text(name: str) -> Any:  # a function that reads as a type in the models
    """A storable string bounded by the limit of the field called ``name``."""
    return Annotated[str, BeforeValidator(_storable), Field(strict=True), Limited(name)]


class RequestModel(BaseModel):
    """A JSON request body. Unknown fields are ignored; `null` counts as absent (as before)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data

    @classmethod
    def parse(cls, data: dict) -> RequestModel:
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            raise BadInput(_message(cls, e)) from None


class ResponseModel(BaseModel):
    """A JSON answer: built by the route, serialised by pydantic (nothing else leaves the API)."""

    model_config = ConfigDict(extra="forbid")


def _message(model: type[BaseModel], error: ValidationError) -> str:
    """The first problem, in the words the API has always used."""
    order = list(model.model_fields)
    problems = sorted(
        error.errors(include_url=False),
        key=lambda p: order.index(p["loc"][0]) if p["loc"] and p["loc"][0] in order else -1,
    )
    problem = problems[0]
    name = str(problem["loc"][0]) if problem["loc"] else "body"
    kind = problem["type"]
    if kind == "missing":
        return f"'{name}' is required."
    if kind in ("less_than_equal", "greater_than_equal"):
        return f"'{name}' is out of range."
    if kind == "value_error" and isinstance(problem.get("ctx", {}).get("error"), _FieldProblem):
        return f"'{name}' {problem['ctx']['error']}"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind == "int_from_float":
        return f"'{name}' has the wrong type."
    return f"'{name}' is not valid: {problem['msg']}."
