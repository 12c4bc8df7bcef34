"""Schemathesis hooks of the API contract test (loaded through SCHEMATHESIS_HOOKS)."""

import schemathesis

# POST /inbound/mime takes a raw email as message/rfc822: bytes on the wire, like application/octet-stream.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
