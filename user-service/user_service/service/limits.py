"""The rate limits of user-service, built once from the settings."""

from dataclasses import dataclass
from datetime import timedelta

from service_kit.errors import TooManyRequestsError
from user_service.config import UserSettings
from user_service.rate_limit import RateLimit
from user_service.service.throttling import Throttle


class LoginLockedError(TooManyRequestsError):
    slug = "login-locked"


@dataclass(frozen=True)
class Limits:
    login: Throttle  # failed logins per email (the lockout)
    registration: Throttle  # registrations per client address
    token_by_address: Throttle  # failed POST /token per client address
    token_by_client: Throttle  # failed POST /token per client id
    password_check: Throttle  # wrong current password per account

    @classmethod
    def from_settings(cls, settings: UserSettings) -> "Limits":
        assert settings.registration_limit is not None  # filled in by the settings
        assert settings.token_failure_limit_per_address is not None
        assert settings.token_failure_limit_per_client is not None
        login = RateLimit(
            settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes)
        )
        return cls(
            login=Throttle(
                "login",
                login,
                "Too many failed sign-in attempts for this account; try again later.",
                LoginLockedError,
            ),
            registration=Throttle(
                "register",
                settings.registration_limit,
                "Too many accounts were registered from this address; try again later.",
            ),
            token_by_address=Throttle(
                "token-address",
                settings.token_failure_limit_per_address,
                "Too many failed token requests from this address; try again later.",
            ),
            token_by_client=Throttle(
                "token-client",
                settings.token_failure_limit_per_client,
                "Too many failed token requests for this client; try again later.",
            ),
            password_check=Throttle(
                "password-check",
                settings.password_check_limit,
                "Too many wrong current passwords for this account; try again later.",
            ),
        )

    @property
    def longest_window(self) -> timedelta:
        return max(
            throttle.limit.window
            for throttle in (
                self.login,
                self.registration,
                self.token_by_address,
                self.token_by_client,
                self.password_check,
            )
        )
