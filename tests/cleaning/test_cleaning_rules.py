"""Exact decisions of each rule family on small hand-written fixtures."""

from __future__ import annotations

import pytest

from newsprism.cleaning import clean_text, find_repeated_lines, linemodel

BODY = [
    "The city council approved the new budget on Tuesday after a debate that lasted for most of the night.",
    "Members of the opposition said that the plan would cut money from schools and from the public libraries.",
    "The mayor said the budget was balanced and that it would be reviewed again in the autumn of next year.",
]


def decisions(lines: list[str], **kwargs) -> list[tuple[str, bool, str]]:
    result = clean_text("\n".join(lines), **kwargs)
    return [(d.text, d.kept, d.reason) for d in result.decisions]


def reason_of(line: str, where: str = "middle") -> tuple[bool, str]:
    """The decision on `line` when placed before, inside or after a three-paragraph body."""
    lines = {"top": [line, *BODY], "middle": [BODY[0], line, BODY[1], BODY[2]], "end": [*BODY, line]}[where]
    result = clean_text("\n".join(lines))
    d = next(d for d in result.decisions if d.text == line)
    return d.kept, d.reason


@pytest.mark.parametrize(
    ("line", "where", "reason"),
    [
        ("Close", "top", "navigation"),
        ("Skip to content", "top", "navigation"),
        ("newsletters Newsletters", "top", "newsletter"),
        ("Sign up for our daily newsletter", "end", "newsletter"),
        ("X Instagram Youtube", "top", "share_prompt"),
        ("Share this article", "end", "share_prompt"),
        ("We use cookies to improve your experience. Accept all cookies", "top", "cookie"),
        ("Advertisement", "middle", "advertisement"),
        ("Article continues", "middle", "advertisement"),
        ("BigPhoto", "middle", "media_label"),
        ("Photo", "middle", "media_label"),
        ("The mayor at the opening of the bridge on Monday. (AFP Photo)", "middle", "photo_caption"),
        ("Officials meet in the capital last week. Contributor/Getty Images", "middle", "photo_caption"),
        ("The minister pictured in 2024. File Photo by Jane Roe/EPA-EFE", "middle", "photo_caption"),
        ("Photo: Reuters", "middle", "photo_credit"),
        ("— Ministry of Foreign Affairs (@MoFA) July 3, 2025", "middle", "social_embed"),
        ("A statement from the ministry was posted today pic.twitter.com/abc123XYZ", "middle", "social_embed"),
        ("By Simon Corlett", "top", "byline"),
        ("July 4, 2025 / 1:43 PM", "top", "dateline"),
        ("July 04, 2025 12:22 AM GMT+03:00", "end", "dateline"),
        (" date 2025-07-04 World News", "top", "dateline"),
        ("2 hours ago", "end", "dateline"),
        ("IBNS", "end", "agency_signoff"),
        ("(AFP)", "end", "agency_signoff"),
        ("Reporting by John Smith; Editing by Mary Major", "end", "agency_signoff"),
        ("Senior Staff Reporter at Northeast Herald, covering news from Tripura.", "end", "author_bio"),
        ("© 2024 The Coastal Courier. All rights reserved.", "end", "copyright"),
        ("", "middle", "blank"),
    ],
)
def test_rule_family(line: str, where: str, reason: str) -> None:
    assert reason_of(line, where) == (False, reason)


def test_short_body_sentences_and_subheadings_are_kept() -> None:
    lines = [BODY[0], "The two nations fought a war.", "Competing for influence", BODY[1], BODY[2]]
    assert decisions(lines) == [
        (BODY[0], True, "body"),
        ("The two nations fought a war.", True, "body"),
        ("Competing for influence", True, "subheading"),
        (BODY[1], True, "body"),
        (BODY[2], True, "body"),
    ]


def test_tail_heading_drops_everything_after_it() -> None:
    teaser = "Another story about the weather that was published by the same site on the same day as this."
    lines = ["Budget approved after a long night", *BODY, "Related Articles", "", teaser, "Latest News", teaser]
    assert decisions(lines) == [
        ("Budget approved after a long night", False, "title"),
        *[(b, True, "body") for b in BODY],
        ("Related Articles", False, "related_tail"),
        ("", False, "blank"),
        (teaser, False, "related_tail"),
        ("Latest News", False, "related_tail"),
        (teaser, False, "related_tail"),
    ]


def test_comments_heading_opens_a_comments_tail() -> None:
    lines = [*BODY, "Comments", "Great article, thanks for writing it, I agree with all of the points you make."]
    assert [r for _, _, r in decisions(lines)][-2:] == ["comments", "comments"]


def test_repeated_paragraph_is_a_duplicate() -> None:
    lines = [BODY[0], BODY[1], BODY[1], BODY[2]]
    assert decisions(lines)[2] == (BODY[1], False, "duplicate")


def test_an_embedded_post_takes_the_paragraphs_above_its_attribution_that_fit_in_one_post() -> None:
    post = [
        "The minister met the ambassador today.",
        "",
        "They discussed trade. pic.twitter.com/abc123 — Ministry (@MoFA) July 3, 2025",
    ]
    assert decisions([BODY[0], "", *post, "", BODY[1], BODY[2]]) == [
        (BODY[0], True, "body"),
        ("", False, "blank"),
        (post[0], False, "social_embed"),
        ("", False, "blank"),
        (post[2], False, "social_embed"),
        ("", False, "blank"),
        (BODY[1], True, "body"),
        (BODY[2], True, "body"),
    ]
    # a standalone attribution takes the line right above it only
    assert decisions([*BODY, "— Ministry (@MoFA) July 3, 2025"])[:3] == [
        (BODY[0], True, "body"),
        (BODY[1], True, "body"),
        (BODY[2], False, "social_embed"),
    ]
    # a paragraph that would make the post longer than 280 characters, or that introduces it, is no part of it
    long_closing = "They discussed trade, energy and security at length. " * 4 + post[2].split(". ", 1)[1]
    assert decisions([*BODY, "", long_closing])[2] == (BODY[2], True, "body")
    assert decisions([*BODY, "The ministry wrote on X:", "", post[2]])[3][2] != "social_embed"


def test_lines_repeated_across_an_outlet_are_boilerplate() -> None:
    footer = "Follow our live coverage of the council every day on the website and in the app."
    texts = {"courier": [f"{b}\n{footer}" for b in BODY], "other": [BODY[0]]}
    repeated = find_repeated_lines(texts, min_articles=3)
    assert repeated == {footer.lower()}
    result = clean_text("\n".join([*BODY, footer]), repeated=frozenset(repeated))
    assert result.decisions[-1].reason == "boilerplate_repeated"
    assert footer not in result.body


def test_metadata_from_generic_cues() -> None:
    lines = [
        "July 4, 2025 / 1:43 PM",
        "",
        "Budget approved after a long night",
        "By Jane Doe",
        "LONDON (Reuters) - " + BODY[0],
        BODY[1],
        BODY[2],
    ]
    result = clean_text("\n".join(lines))
    assert (result.title, result.published_at, result.author) == (
        "Budget approved after a long night",
        "2025-07-04T13:43:00",
        "Jane Doe",
    )
    assert (result.outlet, result.outlet_evidence, result.wire) == ("Reuters", "(Reuters) -", "Reuters")
    assert (result.dateline, result.body.split("\n")[0]) == ("LONDON (Reuters) -", BODY[0])  # metadata, not body


def test_outlet_unknown_without_a_cue_and_hint_used_when_given() -> None:
    assert clean_text("\n".join(BODY)).outlet is None
    hinted = clean_text("\n".join(BODY), "The Courier")
    assert (hinted.outlet, hinted.outlet_evidence) == ("The Courier", None)


def test_more_from_names_the_outlet() -> None:
    result = clean_text("\n".join([*BODY, "More From Coastal Courier"]))
    assert (result.outlet, result.outlet_evidence) == ("Coastal Courier", "More From Coastal Courier")


def test_non_english_is_flagged_not_mangled() -> None:
    german = [
        "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, nachdem die Debatte bis in die Nacht ging.",
        "Die Opposition sagte, dass der Plan Geld von den Schulen und von den Bibliotheken nehmen wird.",
    ]
    result = clean_text("\n".join(german))
    assert result.language == "de"
    assert result.body == "\n".join(german)


def test_empty_input() -> None:
    result = clean_text("")
    assert (result.body, result.decisions, result.title, result.language) == ("", (), None, "und")


def test_line_model_is_shipped_and_matches_its_features() -> None:
    model = linemodel.load()
    assert model.id == "lines.logreg.rules.cleanportaleval+l3s_gn1+readability_testpages+trafilatura_eval_en"
    assert not model.layout and model.prior == "rules" and model.also_keep == frozenset()
    assert (model.drop_at, model.keep_at) == (0.5, 0.8)
    assert model.mean.shape == (len(linemodel.NAMES),)
    html = linemodel.load(linemodel.HTML_MODEL_PATH)
    assert html.id == "lines.logreg.extracted.cleanportaleval+l3s_gn1+readability_testpages+trafilatura_eval_en"
    assert html.layout and html.prior == "extracted" and html.also_keep == {"duplicate"}
    assert (html.drop_at, html.keep_at) == (0.05, 0.95)
    assert html.mean.shape == (len(linemodel.HTML_NAMES),)


def test_line_model_never_keeps_a_line_a_cue_rule_named() -> None:
    lines = ["Close", *BODY, "Share this article", "IBNS"]
    kept = {d.text for d in clean_text("\n".join(lines)).decisions if d.kept}
    assert kept == set(BODY)


@pytest.mark.parametrize(
    "heading",
    [
        "Comments are now closed for this story",
        "Comments are closed.",
        "Comments (No comments posted.)",
        "Readers' comments",
        "Post your comment",
    ],
)
def test_closed_or_empty_comment_section_headings_open_a_comments_tail(heading: str) -> None:
    lines = [*BODY, heading, "Stephen B", "McGuinty stop spending my money, cut the fat from the government now!"]
    assert [(k, r) for _, k, r in decisions(lines)][-3:] == [(False, "comments")] * 3


def test_a_sentence_about_comments_is_no_comments_heading() -> None:
    line = "Comments are closed to the public until the council has reviewed the plan in the spring."
    assert reason_of(line, "middle") == (True, "body")


@pytest.mark.parametrize(
    "line",
    [
        "All Content is Copyright © 2008 World Sports News and AFP. All rights reserved. This material is intended "
        "solely for personal use. Any other reproduction, for whatever purpose, is strictly prohibited without the "
        "written consent of the publisher.",
        "This material may not be published, broadcast, rewritten or redistributed.",
    ],
)
def test_long_rights_notices_are_copyright(line: str) -> None:
    assert reason_of(line, "end") == (False, "copyright")


def test_a_sentence_on_copyright_without_a_rights_notice_is_body() -> None:
    line = (
        "The court ruled that the copyright on the photograph belonged to the agency and not to the newspaper "
        "that had printed it without permission last year."
    )
    assert reason_of(line, "middle") == (True, "body")


def test_a_rights_notice_after_the_article_ends_it() -> None:
    promo = "Our reporters bring you a breezy mix of conversation, features and music with the morning team."
    notice = "Copyright © 2008 Harbour Radio"
    lines = [*BODY, notice, promo, promo.replace("morning", "evening")]
    got = decisions(lines)
    assert [r for _, _, r in got][-3:] == ["copyright", "copyright", "copyright"]
    assert [kept for _, kept, _ in got] == [True] * len(BODY) + [False] * 3
    # a bare agency credit between paragraphs is no rights notice: the article goes on after it
    got = decisions([BODY[0], "© Reuters", *BODY[1:]])
    assert [kept for _, kept, _ in got] == [True, False] + [True] * (len(BODY) - 1)
