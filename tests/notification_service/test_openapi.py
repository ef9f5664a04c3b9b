"""The OpenAPI document: every endpoint, tidy operation ids, problem bodies documented."""

import httpx


async def test_openapi_lists_the_endpoints_with_operation_ids_and_problems(
    notifications_client: httpx.AsyncClient,
) -> None:
    document = (await notifications_client.get("/openapi.json")).json()

    operations = {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert {
        (key, operation["operationId"])
        for key, operation in operations.items()
        if key[1].startswith("/notifications")
    } == {
        (("POST", "/notifications"), "notifications-create_notification"),
        (("GET", "/notifications/{user_email}"), "notifications-list_notifications"),
        (("POST", "/notifications/{notification_id}/read"), "notifications-mark_read"),
        (("POST", "/notifications/{user_email}/read-all"), "notifications-mark_all_read"),
    }
    create = operations[("POST", "/notifications")]["responses"]
    assert {"200", "201", "413", "422"} <= set(create)
    assert list(create["422"]["content"]) == ["application/problem+json"]
