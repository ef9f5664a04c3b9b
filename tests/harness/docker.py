"""Docker engine detection for the testcontainers-based providers."""

import functools
import threading

PING_TIMEOUT = 2.0


def _ping() -> bool:
    import docker

    base_url: str | None = None
    try:
        # Resolve the engine the way testcontainers does (~/.testcontainers.properties,
        # DOCKER_HOST, the current docker context).
        from testcontainers.core.docker_client import get_docker_host

        base_url = get_docker_host()
    except Exception:
        base_url = None
    if base_url:
        client = docker.DockerClient(
            base_url=base_url,
            timeout=int(PING_TIMEOUT),
            use_ssh_client=base_url.startswith("ssh://"),
        )
    else:
        client = docker.from_env(timeout=int(PING_TIMEOUT))
    try:
        return bool(client.ping())
    finally:
        client.close()


@functools.cache
def docker_engine_available() -> bool:
    """Return True only if a Docker engine answers a ping within about two seconds.

    Never raises; the answer is cached for the life of the process.
    """
    result: list[bool] = []

    def target() -> None:
        try:
            result.append(_ping())
        except Exception:
            result.append(False)

    # A thread bounds the wait even when the transport (e.g. ssh) ignores the client timeout.
    thread = threading.Thread(target=target, name="harness-docker-ping", daemon=True)
    thread.start()
    thread.join(PING_TIMEOUT + 0.5)
    return bool(result and result[0])
