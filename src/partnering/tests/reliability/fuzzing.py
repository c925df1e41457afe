"""What the schemathesis tests share (test_api_fuzzing.py, test_open311_fuzzing.py)."""

from hypothesis import HealthCheck, Phase, settings


def bounded(examples: int) -> settings:
    """Hypothesis settings for CI: ``examples`` generated cases an operation, derandomised (the
    same cases on every run), no deadline (a shared machine), schemathesis's explicit examples
    and generated ones."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
