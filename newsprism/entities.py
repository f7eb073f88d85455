"""A story's named entities: every mention the tagger finds (models/ner.py), with one canonical name per
entity across the story's articles, and the entities sentiment is measured toward by default.

    story_entities(articles)     # articles: one story's, each with its `sentences`
    -> per article, [EntityMention(sentence_no=0, start=0, end=12, text="Mr. Trump’s", type="PER",
                                   canonical="Donald Trump"), ...]

Aliases are merged within the story, not across stories: a mention's name is `targets.canonical` of its text
(possessive folded, titles dropped: "Mr. Trump’s" -> "Trump"); a person's surname alone, or with a title,
joins the full name of the story that ends in it (the most mentioned one: "Trump" -> "Donald Trump"); the
same name tagged with different types gets the type most of its mentions have. Nothing here knows that
"the Kremlin" is Russia's government: aliases are spelled-out variants of one name, not world knowledge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.models.ner import Entity, load_ner
from newsprism.models.profiles import NER_CRF
from newsprism.targets import canonical, surname


@dataclass(frozen=True)
class EntityMention:
    sentence_no: int
    start: int
    end: int
    text: str  # as written
    type: str  # PER, ORG, LOC or MISC
    canonical: str  # the entity's name within the story


def canonical_names(found: Sequence[Sequence[Sequence[Entity]]]) -> tuple[dict[str, str], dict[str, str]]:
    """(name -> canonical name, canonical name -> type) over a story's mentions (per article, per sentence)."""
    names: Counter[str] = Counter()
    types: dict[str, Counter[str]] = {}
    for article in found:
        for sentence in article:
            for e in sentence:
                name = canonical(e.text)
                names[name] += 1
                types.setdefault(name, Counter())[e.type] += 1
    full_by_surname: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (-names[n], n)):
        last = surname(name)
        if last and types[name].most_common(1)[0][0] == "PER" and last not in full_by_surname:
            full_by_surname[last] = name
    alias = {name: full_by_surname.get(name, name) for name in names}
    merged: dict[str, Counter[str]] = {}
    for name, kinds in types.items():
        merged.setdefault(alias[name], Counter()).update(kinds)
    kind = {name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for name, c in merged.items()}
    return alias, kind


def story_entities(articles: Sequence[Mapping[str, Any]], ner_id: str = NER_CRF) -> list[list[EntityMention]]:
    """Per article (in order), its entity mentions with the story's canonical names."""
    tagger = load_ner(ner_id)
    found = [tagger.entities(a["sentences"]) for a in articles]
    alias, kind = canonical_names(found)
    out = []
    for article in found:
        mine = []
        for s_no, sentence in enumerate(article):
            for e in sentence:
                name = alias[canonical(e.text)]
                mine.append(EntityMention(s_no, e.start, e.end, e.text, kind[name], name))
        out.append(mine)
    return out


def entity_rows(article_id: str, mentions: Sequence[EntityMention], ner_id: str = NER_CRF) -> list[dict[str, Any]]:
    """An article's `entities` table rows."""
    return [
        {"article_id": article_id, "sentence_no": m.sentence_no, "start_char": m.start, "end_char": m.end,
         "text": m.text, "type": m.type, "canonical": m.canonical, "model_id": ner_id}
        for m in mentions
    ]  # fmt: skip


def entity_targets(mentions: Sequence[Sequence[EntityMention]], limit: int = 5, min_articles: int = 2) -> list[str]:
    """The entities most of the story's articles mention (in `min_articles` or more): most articles first,
    then most mentions, then by name. A MISC name that is the adjective of one of the story's places
    ("Russian" beside "Russia") is no target; other MISC names (groups such as "Taliban") are."""
    doc_freq: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for article in mentions:
        names = [m.canonical for m in article]
        total.update(names)
        doc_freq.update(set(names))
    kinds = {m.canonical: m.type for article in mentions for m in article}
    places = [n.lower() for n, k in kinds.items() if k == "LOC"]

    def demonym(name: str) -> bool:  # "Russian" beside "Russia", "Afghan" beside "Afghanistan"
        low = name.lower()
        return any(len(p) >= 4 and low[:4] == p[:4] and low != p for p in places)

    ranked = sorted(
        (n for n, df in doc_freq.items() if df >= min_articles and not (kinds[n] == "MISC" and demonym(n))),
        key=lambda n: (-doc_freq[n], -total[n], n),
    )
    return ranked[:limit]
