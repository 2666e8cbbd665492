"""An aggregate's marks indexed once and grown batch by batch (``domain.compliance.history``)
read as the marks indexed all at once."""

from __future__ import annotations

import pytest

from application.projections.known_marks import AggregateMarks
from domain.compliance import History, Mark
from domain.compliance.history import EventIndex

CASE = [Mark(1, "Opened"), Mark(2, "FundsReceived", deviations=1),
        Mark(3, "ReportSubmitted", "R-1"), Mark(4, "DisbursementRecorded", deviations=2),
        Mark(5, "ReportSubmitted", "R-2"), Mark(6, "FundsReceived")]
DONOR = [Mark(1, "Registered"), Mark(2, "CertificateIssued", "123/GDK"),
         Mark(3, "CertificateSuspended", "123/GDK")]


def answers(h: History) -> list[object]:
    return [[h.deviation(i) for i in range(-4, 4)], [h.transaction(i) for i in range(-4, 4)],
            h.transactions(5), h.named("ReportSubmitted"), h.named("ReportSubmitted", "R-1"),
            h.named("ReportSubmitted", which=None), h.named("FundsReceived", which=0),
            h.named("Missing"), [h.certificate("123/GDK", i) for i in (-1, 0, 1, 2)]]


def test_an_index_grown_in_batches_answers_as_marks_given_at_once_in_any_order() -> None:
    grown = EventIndex(CASE[:2])
    for m in CASE[2:]:
        grown.add(m.version, m.name, m.key, m.deviations)
    at_once = History(CASE[::-1], DONOR[::-1])
    assert answers(History(grown, EventIndex(DONOR))) == answers(at_once)
    assert at_once.transactions(5) == [[2], [4], [6], [], []]
    assert at_once.certificate("123/GDK", -1) == [3]


def test_a_mark_not_later_than_the_last_one_added_is_refused() -> None:
    index = EventIndex(CASE[:3])
    with pytest.raises(ValueError, match="version 3 added after version 3"):
        index.add(3, "FundsReceived")


def test_stored_marks_map_versions_to_positions_and_must_follow_one_another() -> None:
    marks = AggregateMarks([(1, 40, "Opened", "", 0), (2, 57, "FundsReceived", "", 0)])
    assert (marks.version, marks.last, marks.positions([2, 1, 3, 0])) == (2, 57, {40, 57})
    with pytest.raises(ValueError, match="mark of version 4 after version 2"):
        marks.extend([(4, 60, "FundsReceived", "", 0)])
    assert (AggregateMarks().version, AggregateMarks().last) == (0, 0)
