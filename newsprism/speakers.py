"""Who is quoted: speech attributions in an article's sentences, the speaker resolved to a named entity.

    attributions(["“We will act,” Putin said.", "He added that talks would go on."], entities)
    -> [Attribution(sentence_no=0, kind="direct", cue="said", speaker="Putin", entity="Vladimir Putin", ...),
        Attribution(sentence_no=1, kind="reported", cue="added", speaker="He", entity="Vladimir Putin", ...)]

Rules, in a sentence with a speech verb (`CUES`, as a whole word) or "according to":
- the speaker is the named entity (newsprism/entities.py) right before the verb ("Putin said", "Russian
  President Vladimir Putin told reporters") or right after it ("…,” said Putin), or right after "according to";
- a pronoun (he, she, they) in those places is the person the article named last, in this or an earlier sentence;
- otherwise the few words before the verb when they are a noun phrase ("the ministry said"): the speaker as
  written, with no entity.
`kind` is "direct" when the sentence holds a quotation (`newsprism.text.quote_spans`; the quoted words are
`quote`), "according_to" for that phrase, else "reported" (`quote` is then the sentence). English cue words:
attributions are found in English text only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.entities import EntityMention
from newsprism.text import quote_spans

# bump when the rules change: every story's attributions are then reloaded
VERSION = "speakers.v1"
CUES = (
    "said says say told tells added adds stated states wrote writes asked asks explained explains noted notes "
    "insisted insists warned warns argued argues claimed claims announced announces declared declares tweeted "
    "posted replied replies acknowledged acknowledges admitted admits confirmed confirms denied denies "
    "suggested suggests urged urges continued continues recalled recalls"
).split()
_CUE = re.compile(rf"\b({'|'.join(CUES)})\b|\baccording to\b", re.IGNORECASE)
# cues that are also nouns ("the United States", "his false claims"): a speech verb only right after a named
# speaker, never after a noun phrase
AMBIGUOUS = frozenset("states claims notes continues urges suggests warns replies".split())
# cues whose object (the entity after them) is the listener, not the speaker ("told Reuters")
TO_LISTENER = frozenset("told tells asked asks".split())
_PRONOUNS = {"he": "PER", "she": "PER", "they": None}
# between a subject and its verb: "of <Place>" ("Senator Mark Warner of Virginia"), an appositive between commas
# ("Putin, the president,"), a few adverbs
_GAP_BEFORE = re.compile(
    r"^(?:\s+of\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)?(?:,[^,“”\"]{1,120},)?[\s,]*(?:(?:has|had|have|also|later|then|previously|reportedly|once)\s+)*$",
    re.IGNORECASE,
)  # an appositive between commas may sit between them: "Bob Haueter, the chief of staff, told HuffPost"
_AUXILIARIES = frozenset("was is were are be been being has had have".split())
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)"
_NOUN_PHRASE = re.compile(rf"\b({_DETERMINER}\s+(?:[\w’'-]+\s+){{0,3}}[\w’'-]+)\s*,?\s*$")


@dataclass(frozen=True)
class Attribution:
    sentence_no: int
    kind: str  # direct | reported | according_to
    cue: str  # the speech verb or "according to", lower case
    speaker: str  # as written
    entity: str | None  # the canonical entity, when the speaker is one
    entity_type: str | None
    quote: str  # the quoted words (direct), or the sentence


def _pronoun_at(text: str) -> str | None:
    """The pronoun `text` ends with, as written."""
    word = text.strip(" ,").split(" ")[-1] if text.strip(" ,") else ""
    return word if word.lower() in _PRONOUNS else None


def attributions(sentences: Sequence[str], entities: Sequence[EntityMention]) -> list[Attribution]:
    """The speech attributions of one article (its sentences and entity mentions), one per sentence at most:
    the first cue with a speaker."""
    by_sentence: dict[int, list[EntityMention]] = {}
    for m in entities:
        by_sentence.setdefault(m.sentence_no, []).append(m)
    last_person: EntityMention | None = None
    out: list[Attribution] = []
    for s_no, sentence in enumerate(sentences):
        mine = sorted(by_sentence.get(s_no, []), key=lambda m: m.start)
        found = _attribute(s_no, sentence, mine, last_person)
        if found:
            out.append(found)
        people = [m for m in mine if m.type == "PER"]
        if people:
            last_person = people[-1]
    return out


def _attribute(s_no: int, sentence: str, mine: list[EntityMention], last_person: EntityMention | None,
               ) -> Attribution | None:  # fmt: skip
    quotes = quote_spans(sentence)
    for cue in _CUE.finditer(sentence):
        if any(s <= cue.start() < e for s, e in quotes):
            continue  # a verb inside the quotation is the quoted person's, not the attribution
        word = cue.group(0).lower()
        according = word.startswith("according")
        speaker: EntityMention | None = None
        written = ""
        if according:
            after = [m for m in mine if m.start >= cue.end() and not sentence[cue.end() : m.start].strip(" ,")]
            speaker = after[0] if after else None
        else:
            before = [m for m in mine if m.end <= cue.start() and _GAP_BEFORE.match(sentence[m.end : cue.start()])]
            after = [m for m in mine if m.start >= cue.end() and _in_inverted(sentence[cue.end() : m.start])]
            if word in TO_LISTENER:
                after = []
            # the first entity whose gap to the verb fits: an entity inside the appositive is not the speaker
            # ("Steve Stivers, the chairman of the Committee, said")
            speaker = before[0] if before else (after[0] if after else None)
            if word in AMBIGUOUS and not before:
                continue
            if speaker is None:
                head = sentence[: cue.start()]
                inverted = bool(re.search(r"[”\"’'][\s,]*$|,[”\"’']\s*$", head))  # “…,” said he
                pronoun = _pronoun_at(head) or (_pronoun_after(sentence[cue.end() :]) if inverted else None)
                if pronoun and last_person is not None and _PRONOUNS[pronoun.lower()] == "PER":
                    written, speaker = pronoun, last_person
                elif not pronoun:
                    np = _NOUN_PHRASE.search(sentence[: cue.start()])
                    passive = np and np.group(1).split()[-1].lower() in _AUXILIARIES  # "the move was said to"
                    if np and not passive and (not quotes or np.start() >= quotes[-1][1]):
                        written = np.group(1)
        if speaker is None and not written:
            continue
        kind = "according_to" if according else ("direct" if quotes else "reported")
        quote = " … ".join(sentence[s:e] for s, e in quotes) if quotes else sentence
        if speaker is not None:
            shown = written or speaker.text
            return Attribution(s_no, kind, word, shown, speaker.canonical, speaker.type, quote)
        return Attribution(s_no, kind, word, written, None, None, quote)
    return None


def _in_inverted(gap: str) -> bool:
    """The words between an inverted verb and the entity after it ("said Russian President Vladimir Putin"):
    capitalised title words only."""
    words = gap.split()
    return len(words) <= 4 and all(w[:1].isupper() or w.lower() in {"the", "of"} for w in words)


def _pronoun_after(rest: str) -> str | None:
    """The pronoun `rest` starts with, as written ("…,” said he)."""
    word = rest.strip(" ,").split(" ")[0].strip(".,") if rest.strip(" ,") else ""
    return word if word.lower() in _PRONOUNS else None
