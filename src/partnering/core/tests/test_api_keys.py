"""API keys: only a hash is stored, lookup checks the whole secret, revoking is final."""

import pytest
from django.core.exceptions import ValidationError

from partnering.core.errors import DomainError
from partnering.core.models import ApiKey
from partnering.core.services import MAX_ACTIVE_KEYS, api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def test_generate_gives_a_prefixed_random_key_and_its_hash():
    raw, prefix, key_hash = ApiKey.generate()
    other_raw, _, _ = ApiKey.generate()

    assert raw.startswith(f"sp_{prefix}_")
    assert len(prefix) == ApiKey.PREFIX_LENGTH
    assert len(raw) > 40
    assert raw != other_raw
    assert raw not in key_hash and len(key_hash) == 64


def test_lookup_finds_the_key_only_with_the_whole_secret(partner_user):
    key, raw = api_key_create(name="Lookup", actor=partner_user)

    assert ApiKey.lookup(raw) == key
    assert ApiKey.lookup(raw + "x") is None
    assert ApiKey.lookup(raw[:-1]) is None
    assert ApiKey.lookup(f"sp_{key.prefix}_") is None
    assert ApiKey.lookup(raw.replace("sp_", "xx_", 1)) is None
    assert ApiKey.lookup("") is None


def test_name_is_stripped_and_validated(partner_user):
    key, _ = api_key_create(name="  Finance  ", actor=partner_user)

    assert key.name == "Finance"
    with pytest.raises(ValidationError) as error:
        api_key_create(name="x" * 101, actor=partner_user)
    assert list(error.value.message_dict) == ["name"]
    assert ApiKey.objects.count() == 1


def test_too_many_active_keys_is_a_domain_error(partner_user):
    for n in range(MAX_ACTIVE_KEYS):
        api_key_create(name=f"k{n}", actor=partner_user)

    with pytest.raises(DomainError) as error:
        api_key_create(name="one more", actor=partner_user)

    assert error.value.code == "core.api_key.too_many"
    assert error.value.field == "name"


def test_revoked_keys_do_not_count_towards_the_limit(partner_user):
    keys = [api_key_create(name=f"k{n}", actor=partner_user)[0] for n in range(MAX_ACTIVE_KEYS)]
    api_key_revoke(key=keys[0], actor=partner_user)

    api_key_create(name="replacement", actor=partner_user)

    assert ApiKey.objects.filter(user=partner_user, revoked_at__isnull=True).count() == 10


def test_revoking_twice_keeps_the_first_time(partner_user):
    key, _ = api_key_create(name="Once", actor=partner_user)
    api_key_revoke(key=key, actor=partner_user)
    first = key.revoked_at

    api_key_revoke(key=key, actor=partner_user)

    key.refresh_from_db()
    assert key.revoked_at == first
    assert key.history.count() == 2
