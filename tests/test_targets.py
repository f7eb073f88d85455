"""Targets are entities: candidates, their canonical names, surnames, default targets and mention matching."""

import pytest

from newsprism.targets import (
    Mention,
    candidate_names,
    canonical,
    default_targets,
    find_mentions,
    surname,
    target_mentions,
)
from newsprism.text import quote_spans


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # pronouns and contractions are not names; titles are dropped
        ("I’m sure He’s right, said Rep. Joe Sestak.", ["Joe Sestak"]),
        ("It's late and we're tired, Sen. Arlen Specter's aide said.", ["Arlen Specter"]),
        # possessives fold (both apostrophes); a possessive ends the name
        ("Trump’s lawyers met Mr. Trump's aides and President Donald Trump.", ["Trump", "Trump", "Donald Trump"]),
        ("Obama’s White House replied.", ["Obama", "White House"]),
        # titles before a name, but not inside an organisation's name
        ("Vice President Joe Biden and Former President Bill Clinton met.", ["Joe Biden", "Bill Clinton"]),
        (
            "The Justice Department and Secretary of State Hillary Clinton spoke.",
            ["Justice Department", "Hillary Clinton"],
        ),
        ("“We’re done,” said Attorney General Eric Holder of the Washington Post.", ["Eric Holder", "Washington Post"]),
        # middle initials and connectors stay in the name; calendar words and function words go
        (
            "On Monday George W. Bush met Osama bin Laden in the Bank of England.",
            ["George W. Bush", "Osama bin Laden", "Bank of England"],
        ),
        ("However, the President said nothing in January.", []),
    ],
)
def test_candidate_names(sentence, expected):
    assert candidate_names(sentence) == expected


def test_a_common_word_opening_a_sentence_or_quote_is_not_a_name():
    assert candidate_names("Critics slammed Nancy Pelosi.", {"critics"}) == ["Nancy Pelosi"]
    assert candidate_names("Critics slammed Nancy Pelosi.") == ["Critics", "Nancy Pelosi"]
    assert candidate_names("He said: “Critics lie.”", {"critics"}) == []


@pytest.mark.parametrize(
    ("target", "name", "last"),
    [
        ("Donald Trump", "Donald Trump", "Trump"),
        ("Mr. Trump’s", "Trump", None),
        ("President Barack Obama", "Barack Obama", "Obama"),
        ("George W. Bush", "George W. Bush", "Bush"),
        ("Republican National Committee", "Republican National Committee", None),
        ("Obama administration", "Obama administration", None),
        ("Bank of England", "Bank of England", None),
        ("NAACP", "NAACP", None),
    ],
)
def test_canonical_names_and_surnames(target, name, last):
    assert canonical(target) == name
    assert surname(name) == last


def test_find_mentions_matches_titles_possessives_and_surnames():
    sentence = "Mr. Trump and Trump’s team met Donald Trump; Ivanka Trump left."
    assert [sentence[s:e] for s, e in find_mentions(sentence, "Donald Trump")] == ["Trump", "Trump", "Donald Trump"]
    assert find_mentions(sentence, "Mr. Trump") == find_mentions(sentence, "Trump")
    # another given name before the surname is another person; a surname is matched as written
    other = "Hillary Clinton; Clinton said Bill Clinton and the clinton fans left."
    assert [other[s:e] for s, e in find_mentions(other, "Bill Clinton")] == ["Clinton", "Bill Clinton"]
    # a one-word or organisation target matches whole words, any case
    assert find_mentions("the TALIBAN and Talibans", "Taliban") == [(4, 11)]
    assert find_mentions("The Obama administration said", "Obama administration") == [(4, 24)]
    assert find_mentions("Obama said", "Obama administration") == []


def test_default_targets_merge_a_surname_into_its_full_name():
    articles = [
        ["Donald Trump spoke on Monday.", "Trump’s aides said He’s fine."],
        ["Mr. Trump answered Rep. Nancy Pelosi.", "I’m sure, said Pelosi."],
        ["Trump met Nancy Pelosi at the White House.", "The White House said so."],
    ]
    assert default_targets(articles) == ["Donald Trump", "Nancy Pelosi"]
    assert default_targets(articles, min_articles=1) == ["Donald Trump", "Nancy Pelosi", "White House"]


def test_quote_spans_follow_the_quotes_view():
    sentence = 'He said "we will win this race" and ‘this is a long one’ but "no" or \'short\'.'
    assert [sentence[s:e] for s, e in quote_spans(sentence)] == ["we will win this race", "this is a long one"]


def test_target_mentions_measure_quoted_speech():
    sentences = [
        "Nancy Pelosi spoke.",
        "“Pelosi is wrong about all of it,” a critic said.",
        "A critic said “it is over” of Pelosi.",
        "“Pelosi lied.",
        "No mention here.",
    ]
    assert target_mentions(sentences, "Nancy Pelosi") == [
        Mention(0, (0, 12), False, 0.0),
        Mention(1, (1, 7), True, round(32 / 49, 4)),
        Mention(2, (30, 36), False, round(10 / 37, 4)),
        Mention(3, (1, 7), True, 1.0),
    ]
