"""The seed articles clean well: body starts at the first body sentence, no tail line survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.cleaning import clean_text
from newsprism.text import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# seed prefix -> (first body sentence, first line of its related/latest tail or None, title, outlet, wire)
EXPECTED = {
    "000": (
        "Russia has become the first nation in the world",
        "Related Articles",
        "Russia recognises Taliban-run government in Afghanistan",
        "Northeast Herald",
        "IBNS",
    ),
    "001": (
        "Russia has become the first country",  # the dateline "July 4 (UPI) --" is metadata
        None,
        "Russia officially recognizes Afghan Taliban government",
        "UPI",
        "UPI",
    ),
    "002": (
        "Russia officially recognized the Taliban government in Afghanistan on Thursday",
        "More From Türkiye Today",
        "Russia becomes first country to recognize Taliban government in Afghanistan",
        "Türkiye Today",
        None,
    ),
    "003": ("Russia has become the first country to formally recognize the Taliban rule", None, None, None, None),
    "004": (
        "'We believe that the act of official recognition",
        "Hashtags",
        "Russia becomes first country to recognise Afghanistan's Taliban government",
        "Al Jazeera",
        None,
    ),
}


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_cleans(prefix: str) -> None:
    first, tail_cue, title, outlet, wire = EXPECTED[prefix]
    raw = _seed(prefix)
    result = clean_text(raw)
    assert result.body.startswith(first)
    assert (result.title, result.outlet, result.wire, result.language) == (title, outlet, wire, "en")
    if tail_cue:
        lines = raw.splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip() == tail_cue)
        tail = {line.strip() for line in lines[start:] if line.strip()}
        assert not tail & set(result.body.splitlines())
        assert all(not d.kept for d in result.decisions[start:])
    assert len(result.decisions) == len(raw.splitlines())
    assert all(d.reason for d in result.decisions)


def test_seed_boilerplate_reasons() -> None:
    def reasons(prefix: str) -> dict[str, str]:
        return {d.text.strip(): d.reason for d in clean_text(_seed(prefix)).decisions if not d.kept}

    r0, r1, r2, r3 = reasons("000"), reasons("001"), reasons("002"), reasons("003")
    assert r0["— Ministry of Foreign Affairs - Afghanistan (@MoFA_Afg) July 3, 2025"] == "social_embed"
    assert r0["IBNS"] == "agency_signoff"
    assert r0["Senior Staff Reporter at Northeast Herald, covering news from Tripura and Northeast India."] == (
        "author_bio"
    )
    assert (r1["date 2025-07-04 World News"], r1["July 4, 2025 / 1:43 PM"], r1["By Simon Corlett"]) == (
        "dateline",
        "dateline",
        "byline",
    )
    assert (r2["Close"], r2["newsletters Newsletters"], r2["X Instagram Youtube"]) == (
        "navigation",
        "newsletter",
        "share_prompt",
    )
    assert (r2["Photo"], r2["BigPhoto"], r2["July 04, 2025 12:22 AM GMT+03:00"]) == (
        "media_label",
        "media_label",
        "dateline",
    )
    assert sorted(v for k, v in r3.items() if k) == ["photo_caption", "photo_caption", "social_embed", "social_embed"]
    # the embedded post's first paragraph stands three blank lines above its "pic.twitter.com/… — (@…)" line
    assert (
        r3[
            "The Ambassador of the Russian Federation, Mr. Dmitry Zhirnov, called on IEA-Foreign Minister "
            "Mawlawi Amir Khan Muttaqi."
        ]
        == "social_embed"
    )


def test_seed_wire_datelines_are_metadata_not_body() -> None:
    results = {prefix: clean_text(_seed(prefix)) for prefix in sorted(EXPECTED)}
    assert {prefix: r.dateline for prefix, r in results.items()} == {
        "000": None, "001": "July 4 (UPI) --", "002": None, "003": None, "004": None,
    }  # fmt: skip
    upi = results["001"]
    assert upi.body.startswith("Russia has become the first country to formally recognize the Taliban government")
    assert "(UPI) --" not in upi.body and (upi.outlet, upi.outlet_evidence, upi.wire) == ("UPI", "(UPI) --", "UPI")
    # the line keeps its decision and its text as printed: the dateline is lifted from the body, not the input
    assert any(d.kept and d.text.startswith("July 4 (UPI) -- Russia") for d in upi.decisions)
    # the ministry's two-sentence quotation is one sentence: none starts at its second sentence
    sentences = split_sentences(upi.body)
    assert (
        sentences[0]
        == "Russia has become the first country to formally recognize the Taliban government in Afghanistan."
    )
    quote = next(s for s in sentences if "We will continue to assist Kabul" in s)
    assert quote.startswith('"We see considerable prospects for interaction') and quote.endswith('drug crime."')


def test_seed_dates_and_authors() -> None:
    r1, r2 = clean_text(_seed("001")), clean_text(_seed("002"))
    assert (r1.published_at, r1.author) == ("2025-07-04T13:43:00", "Simon Corlett")
    assert r2.published_at == "2025-07-04T00:22:00+03:00"
    assert clean_text(_seed("000")).published_at is None
