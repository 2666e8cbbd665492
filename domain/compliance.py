"""Compliance checks C01-C18 (SPEC §3) as pure functions: a case in, business-date spans out.

A ``FlagSpan`` is the interval of business dates in which a condition holds: open on D when
``active_from <= D`` and (``active_until`` is None or ``D < active_until``). One table of spans
therefore answers "what was open on any date"; a resolved span keeps both of its dates.
Flags that record a fact (money before approval, a wrong signer...) never close.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from domain import case_guards as g
from domain import policy
from domain.phases.records import Amendment
from domain.rules import RuleProfile

if TYPE_CHECKING:
    from domain.case import AidCase
    from domain.donor import Donor

CRITICAL, WARNING = "critical", "warning"
SEVERITY = {"C01": CRITICAL, "C02": CRITICAL, "C03": CRITICAL, "C04": WARNING, "C06": WARNING,
            "C07": WARNING, "C08": WARNING, "C09": WARNING, "C10": CRITICAL, "C11": WARNING,
            "C13": CRITICAL, "C17": WARNING, "C18": CRITICAL}
FINAL_STATES = (g.REJECTED, g.REVOKED, g.CLOSED)
# After these a case takes no more receipts: its certificate-relevant dates are all known.
SETTLED_STATES = FINAL_STATES + (g.COMPLETED, g.TERMINATED)
MONEY_EVENTS = ("CommitmentRecorded", "FundsReceived", "DisbursementRecorded",
                "ExpenditureRecorded", "RefundRecorded")
MOVEMENTS = ("received", "disbursed", "spent")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class FlagSpan:
    code: str
    severity: str
    message: str
    rule_ref: str
    active_from: date
    active_until: date | None = None
    evidence: tuple[int, ...] = ()        # versions of the case's events
    donor_evidence: tuple[int, ...] = ()  # versions of the donor's events

    def is_open(self, on: date) -> bool:
        return self.active_from <= on and (self.active_until is None or on < self.active_until)


@dataclass(frozen=True)
class Mark:
    """One stored event, as much as is needed to say which event a fact came from."""

    version: int
    name: str
    key: str = ""
    deviations: int = 0


def mark(version: int, name: str, event: Any) -> Mark:
    key = next((str(getattr(event, a)) for a in ("report_id", "agency", "amendment_id",
                                                 "number", "about") if hasattr(event, a)), "")
    return Mark(version, name, key, len(getattr(event, "deviations", None) or ()))


def marks_of(events: Iterable[Any]) -> list[Mark]:
    """Marks of domain events (e.g. an aggregate's pending events in a test)."""
    return [mark(e.originator_version, type(e).__name__, e) for e in events]


class History:
    """Maps the facts of an aggregate's state back to the versions of the events that made
    them: the i-th deviation, the i-th money transaction, events by name and key."""

    def __init__(self, case: Sequence[Mark] = (), donor: Sequence[Mark] = ()) -> None:
        ordered = sorted(case, key=lambda m: m.version)
        self._deviations = [m.version for m in ordered for _ in range(m.deviations)]
        self._money = [m.version for m in ordered if m.name in MONEY_EVENTS]
        self._named: dict[tuple[str, str], list[int]] = {}
        for m in ordered:
            self._named.setdefault((m.name, ""), []).append(m.version)
            if m.key:
                self._named.setdefault((m.name, m.key), []).append(m.version)
        self._certs: dict[str, list[int]] = {}
        for m in sorted(donor, key=lambda m: m.version):
            if m.key and m.name.startswith("Certificate"):
                self._certs.setdefault(m.key, []).append(m.version)

    def deviation(self, index: int) -> list[int]:
        return _at(self._deviations, index)

    def transaction(self, index: int) -> list[int]:
        return _at(self._money, index)

    def named(self, name: str, key: str = "", which: int | None = -1) -> list[int]:
        found = self._named.get((name, key), [])
        return list(found) if which is None else _at(found, which)

    def certificate(self, number: str, index: int) -> list[int]:
        """The donor event that wrote the index-th history entry of a certificate."""
        return _at(self._certs.get(number, []), index)


def _at(items: list[int], index: int) -> list[int]:
    return [items[index]] if -len(items) <= index < len(items) else []


# --- the case's dates ---------------------------------------------------------------------

def active_interval(case: AidCase) -> tuple[date, date | None] | None:
    """Active from the approval decision until revoked, terminated, closed or the day after
    the actual end; suspension does not end it (a suspended case is still a live case)."""
    if case.approval is None:
        return None
    start: date = case.approval["decision_date"]
    ends = [d for d in (_on(case.revocation), _on(case.termination), _on(case.closure),
                        case.actual_end + DAY if case.actual_end else None) if d is not None]
    end = min(ends) if ends else None
    if end is not None and end <= start:
        return None
    return start, end


def certificate_horizon(case: AidCase) -> date | None:
    """The last date on which the donor's certificates matter to this case, or None while
    the case can still take money (a donor change dated later cannot change its flags)."""
    if case.status not in SETTLED_STATES:
        return None
    dates = [s["on"] for s in case.submissions] + [t["effective_date"] for t in
                                                   case.transactions]
    active = active_interval(case)
    if case.approval is not None:
        dates.append(case.approval["decision_date"])
    if active is not None and active[1] is not None:
        dates.append(active[1])
    return max(dates) if dates else case.opened_on


def _on(record: Mapping[str, Any] | None) -> date | None:
    return record["on"] if record else None


def _decided_on(amendment: Amendment) -> date:
    assert amendment["decision"] is not None, "a decided amendment keeps its decision"
    return amendment["decision"]["effective_date"]


def _intervals(points: Iterable[date], holds: Callable[[date], bool], start: date,
               end: date | None) -> list[tuple[date, date | None]]:
    """Maximal intervals of [start, end) where ``holds``; it may change only at ``points``."""
    cuts = sorted({start} | {p for p in points if p > start and (end is None or p < end)})
    result: list[tuple[date, date | None]] = []
    opened: date | None = None
    for cut in cuts:
        if holds(cut):
            opened = cut if opened is None else opened
        elif opened is not None:
            result.append((opened, cut))
            opened = None
    if opened is not None:
        result.append((opened, end))
    return result


def _cite(profile: RuleProfile, name: str) -> str:
    param = profile.params.get(name)
    if param is None:
        return profile.instrument
    text = param.citation
    return text if param.verified else f"{text} (parameter {name} of {profile.ref})"


def _deviation_text(entry: Mapping[str, Any]) -> str:
    return f"deviation recorded: {entry['reason']} (document {entry['document']})"


# --- the checks ---------------------------------------------------------------------------

class _Checks:
    def __init__(self, case: AidCase, donor: Donor | None, profile: RuleProfile,
                 history: History) -> None:
        self.case, self.donor, self.profile, self.h = case, donor, profile, history
        self.spans: list[FlagSpan] = []
        self.sectors = [s["code"] for s in case.sectors]

    def add(self, code: str, message: str, rule_ref: str, start: date,
            until: date | None = None, evidence: Iterable[int] = (),
            donor_evidence: Iterable[int] = ()) -> None:
        if until is not None and until <= start:
            return
        self.spans.append(FlagSpan(code, SEVERITY[code], message, rule_ref, start, until,
                                   tuple(sorted(set(evidence))),
                                   tuple(sorted(set(donor_evidence)))))

    def deviations(self, rule: str) -> Iterable[tuple[Mapping[str, Any], date, list[int]]]:
        """(entry, business date, evidence) of each deviation recorded against ``rule``."""
        for i, entry in enumerate(self.case.deviations):
            if entry["rule"] != rule:
                continue
            on = entry["effective_date"]
            if entry["event"] == "Approved" and self.case.approval is not None:
                on = self.case.approval["decision_date"]
            yield entry, on, self.h.deviation(i)

    def from_deviations(self, rule: str, what: str) -> None:
        code = g.RULE_FLAGS[rule]
        for entry, on, versions in self.deviations(rule):
            self.add(code, f"{what} ({entry['event']} on {on.isoformat()}); "
                     f"{_deviation_text(entry)}", g.rule_ref(rule, self.profile), on,
                     evidence=versions)

    def transactions(self, kinds: Sequence[str]) -> Iterable[tuple[Mapping[str, Any], list[int]]]:
        for i, t in enumerate(self.case.transactions):
            if t["kind"] in kinds:
                yield t, self.h.transaction(i)

    # C01 [critical] Decree 80/2020: aid is received and used only after approval.
    def c01(self) -> None:
        approval = self.case.approval
        for t, versions in self.transactions(MOVEMENTS):
            on = t["effective_date"]
            if approval is None or on < approval["decision_date"]:
                self.add("C01", f"{t['kind']} {t['case_amount']} {self.case.currency} on "
                         f"{on.isoformat()} before approval", g.rule_ref(
                             "receipt_before_approval", self.profile), on, evidence=versions)
        self.from_deviations("receipt_before_approval", "money received or used before approval")

    # C02 [critical] Decree 80/2020 Art. 7: approval (and amendments) by the competent authority.
    def c02(self) -> None:
        ref = g.rule_ref("authority_level", self.profile)
        decisions: list[tuple[Mapping[str, Any], Decimal | None, date, str, list[int]]] = []
        if self.case.approval is not None:
            a = self.case.approval
            decisions.append((a, a["approved_vnd"], a["decision_date"], "approval",
                              self.h.named("Approved")))
        for am in self.case.amendments:
            decided = am.get("decision")
            if decided is not None:
                event = "AmendmentApproved" if am["status"] == "approved" else "AmendmentRefused"
                decisions.append((decided, am["changes"].get("approved_vnd",
                                                             self.case.approved_vnd),
                                  decided["effective_date"], f"amendment {am['id']} decision",
                                  self.h.named(event, am["id"])))
        for d, vnd, on, what, versions in decisions:
            if not policy.authority_covers(self.profile, required=d["required_authority_level"],
                                           signer_level=d["authority_level"],
                                           vnd_amount=vnd or Decimal(0)):
                self.add("C02", f"{what} signed at {d['authority_level']}; "
                         f"{d['required_authority_level']} is required", ref, on,
                         evidence=versions)
        self.from_deviations("authority_level", "decided by an authority other than the required")

    # C03 [critical] Decree 58/2022: a foreign NGO works only under a valid certificate that
    # covers the province and the fields; checked at submission, approval and each receipt,
    # and on every day the case is active (a suspension or revocation flags it at once).
    def c03(self) -> None:
        ref = g.rule_ref("donor_certificate_invalid", self.profile)
        self.from_deviations("donor_certificate_invalid", "donor certificate invalid")
        donor = self.donor
        if donor is None or not donor.is_foreign_ngo:
            return
        moments: list[tuple[date, str, list[int]]] = []
        submitted = self.h.named("DossierSubmitted", which=None)
        for i, s in enumerate(self.case.submissions):
            moments.append((s["on"], "submission", submitted[i:i + 1]))
        if self.case.approval is not None:
            moments.append((self.case.approval["decision_date"], "approval",
                            self.h.named("Approved")))
        for t, versions in self.transactions(("received",)):
            moments.append((t["effective_date"], "receipt", versions))
        for on, what, versions in moments:
            problem = donor.certificate_problem(on, self.case.province, self.sectors)
            if problem:
                self.add("C03", f"at {what} on {on.isoformat()}: {problem}", ref, on,
                         evidence=versions)
        active = active_interval(self.case)
        if active is None:
            return

        def invalid(day: date) -> bool:
            return donor.certificate_problem(day, self.case.province, self.sectors) is not None

        for start, until in _intervals(self._certificate_dates(0), invalid, *active):
            problem = donor.certificate_problem(start, self.case.province, self.sectors)
            self.add("C03", f"while the case is active, from {start.isoformat()}: {problem}",
                     ref, start, until, evidence=self.h.named("Approved"),
                     donor_evidence=self._certificate_events(start))

    def _certificate_dates(self, warning_days: int) -> set[date]:
        """Every date on which the donor's certificate situation (or its warning) may change."""
        assert self.donor is not None
        points: set[date] = set()
        for cert in self.donor.certificates.values():
            for entry in cert["history"]:
                points.add(entry["effective_date"])
                for key in ("issued_on",):
                    if entry.get(key):
                        points.add(entry[key])
                if entry.get("expires_on"):
                    points |= {entry["expires_on"] + DAY,
                               entry["expires_on"] - timedelta(days=warning_days)}
                if entry.get("until"):
                    points.add(entry["until"] + DAY)
        return points

    def _certificate_events(self, start: date, expiry: date | None = None) -> list[int]:
        """The donor events behind a change on ``start`` (or that set ``expiry``)."""
        assert self.donor is not None
        found: list[int] = []
        for number, cert in self.donor.certificates.items():
            for i, entry in enumerate(cert["history"]):
                exp = entry.get("expires_on")
                if entry["effective_date"] == start or (exp and exp + DAY == start) or (
                        expiry is not None and exp == expiry) or entry.get("issued_on") == start:
                    found += self.h.certificate(number, i)
        return found

    # C04 [warning] Decree 58/2022 certificate validity; the warning window is not verified.
    def c04(self) -> None:
        donor, active = self.donor, active_interval(self.case)
        if donor is None or not donor.is_foreign_ngo or active is None:
            return
        days = int(self.profile.value("certificate_expiry_warning_days"))

        def expiries(day: date) -> list[date]:
            result = []
            for number in donor.certificates:
                view = donor.certificate_as_of(number, day)
                if (view is not None and view["issued_on"] <= day <= view["expires_on"]
                        and view["status"] == "active" and self.case.province in view["provinces"]
                        and all(any(s.startswith(f) for f in view["fields"])
                                for s in self.sectors)):
                    result.append(view["expires_on"])
            return result

        def expiring(day: date) -> bool:
            found = expiries(day)
            return bool(found) and max(found) <= day + timedelta(days=days)

        ref = ("Decree 58/2022/ND-CP: certificate validity; "
               + _cite(self.profile, "certificate_expiry_warning_days"))
        for start, until in _intervals(self._certificate_dates(days), expiring, *active):
            expiry = max(expiries(start))
            self.add("C04", f"the donor's certificate expires on {expiry.isoformat()} "
                     f"(within {days} days) while the case is active", ref, start, until,
                     evidence=self.h.named("Approved"),
                     donor_evidence=self._certificate_events(start, expiry))

    # C06 [warning] Decree 80/2020: appraisal within 20 days, VUFO consulted for a foreign NGO;
    # the consultee reply window is not verified.
    def c06(self) -> None:
        appraisal = self.case.appraisal
        if appraisal is None:
            return
        started = self.h.named("AppraisalStarted")
        ended, end_versions = appraisal.get("completed_on"), self.h.named("AppraisalCompleted")
        if ended is None:
            returns = [r["on"] for r in self.case.returns if r["on"] >= appraisal["accepted_on"]]
            ended = min(returns) if returns else None
            end_versions = self.h.named("DossierReturned") if returns else []
        due = appraisal["due_on"]
        self.add("C06", f"appraisal due {due.isoformat()} not completed",
                 _cite(self.profile, "appraisal_days"), due + DAY, ended,
                 evidence=started + end_versions)
        for agency, c in self.case.consultations.items():
            stops = [d for d in (c["replied_on"], ended) if d is not None]
            self.add("C06", f"reply of {agency} due {c['reply_due_on'].isoformat()} overdue",
                     _cite(self.profile, "consultee_reply_days"), c["reply_due_on"] + DAY,
                     min(stops) if stops else None,
                     evidence=self.h.named("ConsultationRequested", agency)
                     + self.h.named("OpinionRecorded", agency))
        vufo = str(self.profile.value("mandatory_consultee_foreign_ngo"))
        completed = appraisal.get("completed_on")
        if (self.donor is not None and self.donor.is_foreign_ngo and completed is not None
                and vufo not in self.case.consultations):
            self.add("C06", f"appraisal completed without consulting {vufo}, the mandatory "
                     "consultee for a foreign-NGO donor",
                     _cite(self.profile, "mandatory_consultee_foreign_ngo"), completed,
                     evidence=started + self.h.named("AppraisalCompleted"))

    # C07 [warning] Decree 80/2020: an approval not implemented within 6 months may be revoked.
    def c07(self) -> None:
        approval = self.case.approval
        if approval is None:
            return
        deadline = approval.get("implementation_deadline") or policy.implementation_deadline(
            self.profile, approval["decision_date"])
        stops: list[tuple[date, list[int]]] = []
        receipts = list(self.transactions(("received",)))
        if receipts:
            first = min(receipts, key=lambda r: r[0]["effective_date"])
            stops.append((first[0]["effective_date"], first[1]))
        for record, event in ((self.case.delay_justified, "DelayJustified"),
                              (self.case.revocation, "Revoked"),
                              (self.case.termination, "Terminated")):
            if record is not None:
                stops.append((record["on"], self.h.named(event)))
        stop = min(stops, key=lambda s: s[0]) if stops else None
        months = self.profile.value("implementation_start_months")
        self.add("C07", f"no receipt and no justified delay {months} months after approval "
                 f"(deadline {deadline.isoformat()}): revocation candidate",
                 _cite(self.profile, "implementation_start_months"), deadline + DAY,
                 stop[0] if stop else None,
                 evidence=self.h.named("Approved") + (stop[1] if stop else []))

    # C08/C09 [warning] Decree 80/2020: reports every 6 months and annually; due days and the
    # completion/settlement deadlines are not verified.
    def reports(self) -> None:
        start_versions = next((v for t, v in self.transactions(("received",))
                               if t["effective_date"] == self.case.actual_start), [])
        end_versions = self.h.named("ActivitiesCompleted") or self.h.named("Terminated")
        for ob in case_obligations(self.case, self.profile):
            whole = ob.kind in (policy.COMPLETION, policy.SETTLEMENT)
            code = "C09" if whole else "C08"
            param = {policy.HALF_YEAR: "half_year_report_due_days",
                     policy.ANNUAL: "annual_report_due_days",
                     policy.COMPLETION: "completion_report_due_days",
                     policy.SETTLEMENT: "settlement_due_days"}[ob.kind]
            versions = start_versions + (end_versions if whole else [])
            for rid in ob.report_ids:
                versions += self.h.named("ReportSubmitted", rid, None)
                versions += self.h.named("ReportReturned", rid, None)
            for start, until in ob.overdue():
                self.add(code, f"{ob.kind.replace('_', '-')} report for "
                         f"{ob.period_start.isoformat()}..{ob.period_end.isoformat()} due "
                         f"{ob.due_on.isoformat()} not submitted", _cite(self.profile, param),
                         start, until, evidence=versions)

    # C10 [critical] Decree 80/2020 and §2.3: uses within receipts (+ tolerance, not verified)
    # and within the approved amount as amended; commitments within the approved amount.
    def c10(self) -> None:
        txs = sorted(enumerate(self.case.transactions), key=lambda p: p[1]["effective_date"])
        if not txs:
            return
        ceiling = 1 + g.tolerance(self.profile) / 100
        approval = self.case.approval
        changes = sorted(((_decided_on(a), a["changes"]["approved_amount"],
                           a["id"]) for a in self.case.amendments
                          if a["status"] == "approved" and "approved_amount" in a["changes"]),
                         key=lambda c: c[0])

        def approved(day: date) -> Decimal | None:
            if approval is None or day < approval["decision_date"]:
                return None
            amount = approval["approved_amount"]
            for on, value, _ in changes:
                if on <= day:
                    amount = value
            return amount

        points = {t["effective_date"] for _, t in txs} | {c[0] for c in changes}
        if approval is not None:
            points.add(approval["decision_date"])
        # One sweep: the running totals on each date where something may change.
        totals = dict.fromkeys(("committed", "received", "disbursed", "spent", "refunded"),
                               Decimal(0))
        snapshot: dict[date, dict[str, Decimal]] = {}
        pending = iter(txs)
        nxt = next(pending, None)
        for day in sorted(points):
            while nxt is not None and nxt[1]["effective_date"] <= day:
                totals[nxt[1]["kind"]] += nxt[1]["case_amount"]
                nxt = next(pending, None)
            snapshot[day] = dict(totals)

        def problems(day: date) -> list[str]:
            t, limit, cur = snapshot[day], approved(day), self.case.currency
            used = t["disbursed"] + t["spent"]
            found = []
            if used + t["refunded"] > t["received"] * ceiling:
                found.append(f"disbursed + spent + refunded {used + t['refunded']} exceed "
                             f"received {t['received']} {cur}")
            if limit is not None and used > limit:
                found.append(f"disbursed + spent {used} exceed the approved {limit} {cur}")
            if limit is not None and t["committed"] > limit:
                found.append(f"commitments {t['committed']} exceed the approved {limit} {cur}")
            return found

        ref = g.rule_ref("overspending", self.profile)
        notes = [(e, on, v) for rule in ("overspending", "commitment_exceeds_approved")
                 for e, on, v in self.deviations(rule)]
        for start, until in _intervals(points, lambda d: bool(problems(d)), txs[0][1][
                "effective_date"], None):
            evidence = [v for i, t in txs if t["effective_date"] in (start, until)
                        for v in self.h.transaction(i)]
            evidence += [v for on, _, aid in changes if on == until
                         for v in self.h.named("AmendmentApproved", aid)]
            inside = [(e, v) for e, on, v in notes if start <= on and (until is None or on < until)]
            text = "; ".join(problems(start) + [_deviation_text(e) for e, _ in inside])
            self.add("C10", f"over-spending from {start.isoformat()}: {text}", ref, start, until,
                     evidence=evidence + [x for _, v in inside for x in v])

    # C11 [warning] Decree 80/2020: aid used within the approved (amended) period.
    def c11(self) -> None:
        ref = g.rule_ref("outside_approved_period", self.profile)
        start, end = self.case.planned_start, self.case.planned_end
        for t, versions in self.transactions(MOVEMENTS):
            on = t["effective_date"]
            if not start <= on <= end:
                self.add("C11", f"{t['kind']} on {on.isoformat()} outside the approved period "
                         f"{start.isoformat()}..{end.isoformat()}", ref, on, evidence=versions)
        for entry, on, versions in self.deviations("outside_approved_period"):
            if not start <= on <= end:
                self.add("C11", _deviation_text(entry), ref, on, evidence=versions)
                continue
            cover = self._covering_amendment(on)
            self.add("C11", f"money moved on {on.isoformat()} outside the period then approved; "
                     f"{_deviation_text(entry)}", ref, on, cover[0] if cover else None,
                     evidence=versions + (cover[1] if cover else []))

    def _covering_amendment(self, on: date) -> tuple[date, list[int]] | None:
        """The first approved amendment after ``on`` whose period covers ``on``."""
        approved = [a for a in self.case.amendments if a["status"] == "approved"]
        # The period before any amendment is known only where no amendment changed it.
        period: dict[str, date | None] = {
            name: None if any(name in a["changes"] for a in approved) else getattr(self.case,
                                                                                  name)
            for name in ("planned_start", "planned_end")}
        for a in approved:
            for name in period:
                if name in a["changes"]:
                    period[name] = cast(Mapping[str, date], a["changes"])[name]
            decided = _decided_on(a)
            low, high = period["planned_start"], period["planned_end"]
            moved = "planned_start" in a["changes"] or "planned_end" in a["changes"]
            covers = (low is None or low <= on) and (high is None or on <= high)
            if moved and decided >= on and covers:
                return decided, self.h.named("AmendmentApproved", a["id"])
        return None

    # C13 [critical] Decree 80/2020: all cash passes through the aid account.
    def c13(self) -> None:
        ref = g.rule_ref("aid_account_missing", self.profile)
        for t, versions in self.transactions(MOVEMENTS + ("refunded",)):
            if not t["in_kind"] and not str(t["aid_account"]).strip():
                on = t["effective_date"]
                self.add("C13", f"cash {t['kind']} {t['case_amount']} {self.case.currency} on "
                         f"{on.isoformat()} without the aid account", ref, on, evidence=versions)
        self.from_deviations("aid_account_missing", "cash moved without the aid account")

    # C17 [warning] Decree 80/2020: the donor is notified of a refusal or a revocation.
    def c17(self) -> None:
        for record, about, event in ((self.case.rejection, "rejection", "Rejected"),
                                     (self.case.revocation, "revocation", "Revoked")):
            if record is None:
                continue
            told = [n["on"] for n in self.case.donor_notifications if n["about"] == about]
            self.add("C17", f"the donor was not notified of the {about} of "
                     f"{record['on'].isoformat()}", f"{self.profile.instrument}: the donor is "
                     f"notified of a {about}", record["on"], min(told) if told else None,
                     evidence=self.h.named(event) + self.h.named("DonorNotified", about, 0))

    # C18 [critical] internal control: the approver neither submitted nor appraised the case.
    def c18(self) -> None:
        a = self.case.approval
        if a is not None and a["approved_by"] in {self.case.submitted_by, self.case.appraised_by}:
            self.add("C18", f"{a['approved_by']} approved a case they submitted or appraised",
                     g.rule_ref("segregation_of_duties", self.profile), a["decision_date"],
                     evidence=self.h.named("Approved"))
        self.from_deviations("segregation_of_duties", "segregation of duties broken")


CHECKS = ("c01", "c02", "c03", "c04", "c06", "c07", "reports", "c10", "c11", "c13", "c17",
          "c18")


def evaluate_case(case: AidCase, donor: Donor | None, profile: RuleProfile,
                  history: History | None = None) -> list[FlagSpan]:
    """Every flag span of the case, sorted by code and start.

    ``profile`` is the case's own rule profile (its legal basis). ``history`` lets evidence
    name event versions; without it evidence is empty. Spans of one code that start on the
    same day are merged (the table's key is case, code and start).
    """
    checks = _Checks(case, donor, profile, history or History())
    for name in CHECKS:
        getattr(checks, name)()
    return _merge(checks.spans)


def _merge(spans: list[FlagSpan]) -> list[FlagSpan]:
    groups: dict[tuple[str, date], list[FlagSpan]] = {}
    for s in spans:
        groups.setdefault((s.code, s.active_from), []).append(s)
    merged = []
    for (code, start), same in sorted(groups.items()):
        untils = [s.active_until for s in same]
        merged.append(FlagSpan(
            code, SEVERITY[code], "; ".join(dict.fromkeys(s.message for s in same)),
            "; ".join(dict.fromkeys(s.rule_ref for s in same)), start,
            None if None in untils else max(u for u in untils if u is not None),
            tuple(sorted({v for s in same for v in s.evidence})),
            tuple(sorted({v for s in same for v in s.donor_evidence}))))
    return merged


# --- the reporting calendar ---------------------------------------------------------------

@dataclass(frozen=True)
class ObligationState:
    """A report owed, and what happened to the report(s) that answer it."""

    kind: str
    period_start: date
    period_end: date
    due_on: date
    report_id: str
    report_ids: tuple[str, ...] = ()
    first_submitted_on: date | None = None
    submitted_on: date | None = None
    accepted_on: date | None = None
    returned_on: date | None = None
    # Intervals in which a submission counted (submitted and not yet returned).
    counted: tuple[tuple[date, date | None], ...] = field(default=())

    def overdue(self) -> list[tuple[date, date | None]]:
        """Overdue on D: D after the due date and no counting submission on D (SPEC §3)."""
        result: list[tuple[date, date | None]] = []
        cursor: date | None = self.due_on + DAY
        for start, end in sorted(self.counted):
            if cursor is None:
                break
            if end is not None and end <= cursor:
                continue
            if start > cursor:
                result.append((cursor, start))
            cursor = end if end is None or end > cursor else cursor
        if cursor is not None:
            result.append((cursor, None))
        return result


def reporting_horizon(case: AidCase) -> date | None:
    """The last day of implementation the calendar counts: the actual end, or for a case
    still running the planned end as amended (never the clock). None: nothing owed."""
    if case.actual_start is None:
        return None
    return case.actual_end or max(case.planned_end, case.actual_start)


def case_obligations(case: AidCase, profile: RuleProfile) -> list[ObligationState]:
    horizon = reporting_horizon(case)
    if horizon is None:
        return []
    result = []
    closed_on = case.closure["on"] if case.closure else None
    for ob in policy.reporting_obligations(profile, first_receipt_on=case.actual_start,
                                           actual_end_on=case.actual_end, as_of=horizon,
                                           closed_on=closed_on):
        whole = ob.kind in (policy.COMPLETION, policy.SETTLEMENT)
        reports = [r for r in case.reports.values() if r["kind"] == ob.kind and (
            whole or (r["period_start"], r["period_end"]) == (ob.period_start, ob.period_end))]
        counted: list[tuple[date, date | None]] = []
        submitted, returned, accepted = [], [], []
        for r in reports:
            opened: date | None = None
            for change in r["history"]:
                if change["change"] == "submitted":
                    submitted.append(change["on"])
                    opened = change["on"] if opened is None else opened
                elif change["change"] == "returned":
                    returned.append(change["on"])
                    if opened is not None:
                        counted.append((opened, change["on"]))
                    opened = None
                elif change["change"] == "accepted":
                    accepted.append(change["on"])
            if opened is not None:
                counted.append((opened, None))
        best = sorted(reports, key=lambda r: r["status"] == "returned")
        result.append(ObligationState(
            ob.kind, ob.period_start, ob.period_end, ob.due_on,
            best[0]["report_id"] if best else ob.report_id,
            tuple(r["report_id"] for r in reports),
            min(submitted, default=None), max(submitted, default=None),
            max(accepted, default=None), max(returned, default=None), tuple(counted)))
    return result
