import hashlib

import factory
from django.utils import timezone

from partnering.core.models import ApiKey, EmailSend, EmailState, IdempotencyKey, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    role = Role.PARTNER
    password = factory.django.Password("password")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """A key row (its raw key is not kept): ``services.api_key_create`` gives a key to send."""

    class Meta:
        model = ApiKey
        exclude = ("generated",)

    class Params:
        generated = factory.LazyFunction(ApiKey.generate)

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Integration {n}")
    prefix = factory.LazyAttribute(lambda k: k.generated[1])
    key_hash = factory.LazyAttribute(lambda k: k.generated[2])


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"idempotency-{n}")
    fingerprint = factory.LazyAttribute(lambda k: hashlib.sha256(k.key.encode()).hexdigest())
    status_code = 201
    content_type = "application/json"
    body = b"{}"


class EmailSendFactory(factory.django.DjangoModelFactory):
    """An email a room sent once (``services.email_send_once``)."""

    class Meta:
        model = EmailSend

    key = factory.Sequence(lambda n: f"frontdoor.update:{n}")
    state = EmailState.SENT
    attempts = 1
    claimed_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyAttribute(lambda e: e.claimed_at)
