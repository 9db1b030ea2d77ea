"""Property tests against the minute-stepping reference over 2023–2027."""

from datetime import datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import builtin
from .reference import ref_add, ref_working_minutes

HUE = builtin("hue")

starts = st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2027, 12, 20)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
durations = st.integers(min_value=0, max_value=40 * 60)


@settings(max_examples=150, deadline=None)
@given(start=starts, minutes=durations)
def test_add_equals_reference(start, minutes):
    assert HUE.add(start, minutes=minutes) == ref_add(HUE, start, minutes)


@settings(max_examples=100, deadline=None)
@given(start=starts, span=st.integers(min_value=0, max_value=6 * 24 * 60))
def test_working_minutes_equals_reference(start, span):
    end = start + timedelta(minutes=span)
    assert HUE.working_minutes(start, end) == ref_working_minutes(HUE, start, end)


@settings(max_examples=100, deadline=None)
@given(start=starts, minutes=st.integers(min_value=1, max_value=200 * 60))
def test_add_then_working_minutes_round_trips(start, minutes):
    due = HUE.add(start, minutes=minutes)
    assert HUE.working_minutes(start, due) == minutes
    # The due time is the earliest such instant: a minute earlier is not enough.
    assert HUE.working_minutes(start, due - timedelta(minutes=1)) == minutes - 1


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(starts, st.integers(min_value=0, max_value=1000 * 60)), max_size=50))
def test_add_many_equals_add_element_by_element(pairs):
    s = np.array([p[0] for p in pairs], dtype="datetime64[m]")
    m = np.array([p[1] for p in pairs], dtype=np.int64)
    got = HUE.add_many(s, m).tolist()
    assert got == [HUE.add(a, minutes=b).replace(tzinfo=None) for a, b in pairs]
