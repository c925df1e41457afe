"""The OpenAPI document parses strictly: no operation declares one status code twice (a room's
own 422 beside the one every operation gets gave a duplicated "422" key that Swagger UI refused)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_no_status_code_is_declared_twice(client):
    duplicates = []

    def strict(pairs):
        keys = [key for key, _ in pairs]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    document = json.loads(client.get("/api/openapi.json").content, object_pairs_hook=strict)

    assert document["paths"]
    assert not duplicates, duplicates
