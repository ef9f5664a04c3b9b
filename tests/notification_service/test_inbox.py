"""Reading the inbox: listing, counting, paging, and marking notifications read."""

import httpx

from tests.notification_service.helpers import generic_payload, post_notification
from tests.utils.users import TestUser, assert_invalid_field, assert_problem, bearer, full_width


async def _post_many(
    client: httpx.AsyncClient, headers: dict[str, str], email: str, count: int
) -> list[str]:
    """Store `count` notifications for `email`; their ids, oldest first."""
    ids = []
    for number in range(count):
        payload = generic_payload(email, subject=f"Note {number}", data=None)
        ids.append((await post_notification(client, headers, payload))["id"])
    return ids


async def test_list_notifications_is_newest_first_with_counts_in_headers(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    ids = await _post_many(notifications_client, service_headers, user.email, 3)

    response = await notifications_client.get(f"/notifications/{user.email}", headers=user.headers)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == ids[::-1]
    assert response.headers["X-Total-Count"] == "3"
    assert response.headers["X-Unread-Count"] == "3"


async def test_list_notifications_path_email_in_other_case_is_the_same_inbox(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    ids = await _post_many(notifications_client, service_headers, user.email, 1)

    response = await notifications_client.get(
        f"/notifications/{user.email.upper()}", headers=user.headers
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == ids


async def test_list_notifications_path_email_in_a_look_alike_spelling_is_the_same_inbox(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    ids = await _post_many(notifications_client, service_headers, full_width(user.email), 1)

    response = await notifications_client.get(
        f"/notifications/{full_width(user.email)}", headers=user.headers
    )

    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()] == ids


async def test_list_notifications_offset_past_the_bound_is_refused(
    notifications_client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await notifications_client.get(
        f"/notifications/{user.email}", params={"offset": 100_001}, headers=user.headers
    )

    assert_invalid_field(response, "query.offset")


async def test_list_notifications_limit_and_offset_page_through_newest_first(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    ids = await _post_many(notifications_client, service_headers, user.email, 5)

    response = await notifications_client.get(
        f"/notifications/{user.email}", params={"limit": 2, "offset": 1}, headers=user.headers
    )

    assert [item["id"] for item in response.json()] == [ids[3], ids[2]]
    assert response.headers["X-Total-Count"] == "5"


async def test_list_notifications_unread_only_leaves_out_read_ones(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    ids = await _post_many(notifications_client, service_headers, user.email, 3)
    read = await notifications_client.post(f"/notifications/{ids[1]}/read", headers=user.headers)
    assert read.status_code == 200

    response = await notifications_client.get(
        f"/notifications/{user.email}", params={"unread_only": "true"}, headers=user.headers
    )
    everything = await notifications_client.get(
        f"/notifications/{user.email}", headers=user.headers
    )

    assert [item["id"] for item in response.json()] == [ids[2], ids[0]]
    assert response.headers["X-Total-Count"] == "2"
    assert response.headers["X-Unread-Count"] == "2"
    assert everything.headers["X-Total-Count"] == "3"
    assert everything.headers["X-Unread-Count"] == "2"


async def test_list_notifications_bad_query_is_422_problem(
    notifications_client: httpx.AsyncClient, user: TestUser
) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"unread_only": "maybe"}):
        response = await notifications_client.get(
            f"/notifications/{user.email}", params=params, headers=user.headers
        )
        assert_problem(response, 422)


async def test_list_notifications_invalid_email_in_path_is_422_problem(
    notifications_client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await notifications_client.get(
        "/notifications/not-an-email", headers=bearer(admin_token)
    )

    problem = assert_problem(response, 422)
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert [error["field"] for error in errors] == ["path.user_email"]


async def test_list_notifications_exposes_count_headers_to_the_browser_app(
    notifications_client: httpx.AsyncClient, user: TestUser
) -> None:
    response = await notifications_client.get(
        f"/notifications/{user.email}",
        headers={**user.headers, "Origin": "http://localhost:5173"},
    )

    exposed = response.headers["Access-Control-Expose-Headers"].lower()
    assert "x-total-count" in exposed
    assert "x-unread-count" in exposed


async def test_mark_read_sets_read_once_and_lowers_unread_count(
    notifications_client: httpx.AsyncClient, service_headers: dict[str, str], user: TestUser
) -> None:
    (notification_id,) = await _post_many(notifications_client, service_headers, user.email, 1)

    first = await notifications_client.post(
        f"/notifications/{notification_id}/read", headers=user.headers
    )
    again = await notifications_client.post(
        f"/notifications/{notification_id}/read", headers=user.headers
    )
    listed = await notifications_client.get(f"/notifications/{user.email}", headers=user.headers)

    assert first.status_code == 200
    assert first.json()["read"] is True
    assert first.json()["read_at"] is not None
    assert again.json()["read_at"] == first.json()["read_at"]
    assert listed.headers["X-Unread-Count"] == "0"


async def test_mark_read_unknown_or_malformed_id_is_a_problem(
    notifications_client: httpx.AsyncClient, user: TestUser
) -> None:
    unknown = await notifications_client.post(
        "/notifications/0123456789abcdef01234567/read", headers=user.headers
    )
    malformed = await notifications_client.post(
        "/notifications/not-an-id/read", headers=user.headers
    )

    assert_problem(unknown, 404)
    assert_problem(malformed, 422)


async def test_mark_all_read_marks_only_that_users_unread_notifications(
    notifications_client: httpx.AsyncClient,
    service_headers: dict[str, str],
    user: TestUser,
    other_user: TestUser,
) -> None:
    await _post_many(notifications_client, service_headers, user.email, 3)
    await _post_many(notifications_client, service_headers, other_user.email, 1)

    first = await notifications_client.post(
        f"/notifications/{user.email}/read-all", headers=user.headers
    )
    again = await notifications_client.post(
        f"/notifications/{user.email}/read-all", headers=user.headers
    )
    mine = await notifications_client.get(f"/notifications/{user.email}", headers=user.headers)
    theirs = await notifications_client.get(
        f"/notifications/{other_user.email}", headers=other_user.headers
    )

    assert first.json() == {"marked_read": 3}
    assert again.json() == {"marked_read": 0}
    assert all(item["read"] for item in mine.json())
    assert mine.headers["X-Unread-Count"] == "0"
    assert theirs.headers["X-Unread-Count"] == "1"
