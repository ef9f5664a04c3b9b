"""Hostile input: text no store can hold is a 422 naming the field; an oversized body a 413."""

import httpx

from tests.notification_service.helpers import generic_payload
from tests.utils.hostile import assert_text_refused
from tests.utils.users import random_email


async def test_create_notification_data_key_with_nul_is_422(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    payload = generic_payload(random_email(), data={"bad\x00key": "value"})

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    assert_text_refused(response, "body.data.[key]")


async def test_create_notification_data_value_with_nul_is_422(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    payload = generic_payload(random_email(), data={"links": ["https://example.com/\x00"]})

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    assert_text_refused(response, "body.data.links.0")


async def test_create_notification_subject_with_nul_is_422(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    payload = generic_payload(random_email(), subject="Hi\x00")

    response = await notifications_client.post(
        "/notifications", json=payload, headers=service_headers
    )

    assert_text_refused(response, "body.subject")
