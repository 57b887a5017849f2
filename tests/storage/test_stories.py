"""Stories: the same text at two URLs (or on two sites) is one story."""

from __future__ import annotations

from storage import Archive
from storage.stories import MIN_FINGERPRINT_CHARS, fingerprint


def test_same_text_at_two_urls_is_one_story(archive: Archive, make_article, bodies) -> None:
    first = archive.store_article(make_article())
    second = archive.store_article(make_article(url="https://www.hespress.com/other-slug-9.html"))
    assert second.new_article
    assert not second.new_story
    assert second.story == first.story
    assert archive.db["articles"].count == 2


def test_syndicated_copy_on_another_source_is_the_same_story(archive: Archive, make_article,
                                                             bodies) -> None:
    first = archive.store_article(make_article())
    # Same body with other spacing, tatweel and hamza spellings: still the same text.
    respelled = bodies.ar.replace("الأمن", "الامن").replace(" ", "  ").replace("المغرب", "المغـرب")
    copy = archive.store_article(make_article(
        url="https://www.barlamane.com/%D8%AA%D8%B9%D8%A7%D9%88%D9%86/", source="barlamane",
        text="\n" + respelled + "\n", title="عنوان آخر"))
    assert copy.new_article and not copy.new_story
    assert copy.story == first.story
    exported = {row["source"]: row["story"] for row in archive.export_articles()}
    assert exported == {"hespress": first.story, "barlamane": first.story}


def test_different_text_is_a_different_story(archive: Archive, make_article, bodies) -> None:
    first = archive.store_article(make_article())
    other = archive.store_article(make_article(
        url="https://fr.hespress.com/400000-salon.html", text=bodies.other, language="fr"))
    assert other.new_story
    assert other.story != first.story
    changed = archive.store_article(make_article(
        url="https://www.hespress.com/x-2.html", text=bodies.ar + " وأضاف المصدر ذاته."))
    assert changed.new_story
    assert changed.story not in {first.story, other.story}


def test_short_bodies_each_get_their_own_story(archive: Archive, make_article) -> None:
    teaser = "فيديو: لقاء أمني"
    assert len(teaser) < MIN_FINGERPRINT_CHARS
    one = archive.store_article(make_article(url="https://www.goud.ma/a-1/", text=teaser))
    two = archive.store_article(make_article(url="https://www.goud.ma/b-2/", text=teaser))
    empty = archive.store_article(make_article(url="https://www.goud.ma/c-3/", text=""))
    assert one.new_story and two.new_story and empty.new_story
    assert len({one.story, two.story, empty.story}) == 3


def test_story_keys_are_stable_across_archives(tmp_path, make_article) -> None:
    with Archive(tmp_path / "a.db") as first, Archive(tmp_path / "b.db") as second:
        key_a = first.store_article(make_article()).story
        key_b = second.store_article(make_article()).story
    assert key_a == key_b
    assert len(key_a) == 16 and int(key_a, 16) >= 0


def test_fingerprint_ignores_spacing_case_and_accents(bodies) -> None:
    assert fingerprint(bodies.fr) == fingerprint("  " + bodies.fr.replace("é", "e").upper())
    assert fingerprint(bodies.fr) != fingerprint(bodies.other)
    assert fingerprint("") is None
    assert fingerprint("x" * (MIN_FINGERPRINT_CHARS - 1)) is None
    assert fingerprint("x" * MIN_FINGERPRINT_CHARS) is not None
