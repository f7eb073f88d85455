"""Grouping articles into stories: which articles cover the same event.

Incremental single-pass clustering against story centroids, as news-stream clustering does (Miranda et al.,
EMNLP 2018): each article without a story id joins the most similar open story when its score reaches the
threshold, else it opens a new story. The score of an article against a story is the mean of two cosines,
title + lead against the story's title + lead centroid and the article's body against the story's body
centroid (the shared encoder's normalised vectors), plus `name_weight` times the share of the article's
capitalised names (`newsprism.targets.candidate_names`) that the story's articles mention. Only stories
active within `window_days` of the article's date are candidates; stories whose last article is older
than that, counted from the newest date seen, are closed and leave memory, so memory is bounded by the
window, not the corpus.

A batch is assigned in (date, article id) order, so the result does not depend on the order articles are
given in; an article that carries a story id keeps it (and its vectors join that story's centroids).
Existing assignments are never changed, unless `regroup()` reclusters them: each new cluster then keeps
the old story id that holds most of its articles, and the merges and splits are recorded, so ids stay
traceable. New story ids derive from the founding article's id: the same input gives the same ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from newsprism.targets import candidate_names, lowercase_words
from newsprism.text import split_sentences

LEAD_SENTENCES = 2  # title + this many sentences: the "title + lead" text
BODY_SENTENCES = 12  # the body text the encoder reads (it truncates at its max length anyway)
NAME_SENTENCES = 10  # capitalised names are taken from the title and this many sentences
# chosen on allsides_clusters.jsonl (another dataset than the BASIL figure reported; see the README's table)
DEFAULT_THRESHOLD = 0.5
DEFAULT_NAME_WEIGHT = 0.05
DEFAULT_WINDOW_DAYS = 3
GROUPING_METHOD = "grouping.centroid.v1"  # the algorithm's versioned id, written with its encoder and threshold


@dataclass(frozen=True)
class GroupingConfig:
    threshold: float = DEFAULT_THRESHOLD
    name_weight: float = DEFAULT_NAME_WEIGHT
    window_days: int = DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class Item:
    """An article as the grouping sees it. `day` is the date's ordinal (None: undated, compared with every
    open story); `story_id` is set when the article carries one (or was assigned one before)."""

    article_id: str
    day: int | None
    lead: np.ndarray
    body: np.ndarray
    names: frozenset[str]
    story_id: str | None = None


@dataclass(frozen=True)
class StoryEvent:
    """A merge (`from_story_id`'s articles joined `story_id`) or split (`story_id` was split off
    `from_story_id`) recorded by a regroup; `articles`: how many articles moved."""

    kind: str
    story_id: str
    from_story_id: str
    articles: int


def day_of(published_at: str | None) -> int | None:
    """The ordinal of an ISO date or date and time's day; None for none."""
    return date.fromisoformat(published_at[:10]).toordinal() if published_at else None


def article_texts(title: str | None, text: str) -> tuple[str, str, frozenset[str]]:
    """An article's title + lead text, body text and capitalised names (lower-cased)."""
    sentences = split_sentences(text)
    head = [title] if title else []
    lead = " ".join([*head, *sentences[:LEAD_SENTENCES]])
    common = lowercase_words(sentences[:NAME_SENTENCES])
    names = frozenset(n.lower() for s in [*head, *sentences[:NAME_SENTENCES]] for n in candidate_names(s, common))
    return lead, " ".join(sentences[:BODY_SENTENCES]), names


def items_for(
    articles: Sequence[Mapping[str, Any]],
    encode: Callable[[list[str]], np.ndarray],
    key: str = "article_id",
    story_key: str | None = None,
) -> list[Item]:
    """Items for articles with `title`, `clean_text` (else `text`) and `published_at`, each known by its
    `key` field and carrying the story in its `story_key` field (None: none); `encode` is the shared
    encoder's (normalised vectors)."""
    texts = [article_texts(a.get("title"), a.get("clean_text") or a.get("text") or "") for a in articles]
    leads = encode([t[0] for t in texts])
    bodies = encode([t[1] for t in texts])
    return [
        Item(a[key], day_of(a.get("published_at")), leads[i], bodies[i], t[2], a[story_key] if story_key else None)
        for i, (a, t) in enumerate(zip(articles, texts, strict=True))
    ]


def central(items: Sequence[Item]) -> Item:
    """The item whose title + lead vector is closest to the items' mean (ties: the smaller id)."""
    mean = np.mean([i.lead for i in items], axis=0)
    return min(items, key=lambda i: (-float(i.lead @ mean), i.article_id))


def _order(item: Item) -> tuple[bool, int, str]:
    return (item.day is None, item.day or 0, item.article_id)


@dataclass
class _Story:
    story_id: str
    first: int | None
    last: int | None
    names: Counter[str] = field(default_factory=Counter)
    size: int = 0


class Grouper:
    """The open stories and their centroids; `add()` assigns items. Build it from the assignments that exist
    (`Grouper(config, existing)`, every item with its `story_id`), then `add()` the new articles."""

    def __init__(self, config: GroupingConfig, existing: Iterable[Item] = (), dim: int | None = None) -> None:
        self.config = config
        self.stories: list[_Story] = []
        self.index: dict[str, int] = {}
        self.dim = dim
        self._lead = np.zeros((0, dim or 0), dtype=np.float32)
        self._body = np.zeros((0, dim or 0), dtype=np.float32)
        self._first = np.zeros(0, dtype=np.int64)  # ordinal days; undated stories span everything
        self._last = np.zeros(0, dtype=np.int64)
        self.newest: int | None = None
        self.closed = 0
        self.add(existing, close=False)  # stories close as the new items' dates advance

    # -- state ---------------------------------------------------------------------------------------------
    def _grow(self, dim: int) -> None:
        if self.dim is None or self._lead.shape[1] != dim:
            self.dim = dim
            self._lead = np.zeros((0, dim), dtype=np.float32)
            self._body = np.zeros((0, dim), dtype=np.float32)

    def _open(self, story_id: str, item: Item) -> int:
        row = len(self.stories)
        self.stories.append(_Story(story_id, item.day, item.day))
        self.index[story_id] = row
        self._lead = np.vstack([self._lead, np.zeros((1, self._lead.shape[1]), dtype=np.float32)])
        self._body = np.vstack([self._body, np.zeros((1, self._body.shape[1]), dtype=np.float32)])
        low, high = np.iinfo(np.int64).min // 2, np.iinfo(np.int64).max // 2
        self._first = np.append(self._first, item.day if item.day is not None else low)
        self._last = np.append(self._last, item.day if item.day is not None else high)
        return row

    def _join(self, row: int, item: Item) -> None:
        story = self.stories[row]
        self._lead[row] += item.lead
        self._body[row] += item.body
        story.names.update(item.names)
        story.size += 1
        if item.day is not None:
            if story.first is None or item.day < story.first:
                story.first = item.day
                self._first[row] = item.day
            if story.last is None or item.day > story.last:
                story.last = item.day
                self._last[row] = item.day

    def _close_old(self) -> None:
        """Drop the stories whose last article is older than the window, counted from the newest date."""
        if self.newest is None or not self.stories:
            return
        keep = self._last >= self.newest - self.config.window_days
        if keep.all():
            return
        self.closed += int((~keep).sum())
        self.stories = [s for s, k in zip(self.stories, keep, strict=True) if k]
        self.index = {s.story_id: i for i, s in enumerate(self.stories)}
        self._lead, self._body = self._lead[keep], self._body[keep]
        self._first, self._last = self._first[keep], self._last[keep]

    # -- scoring -------------------------------------------------------------------------------------------
    def scores(self, item: Item) -> np.ndarray:
        """The item's score against every open story (-inf outside the date window)."""
        if not self.stories:
            return np.zeros(0)
        lead_norm = np.linalg.norm(self._lead, axis=1)
        body_norm = np.linalg.norm(self._body, axis=1)
        score = 0.5 * (self._lead @ item.lead) / np.maximum(lead_norm, 1e-9)
        score += 0.5 * (self._body @ item.body) / np.maximum(body_norm, 1e-9)
        if self.config.name_weight and item.names:
            shared = np.array([sum(1 for n in item.names if n in s.names) for s in self.stories], dtype=np.float64)
            score += self.config.name_weight * shared / len(item.names)
        if item.day is not None:
            w = self.config.window_days
            outside = (self._last < item.day - w) | (self._first > item.day + w)
            score[outside] = -np.inf
        return score

    def add(self, items: Iterable[Item], close: bool = True) -> dict[str, str]:
        """Assign the items (in date, id order): article id -> story id. An item with a `story_id` keeps it.
        `close=False`: no story is closed on the way (replaying stored assignments)."""
        assigned: dict[str, str] = {}
        for item in sorted(items, key=_order):
            if self.dim is None:
                self._grow(len(item.lead))
            if close and item.day is not None and (self.newest is None or item.day > self.newest):
                self.newest = item.day
                self._close_old()
            if item.story_id is not None:
                row = self.index.get(item.story_id)
                row = self._open(item.story_id, item) if row is None else row
            else:
                score = self.scores(item)
                best = int(np.argmax(score)) if len(score) else -1
                if best >= 0 and score[best] >= self.config.threshold:
                    row = best
                else:
                    row = self._open(new_story_id(item.article_id), item)
            self._join(row, item)
            assigned[item.article_id] = self.stories[row].story_id
        return assigned


def new_story_id(article_id: str) -> str:
    """The id of a story an article opens: derived from the article's id, so stable across reruns."""
    return f"story-{article_id[:12]}"


def assign(
    items: Sequence[Item], existing: Sequence[Item] = (), config: GroupingConfig | None = None
) -> dict[str, str]:
    """Article id -> story id for `items`, given the articles already assigned (`existing`, each with its
    `story_id`, which is never changed). Every existing story is a candidate for an item within the date
    window, whatever the dates of the other existing articles."""
    return Grouper(config or GroupingConfig(), existing).add(items)


def regroup(
    items: Sequence[Item], existing: Sequence[Item], config: GroupingConfig | None = None, keep: Iterable[str] = ()
) -> tuple[dict[str, str], list[StoryEvent]]:
    """Recluster `existing` (assigned before) and `items` together; articles whose id is in `keep` (they carry
    their own story id) keep it. Each new cluster takes the old story id holding most of its articles (ties:
    the smaller id; an id goes to one cluster only, the largest first); the old stories a cluster absorbs
    are recorded as merges, and a cluster made of part of an old story that kept its id elsewhere as a split."""
    kept = set(keep)
    before = {i.article_id: i.story_id for i in existing if i.story_id is not None}
    fresh = [i if i.article_id in kept else _without_story(i) for i in [*existing, *items]]
    clusters = Grouper(config or GroupingConfig()).add(fresh)
    members: dict[str, list[str]] = {}
    for article_id, cluster in clusters.items():
        members.setdefault(cluster, []).append(article_id)
    taken: set[str] = set()
    names: dict[str, str] = {}
    for cluster in sorted(members, key=lambda c: (-len(members[c]), c)):
        if any(a in kept for a in members[cluster]):
            names[cluster] = cluster  # a given story id stays itself
            taken.add(cluster)
            continue
        counts = Counter(before[a] for a in members[cluster] if a in before)
        candidates = sorted((c for c in counts if c not in taken), key=lambda c: (-counts[c], c))
        names[cluster] = candidates[0] if candidates else cluster
        taken.add(names[cluster])
    events: list[StoryEvent] = []
    for cluster, articles in sorted(members.items()):
        story_id = names[cluster]
        old = Counter(before[a] for a in articles if a in before)
        for other, moved in sorted(old.items()):
            if other == story_id:
                continue
            events.append(StoryEvent("split" if other in taken else "merge", story_id, other, moved))
    return {a: names[c] for a, c in clusters.items()}, events


def _without_story(item: Item) -> Item:
    return Item(item.article_id, item.day, item.lead, item.body, item.names, None)
