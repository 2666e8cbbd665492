"""The webhook signature (README "Notifications"): ``AidTrail-Signature: t=<unix>,v1=<hex>``,
the HMAC-SHA256 of ``"<t>.<body>"`` with the subscription's secret, as Stripe signs."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "AidTrail-Signature"


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """``t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the MAC over the timestamp and the raw body."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    return hmac.compare_digest(signature(secret, body, int(parts["t"])),
                               f"t={parts['t']},v1={parts['v1']}")
