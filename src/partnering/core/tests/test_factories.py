"""Every model of every room has a factory in its room's ``tests/factories.py``, and each factory
makes a row that passes the model's own validation."""

import importlib
import inspect

import factory
import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def room_models():
    for config in apps.get_app_configs():
        if not config.name.startswith("partnering."):
            continue
        for model in config.get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue  # django-simple-history's copies and many-to-many tables
            yield config.name, model


def factories_of(app: str) -> dict[type, type]:
    try:
        module = importlib.import_module(f"{app}.tests.factories")
    except ModuleNotFoundError as error:
        if error.name is not None and f"{app}.tests.factories".startswith(error.name):
            return {}
        raise
    return {
        value._meta.model: value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value._meta.model is not None
        and value.__module__ == module.__name__
    }


#: Models of rooms that landed while this test was written, whose factories are still to come. Take
#: a name out when its factory lands (the test below fails while a listed model has one); add none.
AWAITING_A_FACTORY = {
    "assurance.Risk",
    "assurance.RiskAcceptance",
    "assurance.RiskAction",
    "assurance.RiskMatrix",
    "assurance.RiskRegister",
    "assurance.RiskScore",
    "frontdoor.Open311Key",
    "frontdoor.RequestUpdate",
    "programme.Action",
    "programme.Advice",
    "programme.AdviserProfile",
    "programme.Application",
    "programme.Assessment",
    "programme.Call",
    "programme.Criterion",
    "programme.CriterionScore",
    "programme.DeclaredInterest",
    "programme.DigestSent",
    "programme.MatchRun",
    "programme.MentoringSession",
    "programme.ModeratedScore",
    "programme.Quota",
    "programme.SelectionRun",
}

ALL_MODELS = sorted(room_models(), key=lambda pair: pair[1]._meta.label)
MODELS = [(app, m) for app, m in ALL_MODELS if m._meta.label not in AWAITING_A_FACTORY]


def test_every_model_has_a_factory_in_its_room():
    missing = [
        f"{model._meta.label} (in {app}.tests.factories)"
        for app, model in MODELS
        if model not in factories_of(app)
    ]
    assert not missing, "These models have no factory: " + ", ".join(missing)


def test_models_awaiting_a_factory_still_have_none():
    have = {m._meta.label for app, m in ALL_MODELS if m in factories_of(app)}
    labels = {m._meta.label for _, m in ALL_MODELS}

    assert labels >= AWAITING_A_FACTORY, sorted(AWAITING_A_FACTORY - labels)
    assert not AWAITING_A_FACTORY & have, f"take these out of the list: {AWAITING_A_FACTORY & have}"


@pytest.mark.parametrize(("app", "model"), MODELS, ids=[m._meta.label for _, m in MODELS])
def test_the_factory_makes_a_valid_row(app, model):
    made = factories_of(app)[model]()

    made.full_clean()
    assert model.objects.filter(pk=made.pk).exists()
