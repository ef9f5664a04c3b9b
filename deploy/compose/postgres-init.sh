#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: one database and one role per
# service, each role owning only its own database.
set -eu
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
    -v users_password="$USERS_DB_PASSWORD" -v bookings_password="$BOOKINGS_DB_PASSWORD" <<'SQL'
CREATE ROLE users LOGIN PASSWORD :'users_password';
CREATE ROLE bookings LOGIN PASSWORD :'bookings_password';
CREATE DATABASE users OWNER users;
CREATE DATABASE bookings OWNER bookings;
REVOKE ALL ON DATABASE users FROM PUBLIC;
REVOKE ALL ON DATABASE bookings FROM PUBLIC;
SQL
