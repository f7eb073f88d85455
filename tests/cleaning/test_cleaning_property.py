"""On arbitrary unicode the cleaner never raises and never returns text that was not in its input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.cleaning import clean_document, clean_text

LINES = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "Related Articles",
                "By Jane Doe",
                "IBNS",
                "July 4, 2025 / 1:43 PM",
                "More From X Y",
                "— A (@b) July 3, 2025",
                "The council met on Tuesday and approved the plan for the city.",
            ]
        ),
    ),
    max_size=25,
)


def _check(raw: str, result) -> None:
    for line in result.body.splitlines():
        assert line in raw
    if result.title:
        assert result.title in raw
    assert len(result.decisions) == len(raw.splitlines())
    assert all(d.text == line for d, line in zip(result.decisions, raw.splitlines(), strict=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text(raw: str) -> None:
    _check(raw, clean_text(raw))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, st.sampled_from(["\n", "\r\n", "\n\n", "\u2028"]))
def test_article_shaped_text(lines: list[str], sep: str) -> None:
    raw = sep.join(lines)
    _check(raw, clean_text(raw))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.html", "a.html.gz", "noext"]))
def test_documents_never_raise(data: bytes, name: str) -> None:
    clean_document(data, name)
