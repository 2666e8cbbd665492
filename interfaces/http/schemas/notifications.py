"""Bodies and answers of /api/v1/notifications."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SubscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str | None = Field(default=None, max_length=40,
                             description="A role told of the notices for it (with `province`)")
    province: str | None = Field(default=None, max_length=8,
                                 description="The role's province code, or `*` for every one")
    person: str | None = Field(default=None, max_length=200,
                               description="Or a named person (a user id): told of their "
                                           "cases' notices")
    channel: Literal["email", "webhook"] = Field(description="How the notices are sent")
    address: str = Field(max_length=500, description="The e-mail address, or the webhook's "
                                                     "http(s) URL")
    language: Literal["vi", "en"] = Field(default="vi", description="The messages' language")


class SubscriptionOut(BaseModel):
    id: str = Field(description="The subscription's id")
    role: str | None = Field(description="The role told, or null for a person")
    province: str | None = Field(description="The role's province, `*` for every one")
    person: str | None = Field(description="The named person, or null")
    channel: str = Field(description="email or webhook")
    address: str = Field(description="Where the notices go")
    language: str = Field(description="vi or en")
    created_at: str = Field(description="When it was made (UTC)")


class SubscriptionCreated(SubscriptionOut):
    secret: str | None = Field(description="A webhook's signing secret, shown only in this "
                                           "answer (README: the signature scheme); null for "
                                           "e-mail")


class SubscriptionList(BaseModel):
    items: list[SubscriptionOut] = Field(description="The subscriptions of your provinces "
                                                     "and the named persons'")


class Attempt(BaseModel):
    attempt: int = Field(description="1 for the first")
    at: str = Field(description="When it was made (UTC)")
    outcome: str = Field(description="sent or failed")
    detail: str = Field(description="What went wrong (empty when sent)")


class NoticeOut(BaseModel):
    notice_key: str = Field(description="What, which case or certificate, which threshold, "
                                        "whom: unique, so a notice is enqueued once")
    kind: str = Field(description="e.g. report_due, report_overdue, critical_flag")
    subject: str = Field(description="The case id, or donor id/certificate number")
    threshold: str = Field(description="The due date, the flag's first day, the event...")
    subscription_id: str = Field(description="The recipient")
    channel: str = Field(description="email or webhook")
    language: str = Field(description="vi or en")
    case_id: str | None = Field(description="The case, when about a case")
    donor_id: str | None = Field(description="The donor, when about a certificate")
    reference: str = Field(description="The case reference or the certificate number")
    provinces: list[str] = Field(description="The provinces it concerns")
    facts: dict[str, Any] = Field(description="What the message says")
    send_on: str = Field(description="Not sent before this day (Vietnam)")
    status: str = Field(description="pending (held while its channel is not configured), "
                                    "sending, sent or dead (after the last attempt)")
    attempts: int = Field(description="Attempts made")
    next_attempt_at: str = Field(description="When it may be tried next (UTC)")
    created_at: str = Field(description="When it was enqueued (UTC)")
    sent_at: str | None = Field(description="When it was delivered (UTC)")
    last_error: str | None = Field(description="The last failure, without secrets")
    attempt_log: list[Attempt] = Field(description="Every attempt, in order")


class NoticeList(BaseModel):
    items: list[NoticeOut] = Field(description="Newest first")
