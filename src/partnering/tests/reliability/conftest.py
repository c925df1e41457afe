import pytest


@pytest.fixture
def app_keeps_the_test_connection():
    """For tests that call the WSGI app directly (schemathesis), as Django's test client does:
    the app would close the database connection at each request's start and end
    (close_old_connections), inside the test's transaction (on PostgreSQL every request then
    answered 503)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
