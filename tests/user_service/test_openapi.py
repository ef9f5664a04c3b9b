import httpx


async def test_openapi_documents_problem_bodies_and_both_login_forms(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()

    assert "Problem" in schema["components"]["schemas"]
    read_user = schema["paths"]["/users/{user_id}"]["get"]
    assert read_user["operationId"] == "users-read_user"
    for status in ("4XX", "422", "5XX"):
        content = read_user["responses"][status]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    login_body = schema["paths"]["/login"]["post"]["requestBody"]["content"]
    assert set(login_body) == {"application/json", "application/x-www-form-urlencoded"}
    flows = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "login"


async def test_swagger_ui_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")

    assert response.status_code == 200
    assert "/openapi.json" in response.text
