from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.config import BookingSettings
from booking_service.service.outbox import OutboxRelay
from booking_service.service.saga import Clients
from service_kit.deps import app_state

SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(app_state("sessions"))]
ClientsDep = Annotated[Clients, Depends(app_state("clients"))]
RelayDep = Annotated[OutboxRelay, Depends(app_state("outbox_relay"))]
SettingsDep = Annotated[BookingSettings, Depends(app_state("settings"))]
