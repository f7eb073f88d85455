"""Entities (the shipped tagger, alias merging within a story, default targets) and who is quoted."""

import pytest

from newsprism.entities import EntityMention, canonical_names, entity_targets, story_entities
from newsprism.models.ner import Entity, load_ner, spans_from_tags
from newsprism.models.ner_training import entity_scores
from newsprism.speakers import attributions
from newsprism.text import treebank_tokens


def test_treebank_tokens_split_clitics_and_marks_and_keep_abbreviations():
    text = "Trump’s U.S. visit didn't end, said Smith-Jones."
    assert [t for t, _, _ in treebank_tokens(text)] == [
        "Trump", "’s", "U.S.", "visit", "did", "n't", "end", ",", "said", "Smith-Jones", ".",
    ]  # fmt: skip
    assert all(text[s:e] == t for t, s, e in treebank_tokens(text))


def test_iob_tags_become_spans_and_misc_is_no_entity():
    tags = ["B-PER", "I-PER", "O", "I-ORG", "B-ORG", "B-MISC", "I-LOC", "I-PER"]
    assert spans_from_tags(tags) == [(0, 2, "PER"), (3, 4, "ORG"), (4, 5, "ORG"), (6, 7, "LOC"), (7, 8, "PER")]


def test_entity_scores_are_exact_span_micro_f1_over_per_org_loc():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "B-MISC"]]
    pred = [["B-PER", "O", "O", "B-LOC", "O"]]
    s = entity_scores(gold, pred)
    assert (s["f1"], s["precision"], s["recall"]) == (0.5, 0.5, 0.5)
    assert s["per_type"]["LOC"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0, "gold": 1}
    assert s["per_type"]["PER"]["f1"] == 0.0


def test_the_shipped_tagger_finds_people_organisations_and_places():
    (found,) = load_ner().entities(["Donald Trump met NATO leaders in Brussels on Monday."])
    assert found == [Entity(0, 12, "Donald Trump", "PER"), Entity(17, 21, "NATO", "ORG"),
                     Entity(33, 41, "Brussels", "LOC")]  # fmt: skip


def test_aliases_merge_within_the_story_to_the_full_name():
    found = [
        [[Entity(0, 12, "Donald Trump", "PER")], [Entity(4, 9, "Trump", "PER"), Entity(20, 26, "Russia", "LOC")]],
        [[Entity(0, 9, "Mr. Trump", "PER"), Entity(15, 21, "Russia", "ORG"), Entity(30, 36, "Russia", "LOC")]],
    ]
    alias, kind = canonical_names(found)
    assert alias == {"Donald Trump": "Donald Trump", "Trump": "Donald Trump", "Russia": "Russia"}
    assert kind == {"Donald Trump": "PER", "Russia": "LOC"}


def test_default_targets_are_the_entities_most_articles_mention():
    articles = [
        {"sentences": ["Donald Trump spoke in Moscow.", "Trump left."]},
        {"sentences": ["Mr. Trump met Vladimir Putin in Moscow."]},
        {"sentences": ["Putin said nothing."]},
    ]
    mentions = story_entities(articles)
    assert [(m.text, m.canonical, m.type) for m in mentions[1]] == [
        ("Trump", "Donald Trump", "PER"), ("Vladimir Putin", "Vladimir Putin", "PER"), ("Moscow", "Moscow", "LOC"),
    ]  # fmt: skip
    assert entity_targets(mentions) == ["Donald Trump", "Moscow", "Vladimir Putin"]


def person(s_no, start, text, canonical=None, kind="PER"):
    return EntityMention(s_no, start, start + len(text), text, kind, canonical or text)


@pytest.mark.parametrize(
    "sentence, entity, expect",
    [
        ("“We will act now,” Putin said.", person(0, 19, "Putin", "Vladimir Putin"),
         ("direct", "said", "Putin", "Vladimir Putin", "We will act now,")),
        ("“We will act now,” said Russian President Vladimir Putin.", person(0, 40, "Vladimir Putin"),
         ("direct", "said", "Vladimir Putin", "Vladimir Putin", "We will act now,")),
        ("The talks failed, according to Reuters.", person(0, 31, "Reuters", kind="ORG"),
         ("according_to", "according to", "Reuters", "Reuters", "The talks failed, according to Reuters.")),
        ("NATO told reporters that the alliance would respond.", person(0, 0, "NATO", kind="ORG"),
         ("reported", "told", "NATO", "NATO", "NATO told reporters that the alliance would respond.")),
    ],
)  # fmt: skip
def test_a_speaker_next_to_the_speech_verb_is_the_entity_there(sentence, entity, expect):
    (a,) = attributions([sentence], [entity])
    assert (a.kind, a.cue, a.speaker, a.entity, a.quote) == expect


def test_a_pronoun_is_the_person_named_last_and_a_noun_phrase_has_no_entity():
    sentences = [
        "Vladimir Putin arrived in Kabul.",
        "He said the visit was historic.",
        "“This is a step back for human rights,” the ministry said in a statement.",
        "“I said nothing,” was all he offered.",
    ]
    found = attributions(sentences, [person(0, 0, "Vladimir Putin")])
    assert [(a.sentence_no, a.kind, a.speaker, a.entity) for a in found] == [
        (1, "reported", "He", "Vladimir Putin"),
        (2, "direct", "the ministry", None),
    ]


def test_the_listener_is_not_the_speaker_and_an_appositive_sits_between_subject_and_verb():
    sentence = "“He is waiting,” Bob Haueter, Farenthold’s chief of staff, told HuffPost at the time."
    names = [("Bob Haueter", "PER"), ("Farenthold", "PER"), ("HuffPost", "ORG")]
    found = attributions([sentence], [person(0, sentence.index(n), n, kind=k) for n, k in names])
    assert [(a.speaker, a.entity) for a in found] == [("Bob Haueter", "Bob Haueter")]


@pytest.mark.parametrize(
    "sentence",
    ["Refugees came into the United States last year.", "Mr. Trump repeated his false claims about the wall.",
     "Blumenthal's campaign said he planned an event."],
)  # fmt: skip
def test_nouns_that_look_like_verbs_and_a_reported_clause_subject_are_no_speakers(sentence):
    assert attributions(["Richard Blumenthal spoke.", sentence], [person(0, 0, "Richard Blumenthal")])[1:] == []


def test_a_speaker_of_a_place_with_an_appositive_is_the_person_not_the_place():
    sentence = "“This is scary,” Senator Mark Warner of Virginia, the top Democrat on the committee, said."
    names = [("Mark Warner", "PER"), ("Virginia", "LOC")]
    found = attributions([sentence], [person(0, sentence.index(n), n, kind=k) for n, k in names])
    assert [(a.speaker, a.entity, a.kind) for a in found] == [("Mark Warner", "Mark Warner", "direct")]
