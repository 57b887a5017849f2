"""Two real cycles over the sample sites, alerts going to a real SMTP server and a
Slack-compatible endpoint: every relevant story alerted exactly once per channel."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml
from storage import Archive

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child

URL = re.compile(r"https?://127\.0\.0\.\d+:\d+/[^\s<>\"|]+")


@pytest.fixture
def sinks():
    with SmtpSink() as smtp, SlackSink() as slack:
        yield smtp, slack


def alerted_paths(smtp: SmtpSink, slack: SlackSink) -> tuple[Counter, Counter]:
    """Article paths named by each email (its Link line) and each Slack post."""
    mails = Counter()
    for message in smtp.messages:
        text = message.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"^Link:\s+(\S+)", text, re.MULTILINE).group(1)
        mails[urlsplit(link).path] += 1
    posts = Counter()
    for post in slack.posts:
        posts[urlsplit(URL.search(str(post["payload"]["text"])).group(0)).path] += 1
    return mails, posts


def test_two_cycles_alert_each_relevant_story_once_per_channel(sites, site_config, marsad,
                                                               sinks):
    smtp, slack = sinks
    config = site_config("listing_pages = 3", sink_channels_toml(smtp, slack))
    marsad("--config", str(config), "crawl")

    truth = {a.path: a for a in sites.articles}
    archive = Archive(config.parent / "archive.db")
    stored = {urlsplit(row["url"]).path: row for row in archive.export_articles()}
    mails, posts = alerted_paths(smtp, slack)
    assert mails and mails == posts
    assert all(count == 1 for count in mails.values())
    # Never an irrelevant story; every relevant stored story, once (one copy per story).
    assert all(truth[path].on_topic for path in mails)
    relevant_stories = {row["story"] for path, row in stored.items() if truth[path].on_topic}
    assert {stored[path]["story"] for path in mails} == relevant_stories
    assert len(mails) == len(relevant_stories)
    # Each alert shows its story's first article and names the other sources; a
    # follow-up names the story it follows.
    bodies = {urlsplit(re.search(r"^Link:\s+(\S+)", text, re.MULTILINE).group(1)).path: text
              for text in (m.get_body(preferencelist=("plain",)).get_content()
                           for m in smtp.messages)}
    first_of = {}
    for path, row in sorted(stored.items(), key=lambda item: item[1]["published"] or ""):
        first_of.setdefault(row["story"], (path, row))
    for path, text in bodies.items():
        story = stored[path]["story"]
        assert first_of[story][0] == path
        others = {row["source"] for row in stored.values()
                  if row["story"] == story and row["source"] != stored[path]["source"]}
        if others:
            assert f"(also: {', '.join(sorted(others))})" in text
        follows = stored[path]["follows"]
        if follows is not None and follows in first_of:
            assert "Follow-up: " in text
            assert first_of[follows][1]["url"] in text
    assert any("(also: " in text for text in bodies.values())
    assert any("Follow-up: " in text for text in bodies.values())

    # Cycle 2: a syndicated copy of an alerted story, a new relevant story, an irrelevant one.
    alerted = next(truth[p] for p in mails if truth[p].site == "almokhbir")
    original = stored[alerted.path]
    copy = sites.add_article("albawaba24", "نسخة: " + alerted.title,
                             original["text"].split("\n\n"), on_topic=True)
    fresh = sites.add_article(
        "lequotidien",
        "Terrorisme : un suspect arrêté à Casablanca grâce à un signalement de la DGSI",
        ["Un ressortissant français soupçonné de préparer un attentat a été interpellé à "
         "Casablanca par le Bureau central d'investigations judiciaires (BCIJ), sur la base "
         "d'informations transmises par la Direction générale de la sécurité intérieure "
         "(DGSI), a annoncé mardi la police marocaine.",
         "Selon la DGSN, cette opération illustre la coopération sécuritaire étroite entre "
         "le Maroc et la France dans la lutte contre le terrorisme."],
        on_topic=True)
    plain = sites.add_article(
        "lequotidien", "Salon de l'agriculture : les exposants marocains attendus à Paris",
        ["Les producteurs marocains seront nombreux au Salon de l'agriculture de Paris, "
         "où les échanges commerciaux entre le Maroc et la France seront à l'honneur."])
    smtp.messages.clear()
    slack.posts.clear()
    marsad("--config", str(config), "crawl")

    mails, posts = alerted_paths(smtp, slack)
    assert mails == posts == Counter({fresh.path: 1})
    stored = {urlsplit(row["url"]).path: row for row in archive.export_articles()}
    assert stored[copy.path]["story"] == original["story"]
    # The alert lists the words its terms fired on as the article writes them.
    [mail] = smtp.messages
    text = mail.get_body(preferencelist=("plain",)).get_content()
    words = re.search(r"^Matched:\s+(.+)$", text, re.MULTILINE).group(1).strip().split(", ")
    article = " ".join(f"{stored[fresh.path]['title']} {stored[fresh.path]['text']}".split())
    assert "marocaine" in words and "*" not in "".join(words)
    assert all(word in article for word in words), words
    assert plain.path in stored
    alerts = archive.list_alerts()
    assert Counter((a["story"], a["channel"]) for a in alerts).most_common(1)[0][1] == 1
    assert {a["status"] for a in alerts} == {"sent"}
