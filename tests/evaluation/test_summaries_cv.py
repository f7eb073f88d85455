"""`newsprism eval summaries --cv`: topics, folds and the settings it chooses, on items with known answers."""

import numpy as np
from rouge_score import rouge_scorer

from newsprism.evaluation.summaries_cv import Prepared, RougeTable, cross_validate, pick_all, topic_groups
from newsprism.models.summarise import ExtractiveSummariser


def unit(*v):
    a = np.array(v, dtype=float)
    return a / np.linalg.norm(a)


def test_topics_link_items_transitively_above_the_threshold():
    vectors = np.stack([unit(1, 0, 0), unit(0.9, 0.436, 0), unit(0, 1, 0), unit(0, 0, 1), unit(0.5, 0.866, 0)])
    groups = topic_groups(vectors, 0.8)
    # 0-1 (0.90), 1-4 (0.83) and 4-2 (0.87) link; 0-2 (0.0) only through them; 3 stands alone
    assert groups[0] == groups[1] == groups[2] == groups[4] != groups[3]
    assert len(set(topic_groups(vectors, 0.95))) == 5


SENTENCES = [
    "The council approved the harbour budget on Monday evening.",  # 0
    "Mayor Lind said construction would start in the spring.",  # 1
    "Residents near the docks asked for quieter night shifts.",  # 2
    "Fishing crews reported record cod landings this season.",  # 3 central: 3 and 4 say the same
    "Fishing crews reported record cod landings again this season.",  # 4
]
VECTORS = np.stack([unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0), unit(0, 0, 0, 1), unit(0, 0, 0, 1)])


def test_pick_all_summarises_as_the_summariser_does():
    item = Prepared(SENTENCES, VECTORS, lead=" ".join(SENTENCES[:3]), reference="")
    for settings in (
        {"lead_weight": 0.0, "lead_decay": 3.0, "redundancy_weight": 0.0, "min_words": 6, "max_words": 60},
        {"lead_weight": 0.0, "lead_decay": 3.0, "redundancy_weight": 1.0, "min_words": 6, "max_words": 60},
        {"lead_weight": 5.0, "lead_decay": 1.0, "redundancy_weight": 0.0, "min_words": 6, "max_words": 60},
    ):
        summariser = ExtractiveSummariser("summarise.test", encoder=None, **settings)  # type: ignore[arg-type]
        assert pick_all([item], settings, 3) == [summariser.pick(VECTORS, SENTENCES, 3)]
    assert pick_all([item], {"lead_weight": 0.0, "lead_decay": 3.0, "redundancy_weight": 0.0, "min_words": 6,
                             "max_words": 60}, 3)[0][1:] == (3, 4)  # fmt: skip
    assert pick_all([item], {"lead_weight": 5.0, "lead_decay": 1.0, "redundancy_weight": 0.0, "min_words": 6,
                             "max_words": 60}, 3) == [(0, 1, 2)]  # fmt: skip


def test_cross_validation_chooses_the_lead_when_references_are_the_lead():
    items = [Prepared(SENTENCES, VECTORS, " ".join(SENTENCES[:3]), " ".join(SENTENCES[:3])) for _ in range(6)]
    rouge = RougeTable(rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True), items)
    grid = {"lead_weight": (0.0, 5.0), "lead_decay": (1.0,), "redundancy_weight": (0.0,), "min_words": (6,),
            "max_words": (60,)}  # fmt: skip
    result = cross_validate(items, list(range(6)), rouge, 3, 3, 0, grid)
    assert [c["lead_weight"] for c in result["chosen_per_fold"]] == [5.0, 5.0, 5.0]
    assert result["chosen"]["lead_weight"] == 5.0
    assert result["held_out"] == result["lead3_same_items"] == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert result["topics"] == 6 and result["folds"] == 3
