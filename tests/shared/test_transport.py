"""The kit's transport (aiohttp's pool under httpx) names each failure by whether the request
may have reached the server, against real TCP servers that misbehave on purpose."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from service_kit.retry import nothing_sent
from service_kit.transport import PooledTransport
from tests.harness.ports import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}"


class Server:
    """A raw TCP server: counts connections and requests, answers as `handler` says."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0
        self.requests = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                self.requests += 1
                await self.handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[tuple[Server, str]]:
    server = Server(handler)
    listener = await asyncio.start_server(server.serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        listener.close()


async def answer(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(ANSWER)
    await writer.drain()


async def hang_up(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.close()
    raise ConnectionError("hung up after reading the request")


async def cut_the_body(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial"')
    await writer.drain()
    writer.close()
    raise ConnectionError("closed mid-body")


async def stay_silent(_: asyncio.StreamReader, __: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)


def client(max_connections: int = 10, per_peer: int = 0, **timeouts: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=PooledTransport(max_connections, per_peer=per_peer),
        timeout=httpx.Timeout(5.0, **timeouts),
    )


async def test_answers_come_back_over_one_kept_connection() -> None:
    async with serving(answer) as (server, url), client() as http:
        for _ in range(5):
            response = await http.get(f"{url}/x")
            assert response.status_code == 200
            assert response.json() == {}

    assert server.requests == 5
    assert server.connections == 1


async def test_a_refused_connection_sent_nothing() -> None:
    async with client() as http:
        with pytest.raises(httpx.ConnectError) as raised:
            await http.post(f"http://127.0.0.1:{free_port()}/x", json={})

    assert nothing_sent(raised.value)


@pytest.mark.parametrize("misbehave", [hang_up, cut_the_body])
async def test_a_connection_lost_after_the_request_may_have_applied(misbehave: Handler) -> None:
    async with serving(misbehave) as (server, url), client() as http:
        with pytest.raises(httpx.TransportError) as raised:
            await http.post(f"{url}/x", json={})

    assert server.requests == 1
    assert not nothing_sent(raised.value)


async def test_a_silent_server_is_a_read_timeout() -> None:
    async with serving(stay_silent) as (server, url), client(read=0.3) as http:
        with pytest.raises(httpx.ReadTimeout) as raised:
            await http.post(f"{url}/x", json={})

    assert server.requests == 1
    assert not nothing_sent(raised.value)


async def test_waiting_in_vain_for_a_pooled_connection_sent_nothing() -> None:
    async with serving(stay_silent) as (server, url), client(10, per_peer=1, pool=0.3) as http:
        first = asyncio.create_task(http.post(f"{url}/first", json={}))
        await asyncio.sleep(0.2)  # the only connection is now busy with the first call
        with pytest.raises(httpx.ConnectTimeout) as raised:
            await http.post(f"{url}/second", json={})
        first.cancel()

    assert nothing_sent(raised.value)
    assert server.requests == 1


async def test_calls_beyond_the_per_peer_limit_wait_their_turn() -> None:
    in_flight = most = 0

    async def slow_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        await answer(reader, writer)

    async with serving(slow_answer) as (server, url), client(10, per_peer=2) as http:
        responses = await asyncio.gather(*(http.get(f"{url}/x") for _ in range(8)))

    assert [response.status_code for response in responses] == [200] * 8
    assert most == 2
    assert server.connections == 2
