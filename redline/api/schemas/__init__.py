"""The JSON API's contract as pydantic models: one source for the OpenAPI document, request
validation and response serialisation (docs/API.md explains the choice)."""

from redline.api.schemas.models import *  # noqa: F403 - the models are the package's API
from redline.api.schemas.requests import *  # noqa: F403
