"""Precision and recall of the built-in topic on labelled news (ours, and real excerpts)."""

from collections import Counter

from crawler.matching import match


def figures(rows, topic, language=None):
    tp = fp = fn = 0
    for row in rows:
        if language not in (None, row["language"]):
            continue
        found = match(topic, title=row["title"], text=row["text"], language=row["language"])
        tp += bool(found) and row["label"] == 1
        fp += bool(found) and row["label"] == 0
        fn += not found and row["label"] == 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def report(name, rows, topic):
    for language in ("ar", "fr", "en", None):
        precision, recall = figures(rows, topic, language)
        print(f"{name} {language or 'all'}: precision {precision:.3f} recall {recall:.3f}")
    return figures(rows, topic)


def test_labelled_set_is_balanced_and_complete(labelled):
    assert len(labelled) >= 150
    assert len({row["id"] for row in labelled}) == len(labelled)
    for row in labelled:
        assert row["title"].strip() and row["text"].strip() and row["why"].strip(), row["id"]
        assert row["label"] in (0, 1) and row["language"] in ("ar", "fr", "en"), row["id"]
    positives = sum(row["label"] for row in labelled) / len(labelled)
    assert 0.4 <= positives <= 0.6
    share = {k: v / len(labelled) for k, v in Counter(r["language"] for r in labelled).items()}
    assert 0.40 <= share["ar"] <= 0.50
    assert 0.35 <= share["fr"] <= 0.45
    assert 0.10 <= share["en"] <= 0.20


def test_precision_and_recall_on_the_labelled_set(labelled, security_topic):
    precision, recall = report("labelled", labelled, security_topic)
    assert precision >= 0.95
    assert recall >= 0.90


def test_precision_and_recall_on_real_press_excerpts(dev_set, security_topic):
    precision, recall = report("dev", dev_set, security_topic)
    assert precision >= 0.95
    assert recall >= 0.90
