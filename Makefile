# Everything installs from uv.lock; uv itself is bootstrapped with pip when missing.
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
RUN := $(UV) run --frozen
SERVICES := service_kit user_service event_service booking_service notification_service

.PHONY: help install test lint format migrate run-user run-event run-booking run-notification mongo mail

help:
	@echo "make install   install every service, the kit and the dev tools from uv.lock"
	@echo "make test      run the whole test suite against real PostgreSQL and MongoDB-compatible stores"
	@echo "make lint      ruff check, ruff format --check, mypy"
	@echo "make format    apply ruff's fixes and formatting"
	@echo "make migrate   apply the SQL services' migrations (USER_DATABASE_URL, BOOKING_DATABASE_URL)"
	@echo "make run-user  user-service on :8000 with auto-reload"
	@echo "make run-event event-service on :8001 with auto-reload"
	@echo "make run-booking booking-service on :8002 with auto-reload"
	@echo "make run-notification notification-service on :8003 with auto-reload"
	@echo "make mongo     a MongoDB-compatible server (SecantusDB) on :27017, data in .data/mongo"
	@echo "make mail      an SMTP sink on :1025 keeping each message in .data/mail"

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen

test:
	$(RUN) pytest

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy $(addprefix -p ,$(SERVICES))

format:
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

migrate:
	$(RUN) alembic -c user-service/alembic.ini upgrade head
	$(RUN) alembic -c booking-service/alembic.ini upgrade head

run-user:
	$(RUN) uvicorn user-service.app:app --reload --host 0.0.0.0 --port 8000

run-event:
	$(RUN) uvicorn event-service.app:app --reload --host 0.0.0.0 --port 8001

run-booking:
	$(RUN) uvicorn booking-service.app:app --reload --host 0.0.0.0 --port 8002

run-notification:
	$(RUN) uvicorn notification-service.app:app --reload --host 0.0.0.0 --port 8003

mongo:
	mkdir -p .data/mongo
	$(RUN) python -m secantus --port 27017 --storage-path .data/mongo --log-level WARNING

mail:
	$(RUN) python -m tests.harness.smtp --port 1025 --dir .data/mail
