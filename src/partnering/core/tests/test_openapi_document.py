"""The OpenAPI document parses strictly and describes the bodies the operations really take.

A status code declared twice (a room's own 422 beside the one every operation gets) gave a
duplicated "422" key that Swagger UI refused. ninja keys the document's components by class
name, so two rooms' schemas of one name (sharing's and procurement's ``AgreementIn``) became one
component and operations documented another room's body."""

import enum
import json
import typing
from collections import defaultdict

import pytest
from ninja.operation import Operation
from pydantic import BaseModel

from partnering.config.api import api

pytestmark = pytest.mark.django_db

BODY_SOURCES = {"body", "form", "file"}


def test_no_status_code_is_declared_twice(client):
    duplicates = []

    def strict(pairs):
        keys = [key for key, _ in pairs]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    document = json.loads(client.get("/api/openapi.json").content, object_pairs_hook=strict)

    assert document["paths"]
    assert not duplicates, duplicates


@pytest.fixture
def document(client):
    return client.get("/api/openapi.json").json()


@pytest.fixture
def operations(document) -> dict[str, tuple[dict, Operation]]:
    """operationId -> (the document's operation, ninja's Operation), for every operation."""
    published = {
        detail["operationId"]: detail
        for methods in document["paths"].values()
        for detail in methods.values()
    }
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if operation.include_in_schema:
                    key = operation.operation_id or api.get_openapi_operation_id(operation)
                    found[key] = (published[key], operation)
    # The walk found every published operation, so the tests below miss none.
    assert found.keys() == published.keys()
    return found


def _models_in(annotation: object) -> typing.Iterator[type]:
    """The schema classes and enums an annotation names, at any depth of list/Optional/…"""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _nested(model: type[BaseModel], seen: set[type]) -> None:
    for field in model.model_fields.values():
        for found in _models_in(field.annotation):
            if found not in seen:
                seen.add(found)
                if issubclass(found, BaseModel):
                    _nested(found, seen)


def _top_level_models(operation: Operation) -> list[type[BaseModel]]:
    """ninja's own models of the view's parameters and of its responses (never components)."""
    responses = [m for m in operation.response_models.values() if isinstance(m, type)]
    return [*operation.models, *responses]


def _field_names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def test_no_two_schemas_share_a_component_name(document, operations):
    classes: dict[str, set[type]] = defaultdict(set)
    for _published, operation in operations.values():
        seen: set[type] = set()
        for model in _top_level_models(operation):
            _nested(model, seen)
        for found in seen:
            classes[found.__name__].add(found)
    components = document["components"]["schemas"]

    shared = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in found)
        for name, found in classes.items()
        if len(found) > 1
    }

    assert classes.keys() <= components.keys()  # each class is the component of its name
    assert not shared, "\n".join(f"{name}: {' '.join(c)}" for name, c in shared.items())


def _references(schema: dict, annotation: object) -> typing.Iterator[tuple[str, type]]:
    """(component name, class) for each schema class in ``annotation``, walking ``schema``, the
    document's description of it, in step (a list's items, an Optional's choices)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield schema["$ref"].removeprefix("#/components/schemas/"), annotation
    elif typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        yield from _references(schema["items"], item)
    elif type(None) in typing.get_args(annotation):
        choices = [a for a in typing.get_args(annotation) if a is not type(None)]
        described = [s for s in schema["anyOf"] if s != {"type": "null"}]
        for choice, described_choice in zip(choices, described, strict=True):
            yield from _references(described_choice, choice)


def test_each_request_body_is_the_schema_the_operation_takes(document, operations):
    components = document["components"]["schemas"]
    wrong = []
    checked = 0
    for operation_id, (published, operation) in operations.items():
        bodies = [m for m in operation.models if m.__ninja_param_source__ in BODY_SOURCES]
        if not bodies:
            assert "requestBody" not in published, operation_id
            continue
        # Every body here is one argument (``payload: ShareAgreementIn``), published without its
        # wrapper: the request body's schema is the argument's.
        (body,) = bodies
        ((_name, field),) = body.model_fields.items()
        (content,) = published["requestBody"]["content"].values()
        for component, taken in _references(content["schema"], field.annotation):
            checked += 1
            documented = set(components[component].get("properties", {}))
            if documented != _field_names(taken):
                wrong.append(f"{operation_id} takes {taken.__module__}.{taken.__name__}, "
                             f"documents {component} {sorted(documented)}")  # fmt: skip

    assert checked > 50  # the API's writes are all here
    assert not wrong, "\n".join(wrong)
