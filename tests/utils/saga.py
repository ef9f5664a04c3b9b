"""Driving the booking saga through its service functions, as requests and recovery do."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.clients import Clients
from booking_service.models import Booking
from booking_service.service.admission import Admission
from booking_service.service.placing import BookingRequest, place_booking
from booking_service.service.recovery import recover_bookings


@dataclass
class Saga:
    sessions: async_sessionmaker[AsyncSession]
    clients: Clients

    async def place(self, request: BookingRequest) -> Booking:
        return await place_booking(
            sessions=self.sessions,
            clients=self.clients,
            admission=Admission(limit=100, wait_seconds=5),
            request=request,
            idempotency_wait_seconds=1,
        )

    async def interrupted(self, user_id: str, event_id: str, tickets: int) -> Booking:
        """A booking recorded pending by a request that died before confirming it."""
        booking = Booking(
            user_id=uuid.UUID(user_id), event_id=event_id, tickets=tickets, created_by=user_id
        )
        async with self.sessions() as session:
            session.add(booking)
            await session.commit()
        return booking

    async def stored(self, booking_id: uuid.UUID) -> Booking:
        async with self.sessions() as session:
            booking = await session.get(Booking, booking_id)
        assert booking is not None
        return booking

    async def stored_by_key(self, key: str) -> Booking:
        async with self.sessions() as session:
            found = await session.execute(select(Booking).where(Booking.idempotency_key == key))
        return found.scalar_one()

    async def recover(self) -> tuple[int, int, int, int]:
        """(confirmed, failed, released, deferred) of one recovery pass."""
        report = await recover_bookings(
            sessions=self.sessions, clients=self.clients, grace=timedelta(0)
        )
        return report.confirmed, report.failed, report.released, report.deferred


def booking_request(user_id: str, event_id: str, tickets: int) -> BookingRequest:
    return BookingRequest(
        user_id=uuid.UUID(user_id),
        event_id=event_id,
        tickets=tickets,
        created_by=user_id,
        idempotency_key=f"saga-{uuid.uuid4()}",
    )
