"""The reads pass two makes of the resolver's ids, put so that many documents' reads are
checked at once (:func:`lasting_reads`, :meth:`Resolver.still_answers`): a build keeps the
journal's rows whole on that one check, so it must say what checking each document's log
(:meth:`Resolver.still_reads`) says, for any change of the ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.pipeline.resolve import DocumentEvents, Resolver, lasting_reads

DAY = dt.date(2024, 4, 7)


def _resolver(persons: dict[str, str], events: dict[str, str], days: dict[str, Any]) -> Resolver:
    resolver = Resolver()
    resolver.person_ids = dict(persons)
    resolver.event_ids = dict(events)
    resolver.event_days = dict(days)
    return resolver


def test_lasting_reads_of_one_log() -> None:
    document = DocumentEvents(DAY, {"plenary-8": "g-plenary-8"})
    log = {
        ("person", "Ri Chol Su"): "ri-chol-su",
        ("event", ("doc-1", "plenary-8")): "plenary-meeting-8",
        ("event", ("doc-1", "rally")): None,  # (a key pass one settled no group for)
        ("day", "plenary-meeting-8"): DAY,
        ("published", "doc-1"): DAY,
    }
    assert lasting_reads(log, document) == {
        ("person", "Ri Chol Su"): "ri-chol-su",
        ("group", "g-plenary-8"): "plenary-meeting-8",
        ("day", "plenary-meeting-8"): DAY,
    }


def test_still_answers_each_kind_of_change() -> None:
    resolver = _resolver({"Ri Chol Su": "ri-chol-su"}, {"g-1": "event-1"}, {"event-1": DAY})
    answers = {
        ("person", "Ri Chol Su"): "ri-chol-su",
        ("group", "g-1"): "event-1",
        ("day", "event-1"): DAY,
    }
    assert resolver.still_answers(answers)
    assert resolver.still_answers({})
    for key, other in [
        (("person", "Ri Chol Su"), "ri-chol-su-2"),
        (("person", "Kim Yong Ho"), "kim-yong-ho"),  # (a name it does not know)
        (("group", "g-1"), "event-2"),
        (("group", "g-9"), "event-9"),  # (a group gone)
        (("day", "event-1"), None),
        (("elsewhere", "x"), None),  # (not a read: a damaged state)
    ]:
        assert not resolver.still_answers({**answers, key: other}), key


_names = st.sampled_from(["Ri A", "Kim B", "Pak C", "Jo D"])
_groups = st.sampled_from(["g1", "g2", "g3"])
_ids = st.sampled_from(["x", "y", "z"])
_days = st.sampled_from([None, DAY, DAY + dt.timedelta(days=1)])


@st.composite
def _states(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    persons = draw(st.dictionaries(_names, _ids))
    events = draw(st.dictionaries(_groups, _ids))
    days = draw(st.dictionaries(_ids, _days))
    return persons, events, days


@settings(max_examples=300, deadline=None)
@given(
    before=_states(),
    after=_states(),
    names=st.lists(_names, max_size=4),
    keys=st.lists(st.sampled_from(["k1", "k2", "k3"]), max_size=3),
    groups=st.dictionaries(st.sampled_from(["k1", "k2", "k3"]), _groups),
    day_ids=st.lists(_ids, max_size=3),
)
def test_one_check_of_the_lasting_reads_says_what_checking_the_log_says(
    before: Any,
    after: Any,
    names: list[str],
    keys: list[str],
    groups: dict[str, str],
    day_ids: list[str],
) -> None:
    """A document's log as the ids ``before`` answered it (what pass one settled of it the
    same), checked against the ids ``after``: its lasting reads hold exactly when it does."""
    document = DocumentEvents(DAY, groups)
    made = _resolver(*before)
    if any(made.event_ids.get(groups[key]) is None for key in keys if key in groups):
        return  # (a log names only the groups the ids know: pass two raised otherwise)
    log: dict[tuple[str, Any], Any] = {("published", "doc"): DAY}
    for name in names:
        log[("person", name)] = made.read("person", name, document)
    for key in keys:
        log[("event", ("doc", key))] = made.read("event", ("doc", key), document)
    for day_id in day_ids:
        log[("day", day_id)] = made.read("day", day_id, document)
    now = _resolver(*after)
    assert now.still_answers(lasting_reads(log, document)) == now.still_reads(log, document)
