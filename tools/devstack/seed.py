"""Demo data for a first `make dev`: three accounts and a dozen upcoming events.

Everything goes through the public APIs, as a person would do it, so the data obeys every
rule the services enforce (the nearly sold-out event is sold through real bookings).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tools.devstack.stack import DEMO_ADMIN, DEMO_ORGANIZER, DEMO_USER


@dataclass(frozen=True)
class DemoEvent:
    title: str
    category: str
    venue: str
    city: str
    timezone: str
    days_ahead: int
    local_start: time
    hours: int
    tickets: int
    price: str
    currency: str
    description: str
    # Several kinds of ticket instead of one pool (`tickets`: their sum, `price`: the first's).
    ticket_types: tuple[dict[str, Any], ...] = ()


# PyData Paris sells four types: an early-bird sale that has ended, regular and student tickets
# (one per booking), and speaker passes that are hidden from buyers.
PYDATA_TYPES = (
    {"name": "Regular", "price": "120.00", "capacity": 550},
    {
        "name": "Student",
        "price": "45.00",
        "capacity": 100,
        "max_per_order": 1,
        "description": "Bring your student card.",
    },
    {"name": "Early bird", "price": "90.00", "capacity": 100, "sales_end": "EARLY_BIRD_END"},
    {"name": "Speaker", "price": "0.00", "capacity": 50, "hidden": True},
)

DEMO_EVENTS = (
    DemoEvent(
        "Jazz Night at the Blue Note",
        "concert",
        "Blue Note",
        "New York",
        "America/New_York",
        9,
        time(20, 0),
        3,
        150,
        "45.00",
        "USD",
        "An evening of modern jazz with a late set by the house trio.",
    ),
    DemoEvent(
        "PyData Paris",
        "conference",
        "Cité des sciences",
        "Paris",
        "Europe/Paris",
        21,
        time(9, 0),
        8,
        800,
        "120.00",
        "EUR",
        "Two tracks of talks on data engineering, machine learning and Python.",
        PYDATA_TYPES,
    ),
    DemoEvent(
        "Derby Day: Arsenal v Spurs",
        "sports",
        "Emirates Stadium",
        "London",
        "Europe/London",
        14,
        time(16, 30),
        2,
        2000,
        "65.00",
        "GBP",
        "The North London derby.",
    ),
    DemoEvent(
        "Hamlet",
        "theatre",
        "Deutsches Theater",
        "Berlin",
        "Europe/Berlin",
        6,
        time(19, 30),
        3,
        300,
        "38.50",
        "EUR",
        "Shakespeare's tragedy in a new German translation.",
    ),
    DemoEvent(
        "Intro to Pottery",
        "workshop",
        "Clay Studio",
        "Melbourne",
        "Australia/Melbourne",
        11,
        time(10, 0),
        3,
        20,
        "80.00",
        "AUD",
        "Hands-on wheel throwing for beginners; all materials provided. Nearly sold out.",
    ),
    DemoEvent(
        "Tokyo Synth Meetup",
        "other",
        "Shibuya Stream Hall",
        "Tokyo",
        "Asia/Tokyo",
        17,
        time(18, 0),
        3,
        120,
        "2000.00",
        "JPY",
        "Modular synth demos and an open jam.",
    ),
    DemoEvent(
        "Lisbon Fado Evening",
        "concert",
        "Clube de Fado",
        "Lisbon",
        "Europe/Lisbon",
        12,
        time(21, 0),
        2,
        60,
        "30.00",
        "EUR",
        "Traditional fado in Alfama.",
    ),
    DemoEvent(
        "Cloud Native Summit",
        "conference",
        "Moscone Center",
        "San Francisco",
        "America/Los_Angeles",
        30,
        time(9, 0),
        9,
        1500,
        "299.00",
        "USD",
        "Kubernetes, observability and platform engineering.",
    ),
    DemoEvent(
        "Marathon Expo Run",
        "sports",
        "Tiergarten",
        "Berlin",
        "Europe/Berlin",
        25,
        time(8, 0),
        5,
        5000,
        "0.00",
        "EUR",
        "A free 10 km fun run.",
    ),
    DemoEvent(
        "The Magic Flute",
        "theatre",
        "Teatro alla Scala",
        "Milan",
        "Europe/Rome",
        19,
        time(20, 0),
        3,
        400,
        "95.00",
        "EUR",
        "Mozart's opera in a classic staging.",
    ),
    DemoEvent(
        "Bread Baking Masterclass",
        "workshop",
        "Bakehouse",
        "Copenhagen",
        "Europe/Copenhagen",
        8,
        time(13, 0),
        4,
        16,
        "75.00",
        "DKK",
        "Sourdough from starter to loaf.",
    ),
    DemoEvent(
        "Indie Game Showcase",
        "other",
        "Shoreditch Town Hall",
        "London",
        "Europe/London",
        4,
        time(18, 30),
        4,
        250,
        "12.00",
        "GBP",
        "Play new games and meet the developers.",
    ),
)
NEARLY_SOLD_OUT = "Intro to Pottery"
# 17 of the 20 tickets: the admin takes three groups, the demo user two seats.
NEARLY_SOLD_OUT_BOOKINGS = (("admin", 5), ("admin", 5), ("admin", 5), ("user", 2))


def _event_body(event: DemoEvent, now: datetime) -> dict[str, Any]:
    zone = ZoneInfo(event.timezone)
    day = (now + timedelta(days=event.days_ahead)).astimezone(zone).date()
    starts = datetime.combine(day, event.local_start, tzinfo=zone)
    return {
        "title": event.title,
        "description": event.description,
        "category": event.category,
        "venue": event.venue,
        "city": event.city,
        "timezone": event.timezone,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=event.hours)).isoformat(),
        "currency": event.currency,
        **(
            {"ticket_types": [_ticket_type(kind, now) for kind in event.ticket_types]}
            if event.ticket_types
            else {"total_tickets": event.tickets, "price": event.price}
        ),
    }


def _ticket_type(kind: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The type as event-service takes it; the early-bird sale ended a day ago."""
    if kind.get("sales_end") == "EARLY_BIRD_END":
        return {**kind, "sales_end": (now - timedelta(days=1)).isoformat()}
    return kind


def _token(users: httpx.Client, email: str, password: str) -> str:
    response = users.post("/login", json={"email": email, "password": password})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _register(users: httpx.Client, email: str, password: str, name: str) -> None:
    """Register the account unless it exists."""
    body = {"email": email, "password": password, "full_name": name}
    response = users.post("/register", json=body)
    if response.status_code != 409:
        response.raise_for_status()


def seed_demo_data(*, users_url: str, events_url: str, bookings_url: str) -> int:
    """Create the demo accounts and events; returns how many events were created."""
    with (
        httpx.Client(base_url=users_url, timeout=30) as users,
        httpx.Client(base_url=events_url, timeout=30) as events,
        httpx.Client(base_url=bookings_url, timeout=30) as bookings,
    ):
        # user-service creates the admin and the organizer at start (ADMIN_*, ORGANIZER_*).
        admin = {"Authorization": f"Bearer {_token(users, *DEMO_ADMIN)}"}
        _register(users, *DEMO_USER, "Uma User")
        organizer = {"Authorization": f"Bearer {_token(users, *DEMO_ORGANIZER)}"}
        buyer = {"Authorization": f"Bearer {_token(users, *DEMO_USER)}"}
        now = datetime.now(UTC)
        for event in DEMO_EVENTS:
            created = events.post("/events", json=_event_body(event, now), headers=organizer)
            created.raise_for_status()
            if event.title == NEARLY_SOLD_OUT:
                buyers = {"admin": admin, "user": buyer}
                for index, (who, tickets) in enumerate(NEARLY_SOLD_OUT_BOOKINGS):
                    bookings.post(
                        "/bookings",
                        json={"event_id": created.json()["id"], "tickets": tickets},
                        headers={**buyers[who], "Idempotency-Key": f"demo-seed-{index}"},
                    ).raise_for_status()
        return len(DEMO_EVENTS)
