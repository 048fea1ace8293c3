"""Schemathesis hooks for the items API contract run (loaded through SCHEMATHESIS_HOOKS)."""
import re
import uuid

import schemathesis

# The handler's accepted keys: 1 to 255 visible ASCII characters.
VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """A client sends a new Idempotency-Key per logical request; schemathesis draws keys from a small set, so one POST
    would replay another's stored 201 (the documented replay) after its item was deleted, which the stateful checks
    read as "created resource not found". Valid keys become fresh UUIDs; invalid ones stay, for the 400 checks."""
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key" and isinstance(headers[name], str) and VALID_KEY.match(headers[name]):
            headers[name] = str(uuid.uuid4())
