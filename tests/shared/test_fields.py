"""The kit's bounded input values: emails, dates, amounts and currencies."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from service_kit.fields import BoundedDatetime, CurrencyCode, Email, normalize_email, two_places

EMAIL = TypeAdapter(Email)
DATETIME = TypeAdapter(BoundedDatetime)
CURRENCY = TypeAdapter(CurrencyCode)


def _error_type(adapter: TypeAdapter[Any], value: object) -> str:
    with pytest.raises(ValidationError) as raised:
        adapter.validate_python(value)
    error_type: str = raised.value.errors()[0]["type"]
    return error_type


@pytest.mark.parametrize(
    "spelling",
    [
        "Ada@Example.COM",
        " ada@example.com ",
        "\uff21\uff24\uff21@example.com",  # full-width letters
        "ada\uff20example.com",  # full-width at sign
        "ada@\uff45xample.com",
    ],
)
def test_email_look_alike_spelling_is_the_plain_address(spelling: str) -> None:
    assert EMAIL.validate_python(spelling) == "ada@example.com"


def test_email_compatibility_characters_become_their_plain_letters() -> None:
    # The Kelvin sign reads as K, the ligature as two letters.
    assert EMAIL.validate_python("\u212a\ufb00@example.com") == "kff@example.com"


def test_normalize_email_of_a_normal_form_changes_nothing() -> None:
    for spelling in ("\uff2b\u212a\ufb03@\uff25.com", "İstanbul@example.com", "Straße@x.de"):
        once = normalize_email(spelling)
        assert normalize_email(once) == once


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:00:00-05:00",  # past year 9999 in UTC: OverflowError before
        "0001-01-01T00:00:00+05:00",
        "3000-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        -(10**12),
    ],
)
def test_bounded_datetime_far_from_now_is_out_of_range(value: object) -> None:
    assert _error_type(DATETIME, value) == "datetime_out_of_range"


def test_bounded_datetime_within_the_years_is_kept() -> None:
    assert DATETIME.validate_python("2999-12-31T23:59:59+00:00") == datetime(
        2999, 12, 31, 23, 59, 59, tzinfo=UTC
    )


@pytest.mark.parametrize("value", ["-0", "-0.00", "-0.0000"])
def test_two_places_negative_zero_is_zero(value: str) -> None:
    amount = two_places(Decimal(value))

    assert str(amount) == "0.00"
    assert not amount.is_signed()


@pytest.mark.parametrize(("code", "read"), [("eur", "EUR"), (" JPY ", "JPY"), ("xau", "XAU")])
def test_currency_code_in_iso_4217_is_read_in_upper_case(code: str, read: str) -> None:
    assert CURRENCY.validate_python(code) == read


@pytest.mark.parametrize("code", ["XYZ", "EUX", "ABC"])
def test_currency_code_not_in_iso_4217_is_unknown(code: str) -> None:
    assert _error_type(CURRENCY, code) == "currency_unknown"
