"""newsprism.text: the one sentence splitter and word tokeniser (pipeline, cleaner, training and evaluation)."""

import ast
import importlib.util
from pathlib import Path

import pytest

from newsprism.text import letter_runs, letter_words, quoted_ranges, split_dateline, split_sentences, word_count, words


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
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations, initials and dotted acronyms do not end a sentence
        ("The fee is approx. 5 dollars. It rose.", ["The fee is approx. 5 dollars.", "It rose."]),
        ("The letter was signed by A.Yu. Ivanov. He denied it.",
         ["The letter was signed by A.Yu. Ivanov.", "He denied it."]),
        ("U.S. Reps. John Smith said the bill failed. Others agreed.",
         ["U.S. Reps. John Smith said the bill failed.", "Others agreed."]),
        ("Sens. Jane Doe and Bob Roe voted no. The bill failed.",
         ["Sens. Jane Doe and Bob Roe voted no.", "The bill failed."]),
        ("It began at 9 a.m. Sunday in Washington.", ["It began at 9 a.m. Sunday in Washington."]),
        ("The email said then-U.N. Ambassador Susan Rice knew.",
         ["The email said then-U.N. Ambassador Susan Rice knew."]),
        # a quotation ending in ." or .” ends the sentence
        ('He said: "It is over." Then he left.', ['He said: "It is over."', "Then he left."]),
        ("“We won.” The crowd cheered.", ["“We won.”", "The crowd cheered."]),
        ("'It is done.' She nodded.", ["'It is done.'", "She nodded."]),
        # "No." is an abbreviation before a number only
        ("He lives at No. 10 Downing Street. She does not.", ["He lives at No. 10 Downing Street.", "She does not."]),
        ("Asked again, he said no. Still, he smiled.", ["Asked again, he said no.", "Still, he smiled."]),
        ("No. I will not.", ["No.", "I will not."]),
        # a number, a closing bracket or a quote before the full stop is not an acronym
        ("Support rose to 40.6%. Critics said so.", ["Support rose to 40.6%.", "Critics said so."]),
        ("He won 35.5. Rubio came second.", ["He won 35.5.", "Rubio came second."]),
        ("Sen. John McCain (R-Ariz.). On Thursday he spoke.", ["Sen. John McCain (R-Ariz.).", "On Thursday he spoke."]),
        ("They wanted “peace.”. Nobody listened.", ["They wanted “peace.”.", "Nobody listened."]),
        # lower-case after the full stop: no boundary
        ("It cost $5 vs. the usual $3. and more.", ["It cost $5 vs. the usual $3. and more."]),
        # titles and ranks, alone or stacked, before a name
        ("Lt. Gen. Michael Flynn spoke. Maj. Gen. Ann Roe did not.",
         ["Lt. Gen. Michael Flynn spoke.", "Maj. Gen. Ann Roe did not."]),
        ("Atty. Gen. Eric Holder and former Cong. Rob Simmons met Gov. Jerry Brown. They talked.",
         ["Atty. Gen. Eric Holder and former Cong. Rob Simmons met Gov. Jerry Brown.", "They talked."]),
        ("The \"[U.S. Capitol] Visitor Center\" opened. It was late.",
         ['The "[U.S. Capitol] Visitor Center" opened.', "It was late."]),
        # a state before a title it qualifies, but a state that ends a place ends the sentence
        ("Republicans urged Ariz. Gov. Jan Brewer to veto it. She did.",
         ["Republicans urged Ariz. Gov. Jan Brewer to veto it.", "She did."]),
        ("The game is in Tempe, Ariz. Gov. Jan Brewer will attend.",
         ["The game is in Tempe, Ariz.", "Gov. Jan Brewer will attend."]),
        ("He was born in Newtown, Conn. The town mourned.", ["He was born in Newtown, Conn.", "The town mourned."]),
        # "Vol." and "Art." before a number, like "No."
        ("See Vol. 3 of the report. Art. 5 applies. Vol. Two is out.",
         ["See Vol. 3 of the report.", "Art. 5 applies.", "Vol.", "Two is out."]),
    ],
)  # fmt: skip
def test_split_sentences_hard_cases(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quotation of several sentences is one sentence, which ends at the quotation's end or after it
        ('"We see prospects in trade and energy. We will continue to assist Kabul in fighting drug crime."',
         ['"We see prospects in trade and energy. We will continue to assist Kabul in fighting drug crime."']),
        ("“We will help. We will stay,” the minister said. Talks resume on Monday.",
         ["“We will help. We will stay,” the minister said.", "Talks resume on Monday."]),
        ('The ministry said: "Talks went well. A deal is near." Markets rose.',
         ['The ministry said: "Talks went well. A deal is near."', "Markets rose."]),
        # a quotation that goes on in the next paragraph is left open: the rest of its paragraph is one sentence
        ("“Talks went well. We expect a deal soon.\n“It will be signed in Moscow,” he said. Nobody objected.",
         ["“Talks went well. We expect a deal soon.", "“It will be signed in Moscow,” he said.", "Nobody objected."]),
        # single quotes (British style) count when closed in the paragraph; an apostrophe is no quotation
        ("‘We will help. We will stay,’ the minister said. Talks resume.",
         ["‘We will help. We will stay,’ the minister said.", "Talks resume."]),
        ("The countries’ leaders met. They recalled the ’90s. Talks resume.",
         ["The countries’ leaders met.", "They recalled the ’90s.", "Talks resume."]),
        ("'It is done. We won,' she said. He left.", ["'It is done. We won,' she said.", "He left."]),
        # German quotation marks, and an inch mark that opens nothing
        ("„Wir helfen. Wir bleiben“, sagte der Minister. Die Gespräche gehen weiter.",
         ["„Wir helfen. Wir bleiben“, sagte der Minister.", "Die Gespräche gehen weiter."]),
        ('He is 6\'2" tall. He played guard. "Yes." He nodded.',
         ['He is 6\'2" tall.', "He played guard.", '"Yes."', "He nodded."]),
    ],
)  # fmt: skip
def test_no_sentence_starts_inside_a_quotation(text, expected):
    assert split_sentences(text) == expected


def test_quoted_ranges_are_the_outermost_quotations_marks_included():
    text = "He said “go ‘now’. Go.” and ‘left’ the room, 5'10\" tall. “Open"
    assert [text[a:b] for a, b in quoted_ranges(text)] == ["“go ‘now’. Go.”", "‘left’", "“Open"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 4 (UPI) -- Russia has become the first country.",
         ("July 4 (UPI) --", "UPI", "Russia has become the first country.")),
        ("WASHINGTON (Reuters) - The Senate voted.", ("WASHINGTON (Reuters) -", "Reuters", "The Senate voted.")),
        ("KABUL, Afghanistan — The ministry said.", ("KABUL, Afghanistan —", None, "The ministry said.")),
        ("WASHINGTON, July 3 (AP) — The vote failed.", ("WASHINGTON, July 3 (AP) —", "AP", "The vote failed.")),
        ("AMHERST, N.H. – Mr. Romney spoke.", ("AMHERST, N.H. –", None, "Mr. Romney spoke.")),
        ("Kabul, Afghanistan (CNN) -- China's envoy arrived.",
         ("Kabul, Afghanistan (CNN) --", "CNN", "China's envoy arrived.")),
        ("(CNN)The police faced questions.", ("(CNN)", "CNN", "The police faced questions.")),
        ("NEW DELHI (IANS): The talks ended.", ("NEW DELHI (IANS):", "IANS", "The talks ended.")),
        ("SAN JOSÉ, 5 de julio (EFE) - El Gobierno dijo.",
         ("SAN JOSÉ, 5 de julio (EFE) -", "EFE", "El Gobierno dijo.")),
        ("Busan/IBNS: The summit opened.", ("Busan/IBNS:", "IBNS", "The summit opened.")),
        # not datelines: a party in brackets, an acronym before its definition, a dash or a quotation inside
        ("Rep. Peter King (R-N.Y.) — the chairman — spoke.", None),
        ("Donald Trump (R) said so.", None),
        ("The World Health Organization (WHO) Director spoke.", None),
        ("NATO said the talks — held in Brussels — ended.", None),
        ("U.S. officials — who declined to be named — agreed.", None),
        ("“We will stay,” he said — and left.", None),
        ("(CNN) The police faced questions.", None),
    ],
)  # fmt: skip
def test_split_dateline(text, expected):
    assert split_dateline(text) == (expected or (None, None, text))


def test_words_keep_inner_apostrophes_and_hyphens():
    text = "Russia’s Taliban-run government didn't say, in 2021, that Kim Jong-un met al-Baghdadi_x."
    assert words(text) == [
        "Russia’s", "Taliban-run", "government", "didn't", "say", "in", "2021", "that", "Kim", "Jong-un", "met",
        "al-Baghdadi_x",
    ]  # fmt: skip


def test_words_lower_folds_case_and_apostrophes():
    assert words("Isn’t it TRUE? isn't it, Café-Owner’s 3rd", lower=True) == [
        "isn't", "it", "true", "isn't", "it", "café-owner's", "3rd",
    ]  # fmt: skip


def test_letter_words_start_at_the_first_letter():
    assert letter_words("At 10am the 1st of 2021, 3-D T-shirts cost $5bn. _x ’tis") == [
        "At", "am", "the", "st", "of", "D", "T-shirts", "cost", "bn", "x", "tis",
    ]  # fmt: skip


def test_letter_runs_split_tokens_at_non_letters():
    assert letter_runs("Taliban-run 3rd don't x_y2z ½") == ["Taliban", "run", "rd", "don", "t", "x", "y", "z"]


def test_word_count_counts_hyphenated_and_apostrophes_as_one():
    assert word_count("Russia’s Taliban-run government, 2021.") == 4


# --- one splitter and one tokeniser in the installed package (training and evaluation included) ------------

_PACKAGES = ("newsprism", "newsprism.models", "newsprism.tasks", "newsprism.flows", "newsprism.warehouse")
_NAMES = {"split_sentences", "words", "letter_words", "letter_runs"}  # defined in newsprism/text.py only


def _package_modules() -> dict[Path, ast.Module]:
    files: set[Path] = set()
    for name in _PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, name
        for root in spec.submodule_search_locations:
            files.update(Path(root).resolve().rglob("*.py"))
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(files)}


def _imports_from(tree: ast.Module, name: str) -> list[str]:
    """The modules `name` is imported from, at any depth of the module."""
    return [
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and any(alias.name == name for alias in node.names)
    ]


def test_one_sentence_splitter_and_word_tokeniser():
    modules = _package_modules()
    text_py = Path(importlib.util.find_spec("newsprism.text").origin).resolve()
    assert text_py in modules
    for path, tree in modules.items():
        if path == text_py:
            continue
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert not defined & _NAMES, path
        for name in _NAMES:
            assert set(_imports_from(tree, name)) <= {"newsprism.text"}, (path, name)


def test_stance_training_and_evaluation_split_like_the_pipeline():
    """The FNC-1 reader (training and `eval stance`) takes its sentences from newsprism.text."""
    modules = _package_modules()
    readers = [
        tree
        for tree in modules.values()
        if any(isinstance(node, ast.FunctionDef) and node.name == "fnc1_items" for node in tree.body)
    ]
    assert len(readers) == 1
    assert _imports_from(readers[0], "split_sentences") == ["newsprism.text"]
