"""Each service fuzzed against its own OpenAPI document, as anonymous, a user, a service (the
one booking-service is) and an admin.

The requests are made as `tests/utils/fuzz.py` says: valid, invalid and boundary ones for every
operation, and again about the user's real event, booking, notification and account where the
path names them. Zero findings is the bar: a 5xx, a status the document does not list, or a body
that does not match the schema documented for its status.
"""

import pytest
import requests

from tests.utils.fuzz import (
    SERVICES,
    Finding,
    Platform,
    Target,
    fuzz_operation,
    load_schema,
    operations,
    passes,
)

CALLERS = ["anonymous", "user", "service", "admin"]


# Callers outermost: the admin's requests (role changes, cancellations of the user's things)
# come after the user's own.
@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("caller", CALLERS)
def test_fuzzed_requests_get_documented_answers(
    fuzz_platform: Platform, fuzz_max_examples: int, caller: str, service: str
) -> None:
    base_url = fuzz_platform.urls[service]
    findings: list[Finding] = []
    with requests.Session() as session:
        session.trust_env = False
        target = Target(base_url, fuzz_platform.callers[caller], session)
        for operation in operations(load_schema(base_url)):
            for planned in passes(operation, fuzz_platform.known):
                finding = fuzz_operation(operation, target, planned, max_examples=fuzz_max_examples)
                if finding is not None:
                    findings.append(finding)

    assert not findings, "\n\n".join(str(finding) for finding in findings)
