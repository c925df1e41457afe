"""Amounts and method names as people type and read them."""

from decimal import Decimal

import pytest

from partnering.sharing.forms import amount_field


class TestAmountField:
    @pytest.mark.parametrize(
        ("typed", "value"),
        [
            ("125000", Decimal(125000)),
            ("£1,250,000", Decimal(1250000)),
            (" 99.50 ", Decimal("99.50")),
        ],
    )
    def test_accepts_pounds_signs_and_thousands_commas(self, typed, value):
        assert amount_field("Cost").clean(typed) == value

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("-5", "Cost cannot be negative"),
            ("lots", "Cost must be a number, like 125000"),
            ("", "Enter cost"),
        ],
    )
    def test_bad_amounts_say_what_is_wrong(self, typed, message):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as error:
            amount_field("Cost").clean(typed)
        assert error.value.messages == [message]

    def test_whole_numbers_show_without_pence(self):
        field = amount_field("Cost")
        assert field.prepare_value(Decimal("91932.00")) == "91932"
        assert str(field.prepare_value(Decimal("99.50"))) == "99.50"


class TestBasisPhrase:
    @pytest.mark.parametrize(
        ("basis", "phrase"),
        [
            ("agreed", "the agreed split"),
            ("shapley", "the Shapley value"),
            ("nucleolus", "the nucleolus"),
            ("equal", "the equal split"),
        ],
    )
    def test_method_names_read_in_a_sentence(self, basis, phrase):
        from partnering.sharing.presenters import basis_phrase as _basis_phrase

        assert _basis_phrase(basis) == phrase

    def test_acronyms_keep_their_capitals(self):
        from partnering.sharing.presenters import basis_phrase as _basis_phrase

        assert _basis_phrase("scrb").startswith("the SCRB")
