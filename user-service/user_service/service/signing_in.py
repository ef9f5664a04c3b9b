"""Signing in: people by email and password (with the lockout), services by client credentials."""

import hmac

from sqlalchemy.ext.asyncio import AsyncSession

from service_kit.errors import UnauthorizedError
from service_kit.fields import normalize_email
from user_service.config import UserSettings
from user_service.models import User
from user_service.passwords import PasswordHasher
from user_service.service.accounts import get_user_by_email
from user_service.service.limits import Limits

INVALID_CREDENTIALS = "Incorrect email or password."
INVALID_CLIENT = "Unknown client or wrong client secret."


async def authenticate(
    *,
    session: AsyncSession,
    hasher: PasswordHasher,
    limits: Limits,
    email: str,
    password: str,
) -> User:
    email = normalize_email(email)
    await limits.login.check(session=session, key=email)
    user = await get_user_by_email(session=session, email=email)
    password_ok = await hasher.verify(password, user.password_hash if user else None)
    if user is None or not password_ok:
        await limits.login.record(session=session, key=email)
        raise UnauthorizedError(INVALID_CREDENTIALS)
    await limits.login.clear(session=session, key=email)
    return user


def verify_client_credentials(
    *, settings: UserSettings, client_id: str, client_secret: str
) -> bool:
    expected = settings.service_clients.get(client_id)
    # Compare against something even for an unknown client, so timing reveals nothing.
    expected_secret = expected.get_secret_value() if expected else "\0" * 32
    matches = hmac.compare_digest(expected_secret.encode(), client_secret.encode())
    return matches and expected is not None


async def authenticate_client(
    *,
    session: AsyncSession,
    settings: UserSettings,
    limits: Limits,
    client_id: str | None,
    client_secret: str | None,
    address: str,
) -> str:
    """The client id, once its credentials check out; failures count per address and client.

    The per-address limit is checked first: one address guessing is stopped before it can use
    up the client's own allowance (which, once used up, would refuse the real service too).
    """
    client_key = client_id[:200] if client_id else None
    await limits.token_by_address.check(session=session, key=address)
    if client_key:
        await limits.token_by_client.check(session=session, key=client_key)
    if (
        client_id
        and client_secret is not None
        and verify_client_credentials(
            settings=settings, client_id=client_id, client_secret=client_secret
        )
    ):
        return client_id
    await limits.token_by_address.record(session=session, key=address)
    if client_key:
        await limits.token_by_client.record(session=session, key=client_key)
    raise UnauthorizedError(INVALID_CLIENT)
