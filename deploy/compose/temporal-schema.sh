#!/bin/sh
# Creates Temporal's two databases on PostgreSQL and brings their schemas to the newest version with the server's
# own tool, temporal-sql-tool, and the schemas embedded in it. Idempotent: an existing database is only updated.
# Runs in the temporalio/admin-tools image; connection settings come from SQL_HOST, SQL_PORT, SQL_USER,
# SQL_PASSWORD (the tool reads them itself).
set -eu

for pair in "${TEMPORAL_DB:-temporal}:postgresql/v12/temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:postgresql/v12/visibility"; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  if temporal-sql-tool --plugin postgres12 --database "$db" create-database --defaultdb postgres; then
    temporal-sql-tool --plugin postgres12 --database "$db" setup-schema --version 0.0
  else
    echo "database $db exists (or could not be created); updating its schema"
  fi
  temporal-sql-tool --plugin postgres12 --database "$db" update-schema --schema-name "$schema"
done
