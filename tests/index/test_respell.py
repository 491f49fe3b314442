"""Typed spans replaced by their reading, with the pairs the answer reports."""
from index.text.respell import respell


def test_each_span_is_replaced_in_place_and_reported_as_typed():
    text = "wer spielt Jon Rabe in City of Live and Death?"
    live = text.index("Live")
    assert respell(text, [(11, 14, "John"), (live, live + 4, "life")]) == (
        "wer spielt John Rabe in City of life and Death?", (("Jon", "John"), ("Live", "life")))
    assert respell(text, []) == (text, ())
