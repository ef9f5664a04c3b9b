import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service_kit.fields import Email
from service_kit.text import SingleLine

Password = Annotated[str, Field(min_length=8, max_length=128)]
FullName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine
]
AssignableRole = Literal["user", "organizer", "admin"]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Password
    full_name: FullName


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    password: Password | None = Field(default=None, description="The new password.")
    current_password: str | None = Field(
        default=None, max_length=128, description="Required to change the password."
    )

    @model_validator(mode="after")
    def password_change_needs_current(self) -> "UserUpdate":
        if self.password is not None and not self.current_password:
            raise ValueError("current_password is required to change the password")
        return self


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: AssignableRole


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    role: str
    created_at: datetime


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=128)]


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the token expires.")


class SessionTokens(Token):
    """A person's tokens: a short-lived access token and the refresh token that renews it."""

    refresh_token: str = Field(
        description="Opaque; exchange it once at `POST /refresh` for new tokens, or revoke it "
        "at `POST /logout`. Keep it secret: it is worth a sign-in."
    )
    refresh_expires_in: int = Field(description="Seconds until the refresh token expires.")


RefreshTokenText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: RefreshTokenText


class AccessState(BaseModel):
    """What decides whether a person's access token still holds: its `ver` must equal
    `token_version` (raised by every role or password change)."""

    id: uuid.UUID
    role: str
    token_version: int


class Jwks(BaseModel):
    keys: list[dict[str, str]]
