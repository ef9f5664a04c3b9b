import httpx

PROBLEM_JSON = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


async def test_openapi_documents_problem_bodies_and_both_login_forms(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()

    assert "Problem" in schema["components"]["schemas"]
    read_user = schema["paths"]["/users/{user_id}"]["get"]
    assert read_user["operationId"] == "users-read_user"
    for status in ("401", "403", "404", "422", "500"):
        assert read_user["responses"][status]["content"] == PROBLEM_JSON
    login_body = schema["paths"]["/login"]["post"]["requestBody"]["content"]
    assert set(login_body) == {"application/json", "application/x-www-form-urlencoded"}
    flows = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "login"


async def test_openapi_lists_exactly_the_statuses_each_operation_answers(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()

    documented = {
        (method.upper(), path): set(operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert documented == {
        ("POST", "/register"): {"201", "409", "413", "422", "429", "500"},
        ("POST", "/login"): {"200", "400", "401", "413", "422", "429", "500"},
        ("POST", "/refresh"): {"200", "401", "413", "422", "500"},
        ("POST", "/logout"): {"204", "413", "422", "500"},
        ("POST", "/token"): {"200", "400", "401", "413", "422", "429", "500"},
        ("GET", "/.well-known/jwks.json"): {"200", "500"},
        ("GET", "/users/me"): {"200", "401", "403", "500"},
        ("PATCH", "/users/me"): {"200", "401", "403", "413", "422", "429", "500"},
        ("GET", "/users"): {"200", "401", "403", "422", "500"},
        ("GET", "/users/{user_id}"): {"200", "401", "403", "404", "422", "500"},
        ("GET", "/users/{user_id}/access"): {"200", "401", "403", "404", "422", "500"},
        ("PATCH", "/users/{user_id}/role"): {
            "200",
            "401",
            "403",
            "404",
            "409",
            "413",
            "422",
            "500",
        },
        ("GET", "/healthz"): {"200", "500"},
        ("GET", "/readyz"): {"200", "500", "503"},
    }
    for path, method in (
        ("/login", "post"),
        ("/register", "post"),
        ("/token", "post"),
        ("/users/me", "patch"),
    ):
        limited = schema["paths"][path][method]["responses"]["429"]
        assert set(limited["headers"]) == {"Retry-After"}
        assert limited["content"] == PROBLEM_JSON
    assert set(schema["paths"]["/users/me"]["get"]["responses"]["401"]["headers"]) == {
        "WWW-Authenticate"
    }


async def test_swagger_ui_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")

    assert response.status_code == 200
    assert 'data-openapi-url="openapi.json"' in response.text
