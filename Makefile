# Everything installs from uv.lock; uv itself is bootstrapped with pip when missing.
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
RUN := $(UV) run --frozen
SERVICES := service_kit user_service event_service booking_service notification_service tools
FRONTEND := frontend-service
# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
CHROMIUM ?= /usr/bin/chromium

.PHONY: help dev install test lint lint-deploy compose-env compose-test format migrate
.PHONY: run-user run-event run-booking run-notification mongo mail
.PHONY: frontend-install openapi openapi-check lint-frontend test-frontend bench
# make bench BENCH="rush growth" QUICK=1 WORKERS=2: see tests/bench/README.md.
BENCH ?= all
WORKERS ?= 1

help:
	@echo "make dev       the whole platform on this machine (embedded stores, demo data); Ctrl-C stops it"
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
	@echo "make frontend-install  the browser app's Node packages (npm ci; skipped when up to date)"
	@echo "make openapi   dump the services' OpenAPI documents and regenerate the app's API types"
	@echo "make lint-frontend  eslint, tsc --noEmit, and a check that the API types are not stale"
	@echo "make test-frontend  Vitest, then Playwright in Chromium against the real services"
	@echo "make bench     the benchmark scenarios (BENCH=rush|browse|mixed|growth, QUICK=1, WORKERS=n)"

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen

dev: install frontend-install
	$(RUN) python -m tools.devstack

test:
	$(RUN) pytest
	$(MAKE) test-frontend

bench:
	$(RUN) python -m tests.bench $(BENCH) --workers $(WORKERS) $(if $(QUICK),--quick)

lint: lint-deploy
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy $(addprefix -p ,$(SERVICES))
	$(MAKE) lint-frontend

DOCKERFILES := deploy/docker/service.Dockerfile $(FRONTEND)/Dockerfile \
	$(wildcard deploy/compose/standins/*.Dockerfile)
K8S_OVERLAYS := dev prod
KUBERNETES_VERSION := 1.32.0

lint-deploy:
	$(RUN) check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml deploy/compose/compose.test.yml
	$(RUN) hadolint $(DOCKERFILES)
	@mkdir -p .data; for overlay in $(K8S_OVERLAYS); do \
		echo "kubectl kustomize deploy/k8s/overlays/$$overlay | kubernetes-validate --strict"; \
		kubectl kustomize deploy/k8s/overlays/$$overlay > .data/k8s-$$overlay.yaml || exit 1; \
		$(RUN) kubernetes-validate --strict --quiet -k $(KUBERNETES_VERSION) .data/k8s-$$overlay.yaml || exit 1; \
	done

compose-env:
	$(RUN) python -m tools.compose_env

compose-test:
	$(RUN) python -m tools.compose_test

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
	$(RUN) python -m tools.mongo --port 27017 --dir .data/mongo

mail:
	$(RUN) python -m tests.harness.smtp --port 1025 --dir .data/mail

frontend-install:
	@if [ -f $(FRONTEND)/node_modules/.package-lock.json ] \
		&& [ $(FRONTEND)/node_modules/.package-lock.json -nt $(FRONTEND)/package-lock.json ]; then \
		echo "$(FRONTEND): node_modules is up to date"; \
	else \
		cd $(FRONTEND) && npm ci --no-audit --no-fund; \
	fi

openapi: frontend-install
	$(RUN) python scripts/dump_openapi.py $(FRONTEND)/openapi
	cd $(FRONTEND) && node scripts/generate-types.mjs

# Regenerate into a temporary folder and compare: stale documents or types fail the lint.
openapi-check: frontend-install
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT \
		&& $(RUN) python scripts/dump_openapi.py "$$tmp/openapi" >/dev/null \
		&& (cd $(FRONTEND) && node scripts/generate-types.mjs "$$tmp/openapi" "$$tmp/types" >/dev/null) \
		&& if diff -ru $(FRONTEND)/openapi "$$tmp/openapi" && diff -ru $(FRONTEND)/src/lib/api/types "$$tmp/types"; then \
			echo "$(FRONTEND): OpenAPI documents and API types are up to date"; \
		else \
			echo "$(FRONTEND): the committed OpenAPI documents or API types are stale; run 'make openapi' and commit them" >&2; \
			exit 1; \
		fi

lint-frontend: frontend-install openapi-check
	cd $(FRONTEND) && npx eslint . && npm run typecheck

test-frontend: frontend-install
	cd $(FRONTEND) && npm test
	@test -x $(CHROMIUM) || { echo "No Chromium at $(CHROMIUM): apt-get install -y chromium, or set CHROMIUM" >&2; exit 1; }
	cd $(FRONTEND) && CHROMIUM_PATH=$(CHROMIUM) E2E_PYTHON=$(CURDIR)/.venv/bin/python npx playwright test
