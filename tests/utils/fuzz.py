"""Fuzzing a running service against its own OpenAPI document with Schemathesis.

Every operation gets:
- generated requests (Hypothesis): valid ones (they match the document) and invalid ones (they
  break it somewhere, so the service must refuse them with a documented 4xx);
- boundary requests (Schemathesis' coverage cases): each constraint of the document at and just
  past its limits (lengths, ranges, formats, enums, missing and unexpected fields), valid and
  invalid;
- where the path names only resources the caller has real ids of, both again about those, so the
  requests reach past the 404 of an unknown id.

Every answer must be no server error, a status the operation documents, and a body matching the
schema documented for that status. Hypothesis runs derandomized with no example database and the
boundary cases are fixed: the same requests every run, so a failure in CI fails on any machine.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Per request: far above any answer on an idle machine; a request slower than this is a finding.
DEADLINE = timedelta(seconds=5)
REQUEST_TIMEOUT_SECONDS = 10
BOTH_MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
SERVICES = ("users", "events", "bookings", "notifications")


@dataclass(frozen=True)
class Platform:
    """The running services, who calls them, and real resources to ask about."""

    urls: dict[str, str]
    callers: dict[str, dict[str, str]]
    # Ids of the user's own resources, by the name of the path parameter that takes them.
    known: dict[str, str]


@dataclass(frozen=True)
class Finding:
    operation: str
    kind: str
    report: str

    def __str__(self) -> str:
        return f"{self.operation} ({self.kind}):\n{self.report}"


@dataclass(frozen=True)
class Target:
    """A running service and who calls it."""

    base_url: str
    headers: Mapping[str, str]
    session: requests.Session

    def send(self, case: schemathesis.Case) -> None:
        """Send `case` and check the answer; a failure raises Schemathesis' `FailureGroup`."""
        case.call_and_validate(
            base_url=self.base_url,
            headers=dict(self.headers),
            checks=CHECKS,
            session=self.session,
            timeout=REQUEST_TIMEOUT_SECONDS,
        )


@dataclass(frozen=True)
class Pass:
    """One way of making requests for an operation."""

    kind: str
    generated: GenerationMode | None  # None: the boundary cases, valid and invalid
    path_parameters: dict[str, str] = field(default_factory=dict)


def load_schema(base_url: str) -> BaseSchema:
    """The service's own document, as it serves it."""
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json")


def operations(schema: BaseSchema) -> Iterator[APIOperation]:
    for result in schema.get_all_operations():
        yield result.ok()


def passes(operation: APIOperation, known: Mapping[str, str]) -> list[Pass]:
    planned = [
        Pass("valid", GenerationMode.POSITIVE),
        Pass("invalid", GenerationMode.NEGATIVE),
        Pass("boundaries", None),
    ]
    names = {parameter.name for parameter in operation.path_parameters}
    if names and names <= known.keys():
        real = {name: known[name] for name in names}
        planned += [
            Pass("valid, real ids", GenerationMode.POSITIVE, real),
            Pass("boundaries, real ids", None, real),
        ]
    return planned


def fuzz_operation(
    operation: APIOperation, target: Target, planned: Pass, *, max_examples: int
) -> Finding | None:
    """Make `planned`'s requests; the first failure found, if any."""
    run: Callable[[], None]
    if planned.generated is None:
        run = _boundaries(operation, target, planned.path_parameters)
    else:
        run = _generated(operation, target, planned, max_examples)
    try:
        run()
    except Unsatisfiable:
        return None  # nothing to make invalid: no parameters and no body
    except (Exception, BaseExceptionGroup) as exc:  # each failure is a finding to report
        return Finding(operation.label, planned.kind, str(exc))
    return None


def _generated(
    operation: APIOperation, target: Target, planned: Pass, max_examples: int
) -> Callable[[], None]:
    strategy = operation.as_strategy(
        generation_mode=planned.generated or GenerationMode.POSITIVE,
        path_parameters=planned.path_parameters or None,
    )

    @settings(
        max_examples=max_examples,
        deadline=DEADLINE,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        # Requests to a live service are slow next to Hypothesis' expectations, and many
        # generated requests are refused early by design: neither is a fault of the test.
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def send(case: schemathesis.Case) -> None:
        target.send(case)

    return send


def _boundaries(
    operation: APIOperation, target: Target, path_parameters: dict[str, str]
) -> Callable[[], None]:
    # The cases of Schemathesis' coverage phase (its CLI runs them before fuzzing); the class
    # is not in its documented API, hence the exact pin of schemathesis in uv.lock.
    cases = CoverageGenerator(
        operation=operation,
        generation_modes=BOTH_MODES,
        generation_config=operation.schema.config.generation_for(
            operation=operation, phase="coverage"
        ),
        auth_storage=None,
        override=Override(path_parameters=path_parameters),
        feedback=FeedbackSources(),
    )

    def send_each() -> None:
        for case in cases:
            target.send(case)

    return send_each
