"""Argon2 password hashing, off the event loop (argon2 releases the GIL while it works)."""

from anyio import to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class PasswordHasher:
    def __init__(self, *, time_cost: int, memory_kib: int) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib),))
        # Verified against when the email is unknown, so both failures cost the same time.
        self._decoy_hash = self._hash.hash("decoy password never used")

    async def hash(self, password: str) -> str:
        return await to_thread.run_sync(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        target = password_hash if password_hash is not None else self._decoy_hash
        matches = await to_thread.run_sync(self._hash.verify, password, target)
        return matches and password_hash is not None
