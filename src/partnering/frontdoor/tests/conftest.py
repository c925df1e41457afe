import pytest
from django.core.cache import cache

from .factories import import_councils, make_front_door


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def councils(db, tmp_path):
    return import_councils(tmp_path)


@pytest.fixture
def front_door(councils):
    return make_front_door(councils)
