"""Which spans start a trace (imported only when tracing is on: it loads the SDK)."""

from collections.abc import Sequence

from opentelemetry.context import Context
from opentelemetry.sdk.trace.sampling import (
    Decision,
    Sampler,
    SamplingResult,
    _get_from_env_or_default,
)
from opentelemetry.trace import Link, SpanKind, get_current_span
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes


class RequestRootedSampler(Sampler):
    """A span with no parent starts a trace only when it is a request being served; every
    other decision is the delegate's.

    Background loops poll their stores every few seconds; without this each poll would be a
    trace of its own.
    """

    def __init__(self, delegate: Sampler) -> None:
        self.delegate = delegate

    @classmethod
    def from_environment(cls) -> "RequestRootedSampler":
        """Delegating to `OTEL_TRACES_SAMPLER` (default: parent-based, always on)."""
        return cls(_get_from_env_or_default())

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        has_parent = get_current_span(parent_context).get_span_context().is_valid
        if not has_parent and kind is not SpanKind.SERVER:
            return SamplingResult(Decision.DROP)
        return self.delegate.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"RequestRooted{{{self.delegate.get_description()}}}"
