"""The OpenAPI document: every endpoint, tidy operation ids, problem bodies documented."""

import httpx

from notification_service.schemas import NotificationKind


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


DOCUMENTED_PROBLEMS = {
    ("post", "/notifications"): {"401", "403", "413", "422", "503"},
    ("get", "/notifications/{user_email}"): {"401", "403", "422", "503"},
    ("post", "/notifications/{notification_id}/read"): {"401", "403", "404", "422", "503"},
    ("post", "/notifications/{user_email}/read-all"): {"401", "403", "422", "503"},
}


async def test_openapi_documents_each_problem_an_operation_answers(
    notifications_client: httpx.AsyncClient,
) -> None:
    document = (await notifications_client.get("/openapi.json")).json()

    for (method, path), statuses in DOCUMENTED_PROBLEMS.items():
        responses = document["paths"][path][method]["responses"]
        assert statuses <= set(responses), (method, path)
        for status in statuses:
            schema = responses[status]["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, status)


async def test_openapi_create_body_is_told_apart_by_kind_with_named_schemas(
    notifications_client: httpx.AsyncClient,
) -> None:
    document = (await notifications_client.get("/openapi.json")).json()

    body = document["paths"]["/notifications"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    schemas = document["components"]["schemas"]
    mapping = {
        "generic": "GenericNotificationCreate",
        "booking_confirmed": "BookingConfirmedNotificationCreate",
        "booking_cancelled": "BookingCancelledNotificationCreate",
        "booking_failed": "BookingFailedNotificationCreate",
        "event_updated": "EventUpdatedNotificationCreate",
    }
    assert set(mapping) == set(NotificationKind)
    assert schema["discriminator"] == {
        "propertyName": "kind",
        "mapping": {kind: f"#/components/schemas/{name}" for kind, name in mapping.items()},
    }
    for kind, name in mapping.items():
        assert schemas[name]["properties"]["kind"]["const"] == kind
    assert {"subject", "body"} <= set(schemas["GenericNotificationCreate"]["properties"])
    for kind, facts in [
        ("booking_confirmed", "BookingFacts"),
        ("booking_cancelled", "BookingFacts"),
        ("booking_failed", "FailedBookingFacts"),
        ("event_updated", "EventFacts"),
    ]:
        properties = schemas[mapping[kind]]["properties"]
        assert properties["data"] == {"$ref": f"#/components/schemas/{facts}"}
        assert not {"subject", "body"} & set(properties)
