from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service.config import BookingSettings
from booking_service.service.outbox import OutboxRelay
from booking_service.service.saga import Clients
from service_kit.auth import Principal, bearer_auth


def get_sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return sessions


def get_clients(request: Request) -> Clients:
    clients: Clients = request.app.state.clients
    return clients


def get_relay(request: Request) -> OutboxRelay:
    relay: OutboxRelay = request.app.state.outbox_relay
    return relay


def get_settings(request: Request) -> BookingSettings:
    settings: BookingSettings = request.app.state.settings
    return settings


SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessions)]
ClientsDep = Annotated[Clients, Depends(get_clients)]
RelayDep = Annotated[OutboxRelay, Depends(get_relay)]
SettingsDep = Annotated[BookingSettings, Depends(get_settings)]
CurrentPrincipal = Annotated[Principal, Depends(bearer_auth.current_principal)]
