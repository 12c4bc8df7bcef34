#!/bin/sh
# Creates the namespace and registers the custom search attributes of search-attributes.json (mounted next to
# this script) on the Temporal server at $TEMPORAL_ADDRESS. Idempotent: what exists is left alone, and a search
# attribute registered with another type stops the setup. Runs in the temporalio/admin-tools image (its
# `temporal` CLI; busybox sh, sed and grep, no jq).
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-72h}"
attributes="${SEARCH_ATTRIBUTES_FILE:-/setup/search-attributes.json}"

attempt=0
until temporal operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then
    echo "Temporal at ${TEMPORAL_ADDRESS:-?} is not serving after 60 tries" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention"
  echo "namespace $namespace created (retention $retention)"
fi

existing="$(temporal operator search-attribute list --namespace "$namespace" --output json)"
# One `"Name": "Type"` pair per line in the file; "$comment" and other $-keys are skipped.
grep -E '^[[:space:]]*"[A-Za-z][A-Za-z0-9_]*"[[:space:]]*:[[:space:]]*"[A-Za-z]+"' "$attributes" |
  sed -E 's/^[[:space:]]*"([^"]+)"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1 \2/' |
  while read -r name type; do
    if printf '%s' "$existing" | grep -q "\"$name\""; then
      echo "search attribute $name exists"
      continue
    fi
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type"
    echo "search attribute $name ($type) registered"
  done
