"""What each stable problem ``code`` means: one short explanation per code, served at the
problem's ``type`` (``/problems/<code>``). ``tests/api/test_problem_types.py`` fails when the
code base can answer a code that has no entry here."""

from __future__ import annotations

import re

# Codes made from a name (``invalid_<field>``): one entry for the family.
FAMILIES: dict[str, str] = {
    "invalid_<field>": "The value of the named field (a filter or a choice such as `status`, "
                       "`kind` or `severity`) is not one of the values it may take; the detail "
                       "lists them.",
    "<what>_not_found": "The case or donor does not exist, or not for you: a case outside your "
                        "provinces is answered as if it did not exist.",
}

EXPLANATIONS: dict[str, str] = {
    # authentication and authorisation
    "not_authenticated": "No bearer token, or one that is malformed, wrongly signed, unsigned "
                         "or expired. Get a new token from your identity provider.",
    "token_lifetime_too_long": "The token is valid for longer than the server allows "
                               "(AIDTRAIL_JWT_MAX_LIFETIME_SECONDS). Ask for a shorter-lived one.",
    "invalid_token_claims": "The token's `sub`, `roles` or `provinces` claim is empty, too long, "
                            "holds control characters or has the wrong shape.",
    "forbidden": "Your role may not do this. The table of roles per command is in the README.",
    "whole_store_requires_all_provinces": "The audit chain and export cover every province: "
                                          "they need an auditor whose provinces are `*`.",
    "province_not_in_scope": "A report covers one province, and yours are others: ask for one "
                             "of the provinces of your token.",
    "unknown_role": "The actor's role is not one of AidTrail's roles.",
    "invalid_actor": "The command carries no valid actor (id and role).",
    "application_error": "The application refused the request; the detail says why.",
    # not found
    "not_found": "Nothing is at this path, or the thing does not exist for you.",
    "case_not_found": "The case does not exist, or it is outside your provinces.",
    "donor_not_found": "The donor is not in the register.",
    "certificate_not_found": "The donor has no certificate with this number.",
    "amendment_not_found": "The case has no amendment with this id.",
    "report_not_found": "The case has no report with this id.",
    "command_not_found": "The workspace offers no command by this name here.",
    "province_not_found": "The province code is not one the rules know.",
    "subscription_not_found": "No notification subscription has this id in your provinces.",
    # the order of the procedure (409)
    "transition_not_allowed": "The case's state does not allow this command; the problem names "
                              "the state and the commands allowed in it.",
    "case_suspended": "The case is suspended: no money moves until it is resumed.",
    "implementation_started": "Money has already been received: there is no delay to justify.",
    "not_state_budget_revenue": "The aid is not state-budget revenue: there is nothing to enter "
                                "in the budget.",
    "no_rules_transition": "The case was approved under the rules in force: there is no "
                           "transition to review.",
    "consultation_already_requested": "This agency has already been consulted on the case.",
    "consultation_not_requested": "An opinion can only come from an agency that was consulted.",
    "consultation_incomplete": "A mandatory consultee has not replied and its reply is not yet "
                               "overdue, so the appraisal cannot be completed.",
    "amendment_pending": "The case has an amendment waiting for a decision; one at a time.",
    "amendment_not_pending": "The amendment was already decided.",
    "report_already_submitted": "A report of this kind and period was already submitted and "
                                "not returned.",
    "report_not_submitted": "Only a submitted report can be reviewed.",
    "period_not_ended": "A report cannot be submitted before the end of its period.",
    "certificate_not_active": "The certificate is suspended, revoked, terminated or expired, so "
                              "this cannot be done with it.",
    # conflicts (409)
    "conflict": "The record already exists or was changed concurrently; read it again.",
    "duplicate_reference": "A case with this reference exists (a case's id derives from it).",
    "duplicate_donor": "A donor with this code is already registered.",
    "duplicate_certificate": "The donor already has a certificate with this number.",
    "duplicate_amendment": "An amendment with this id exists on the case.",
    "report_id_conflict": "This report id is used by another report (kind or period differ).",
    "concurrent_write": "Other writers kept changing the case while the command was retried; "
                        "send it again.",
    "idempotency_key_in_progress": "A request with this Idempotency-Key is still running; retry "
                                   "after it ends to get its answer.",
    "iati_identifier_changed": "The case was published to IATI under another identifier; the "
                               "reporting organisation's ref may not change for it.",
    # rules (409, may be recorded with a deviation)
    "rule_violation": "A legal or financial rule refuses the command; repeat it with a "
                      "`deviation` (reason and document) to record it anyway.",
    "receipt_before_approval": "Money cannot move before the approval decision (Decree 80/2020; "
                               "compliance flag C01).",
    "authority_level": "The decision is signed at a level the rule profile does not allow and "
                       "no delegation covers (Decree 80/2020 Art. 7; flag C02).",
    "dossier_untranslated": "A document of the dossier is attached only in a foreign language: "
                            "attach its Vietnamese translation (a document of the same kind "
                            "in `vi`), or record the submission with a deviation.",
    "dossier_incomplete": "An item of the dossier (request, donor consent, project document, "
                          "donor legal-status proof) is missing (Decree 80/2020 Art. 8; flag "
                          "C05).",
    "donor_certificate_invalid": "The donor's Decree 58/2022 certificate is missing, not valid on "
                                 "the date, or does not cover the province or a sector (flag C03).",
    "overspending": "Disbursed and spent would exceed what was received or approved (flag C10).",
    "commitment_exceeds_approved": "Commitments would exceed the approved amount (flag C10).",
    "outside_approved_period": "The movement is dated outside the approved period (flag C11).",
    "aid_account_missing": "A cash movement needs the aid account it went through (flag C13).",
    "segregation_of_duties": "The approver submitted or appraised this case, or decides their own "
                             "amendment request (flag C18).",
    "deviation_without_breach": "A `deviation` was given but the command breaks no rule; leave "
                                "it out, so that no justification is silently dropped.",
    "deviation_reason_too_short": "A deviation's reason needs at least three words.",
    # versions (412) and reads
    "stale_version": "The case has moved on since the version in If-Match; read it again.",
    "invalid_if_match": "If-Match must be a version (`\"3\"`, `W/\"3\"`) or `*`.",
    "version_beyond_head": "The case has no such version yet.",
    "invalid_query": "The query parameters contradict each other (e.g. version and as_of).",
    "invalid_sort": "The view cannot be sorted by this column; the detail lists those it can.",
    "invalid_status": "The status is not one the view or the export knows; the detail lists "
                      "them.",
    "invalid_filter": "A filter's value is not one the view knows.",
    "invalid_group_by": "The portfolio cannot be grouped by this dimension.",
    "invalid_cursor": "The cursor is not one this server gave for this sort; start again "
                      "without it.",
    "invalid_limit": "`limit` must be between 1 and 200.",
    "min_position_beyond_head": "`min_position` is beyond the last event of the log.",
    "position_beyond_head": "A report's `position` is beyond the last event of the log.",
    "goods_without_in_kind": "Goods (kind, quantity, unit) are recorded on a receipt in kind: "
                             "set `in_kind`.",
    "invalid_goods": "The goods' kind and unit are texts of 1 to 200 characters; their "
                     "quantity is above 0, below 10^12, with at most 3 decimals.",
    "no_report_layout": "The report has no column set in the rule data for a period that "
                        "early: ask for a later period.",
    "invalid_period": "A report's `period` is a year (`2026`), a half-year (`2026-H1`, "
                      "`2026-H2`) or a month (`2026-06`).",
    "control_character_in_query": "A query parameter holds a control character (NUL, newline...).",
    "date_out_of_range": "The date lies outside 1900-01-01..2200-12-31.",
    "pipeline_not_included": "Cases not yet approved are in the pipeline: add "
                             "`include_pipeline=true` to export them.",
    "iati_activity_invalid": "The case's IATI activity fails the schema or the standard's rules; "
                             "the problem lists what to correct.",
    # input (422)
    "validation_error": "The body or a parameter does not match the schema; `errors` names each "
                        "field.",
    "malformed_body": "The body is not valid JSON.",
    "number_not_allowed": "Amounts and rates are JSON strings (`\"1250.50\"`), never numbers, "
                          "which may have passed through a float.",
    "float_not_allowed": "An amount was given as a float; give it as a decimal string.",
    "invalid_input": "The input is malformed or inconsistent; the detail names the field.",
    "required": "The field must be given and not empty.",
    "amount_out_of_range": "The amount, rate or total is beyond the bound no real aid reaches; "
                           "`maximum` gives it.",
    "invalid_amount": "An amount must be a positive decimal.",
    "too_many_decimals": "The amount has more decimals than its currency's minor units (VND "
                         "none, USD two).",
    "unknown_currency": "Not an ISO 4217 currency code.",
    "currency_mismatch": "The amount must be in the case's currency.",
    "invalid_rate": "An exchange rate must be a positive decimal.",
    "rate_required": "A rate to the case currency is needed for an amount in another currency.",
    "vnd_rate_required": "A VND rate is needed for an amount not in VND.",
    "date_order": "The dates are in the wrong order (e.g. start after end).",
    "commune_incomplete": "A commune is given by its code and its name, both or neither.",
    "unknown_commune": "The commune code is not on the commune list this deployment configured.",
    "invalid_aid_owner_kind": "The aid owner's kind is commune, provincial_department or "
                              "organisation.",
    "invalid_date": "Not a date in the form YYYY-MM-DD.",
    "actual_end_in_future": "The actual end of the activities cannot be in the future.",
    "report_period": "The period does not match the report's kind (a half year, a calendar year, "
                     "or the whole implementation).",
    "sector_percentages": "The sectors' percentages must be positive and add up to 100.",
    "invalid_sector": "Not an OECD DAC sector code.",
    "invalid_reference": "A reference is letters and digits separated by dashes "
                         "(e.g. BN-2026-0042).",
    "invalid_code": "A code is letters, digits, dots, dashes and underscores.",
    "invalid_country": "Not an ISO 3166-1 alpha-2 country code.",
    "invalid_donor_id": "Not a donor's id (a uuid).",
    "invalid_donor_kind": "The donor kind is not foreign_ngo, foreign_government, multilateral "
                          "or other.",
    "invalid_certificate_kind": "A certificate is of kind operation or representative_office.",
    "certificate_validity_too_long": "An operation certificate lasts at most 3 years, a "
                                     "representative-office one 5 (Decree 58/2022).",
    "donor_mismatch": "The certificate or donor named is not the case's donor.",
    "invalid_document": "A document needs a kind, a title and a URI.",
    "unknown_document_kind": "The document kind is not one the dossier knows.",
    "invalid_category": "Not an IATI document category code.",
    "invalid_language": "Not an ISO 639-1 language code.",
    "invalid_sha256": "A checksum is 64 hexadecimal characters.",
    "invalid_flag": "Flags are true or false.",
    "nothing_to_update": "The update changes nothing.",
    "reasons_required": "Returning or refusing needs at least one reason.",
    "amendment_changes": "An amendment changes a non-empty subset of the amendable fields.",
    "amendment_below_used": "An amended amount cannot fall below what was already disbursed and "
                            "spent.",
    "no_rule_profile": "No rule profile is in force on that date.",
    "domain_error": "The command was refused; the detail says why.",
    "idempotency_key_reused": "This Idempotency-Key was used with another body; use a new key.",
    "payload_too_large": "The body is over the size limit (1 MiB).",
    "unsupported_media_type": "A command's body must be JSON (`Content-Type: application/json`).",
    "method_not_allowed": "The path does not serve this method; `Allow` lists those it serves.",
    "http_error": "The request was refused by the HTTP layer; the detail says why.",
    # the service (5xx)
    "database_unavailable": "The database does not answer; retry after `Retry-After` seconds. "
                            "Nothing was recorded.",
    "database_busy": "Other writes held the database for the whole bounded wait; retry.",
    "identity_provider_unavailable": "The identity provider's key set (JWKS) could not be "
                                     "fetched to verify the token; retry later.",
    "metrics_loopback_only": "/metrics answers only clients on this machine unless a metrics "
                             "token is configured.",
    "metrics_token_required": "/metrics needs the configured metrics token as a bearer token.",
    "view_not_caught_up": "The view has not reached `min_position` in time; retry after "
                          "`Retry-After` seconds.",
    "projection_failed": "A view's projection fails on an event; an operator must look at it "
                         "(`aidtrail projections status`).",
    "internal_error": "An unexpected error; it is logged with the request id. Report it.",
    "error": "An error without a more specific code.",
}

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def explanation(code: str) -> str | None:
    """The explanation of ``code``, or of its family, or ``None`` for a code we never send."""
    if not _NAME.fullmatch(code):
        return None
    if code in EXPLANATIONS:
        return EXPLANATIONS[code]
    if code.startswith("invalid_"):
        return FAMILIES["invalid_<field>"]
    if code.endswith("_not_found"):
        return FAMILIES["<what>_not_found"]
    return None
