import pytest

from newsprism.text import split_sentences, word_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence here. Another one follows.", ["One sentence here.", "Another one follows."]),
        ("Mr. Dmitry Zhirnov met the U.S. envoy. He left.", ["Mr. Dmitry Zhirnov met the U.S. envoy.", "He left."]),
        ('"Why?" he asked. J. Smith agreed.', ['"Why?" he asked.', "J. Smith agreed."]),
        ("The rate was 3.5 per cent. It rose.", ["The rate was 3.5 per cent.", "It rose."]),
        ("First paragraph\nSecond paragraph. Two.", ["First paragraph", "Second paragraph.", "Two."]),
        ("He said: “It is done.” Then he went home.", ["He said: “It is done.”", "Then he went home."]),
        ("  \n\n", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_word_count_counts_hyphenated_and_apostrophes_as_one():
    assert word_count("Russia’s Taliban-run government, 2021.") == 4
