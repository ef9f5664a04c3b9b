"""Input values every service reads alike, bounded so no store or conversion can overflow.

- `PageLimit` and `PageOffset`: a page holds at most 100 items and starts at most 100,000 in
  (past that a store refuses the number, or the scan costs more than any reader needs).
- `BoundedDatetime`: timezone-aware and within years 1970-2999 (UTC): beyond them, converting
  to UTC or to a venue's zone overflows Python's `datetime`.
- `two_places`: a decimal amount to cents, `-0` read as `0`.
- `CurrencyCode`: an ISO 4217 code, checked against the official table (the `iso4217` package).
- `Email` and `normalize_email`: NFKC, then lower case, so look-alike spellings of an address
  (full-width letters, ligatures, the Kelvin sign) are one address.
"""

import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Query
from iso4217 import Currency
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, EmailStr, Field
from pydantic import StringConstraints as Text
from pydantic_core import PydanticCustomError

MAX_PAGE_SIZE = 100
MAX_OFFSET = 100_000

PageLimit = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")
]
PageOffset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip, at most {MAX_OFFSET:,}.")
]

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)


def _within_years(value: datetime) -> datetime:
    # Comparing aware datetimes subtracts their offsets without building a datetime: no overflow.
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "Datetime must be between 1970-01-01T00:00:00Z and 2999-12-31T23:59:59Z",
        )
    return value


BoundedDatetime = Annotated[AwareDatetime, AfterValidator(_within_years)]

_CENT = Decimal("0.01")


def two_places(value: Decimal) -> Decimal:
    """`value` to cents; `-0` (which passes `ge=0`) becomes `0`, so it is never stored or shown."""
    value = value.quantize(_CENT)
    return value.copy_abs() if value.is_zero() else value


def _known_currency(value: str) -> str:
    try:
        return Currency(value).code
    except ValueError:
        raise PydanticCustomError(
            "currency_unknown",
            "Unknown currency {code}: use an ISO 4217 code, e.g. EUR",
            {"code": value},
        ) from None


CurrencyCode = Annotated[
    str,
    Text(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$"),
    AfterValidator(_known_currency),
    Field(description="ISO 4217 code, e.g. EUR (any case; answered in upper case)."),
]


def normalize_email(value: str) -> str:
    """The one spelling of an address: NFKC, then lower case, without surrounding spaces."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def _normalized_if_text(value: Any) -> Any:
    return normalize_email(value) if isinstance(value, str) else value


# Normalised before validation (a full-width at sign is an `@`) and after it (the validator's
# own normal form of the domain), so the stored spelling is the one every lookup computes.
Email = Annotated[EmailStr, BeforeValidator(_normalized_if_text), AfterValidator(normalize_email)]
