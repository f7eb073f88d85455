"""Claims about outlets are made only when the cluster bootstrap over articles and sentences supports them."""

from newsprism.comparison import stance_notes, tone_note
from newsprism.tasks.report import tone_text
from newsprism.uncertainty import interval, rank


def sentences(outlet, articles):
    return [
        {"outlet": outlet, "article_id": f"{outlet}-{a}", "score": score}
        for a, scores in enumerate(articles)
        for score in scores
    ]


def test_an_interval_is_seeded_and_brackets_the_pooled_mean():
    clusters = [[-0.5, -0.2, -0.9, 0.1] * 8, [-0.3, -0.6] * 10]
    ci = interval(clusters)
    assert (ci.articles, ci.sentences, round(ci.estimate, 4)) == (2, 52, -0.4038)
    assert ci.low < ci.estimate < ci.high and ci == interval(clusters)
    assert ci.excludes(0.0) and not ci.excludes(-0.4)
    one = interval([[0.25]])
    assert (one.estimate, one.low, one.high) == (0.25, 0.25, 0.25)


def test_a_clear_tone_gap_is_stated_with_its_interval():
    rows = (
        sentences("A", [[-0.6, -0.4, -0.8, -0.5] * 5, [-0.7, -0.3] * 6])
        + sentences("B", [[0.3, 0.5, 0.1] * 6])
        + sentences("C", [[0.0, -0.1, 0.1] * 5])
    )
    ranking = rank(
        {
            o: [
                [r["score"] for r in rows if r["article_id"] == a]
                for a in sorted({r["article_id"] for r in rows if r["outlet"] == o})
            ]
            for o in "ABC"
        }
    )
    assert ranking is not None and (ranking.lowest, ranking.highest, ranking.clear()) == ("A", "B", True)
    note = tone_note(rows)
    assert note is not None and note.startswith("Tone: A is the most negative and B the most positive (difference +0.8")


def test_noise_is_not_called_a_difference():
    # two articles per outlet whose means overlap: the order flips between resamples
    rows = sentences("A", [[0.2, -0.4, 0.1], [-0.3, 0.3]]) + sentences("B", [[0.1, -0.2], [0.3, -0.1, -0.2]])
    note = tone_note(rows)
    assert note is not None and note.startswith("Tone: no clear difference between outlets (widest gap A vs B: ")
    assert tone_note(sentences("A", [[0.5]])) is None  # one outlet: nothing to compare


def test_stance_notes_give_each_outlets_share_of_articles():
    rows = [
        {"outlet": "A", "article_id": "a1", "claim_no": 0, "label": "agree", "score": 0.8},
        {"outlet": "A", "article_id": "a2", "claim_no": 0, "label": "agree", "score": 0.7},
        {"outlet": "A", "article_id": "a3", "claim_no": 0, "label": "discuss", "score": 0.6},
        {"outlet": "B", "article_id": "b1", "claim_no": 0, "label": "disagree", "score": 0.55},
        {"outlet": "B", "article_id": "b1", "claim_no": 1, "label": "agree", "score": 0.9},
        {"outlet": "A", "article_id": "a1", "claim_no": 1, "label": "agree", "score": 0.9},
    ]
    notes = stance_notes(rows, ["First claim", "Second claim"])
    assert len(notes) == 1
    assert notes[0].startswith("Stance on claim 1 ('First claim') differs — A: agree in 0.67 [")
    assert notes[0].endswith(" of 3 articles; B: disagree (one article, p=0.55).")


def test_the_report_shows_tone_with_its_interval():
    assert tone_text({"tone": -0.123, "tone_interval": [-0.3, 0.05]}) == "-0.12 [-0.30, +0.05]"
    assert tone_text({"tone": None, "tone_interval": None}) == "–"


def test_a_gap_without_a_stable_order_is_not_called_no_difference():
    # A and B differ clearly; C sits between them with few sentences, so the extremes' order is not stable
    rows = (
        sentences("A", [[-0.5, -0.3, -0.4, -0.6] * 4])
        + sentences("B", [[0.3, 0.4, 0.2, 0.5] * 4])
        + sentences("C", [[-0.9, 0.9]])
    )
    note = tone_note(rows)
    assert note is not None
    assert note.startswith("Tone: A reads more negative than B (difference +0.8"), note
    assert "but which outlets are the most negative and most positive is not clear (the order holds in " in note
