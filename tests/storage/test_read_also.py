"""The read-also graph: edges from stored articles to linked URLs, stored or not."""

from __future__ import annotations

from storage import Archive
from storage.records import ReadAlsoLink

A = "https://www.hespress.com/a-1.html"
B = "https://www.hespress.com/b-2.html"
C = "https://www.lemonde.fr/afrique/article/2024/07/25/c_1_2.html"


def test_edges_are_recorded_even_before_their_target_is_stored(archive: Archive,
                                                               make_article, bodies) -> None:
    archive.store_article(make_article(url=A, read_also=(
        ReadAlsoLink(B, "اقرأ أيضا"), ReadAlsoLink(C + "?utm_source=x", "Lire aussi"),
    )))
    assert archive.read_also_graph() == [(A, B), (A, C)]
    assert not archive.has_url(B)
    archive.store_article(make_article(url=B, text=bodies.other, read_also=(ReadAlsoLink(A),)))
    assert archive.read_also_graph() == [(A, B), (A, C), (B, A)]
    assert archive.article(A)["read_also"] == [
        {"url": B, "title": "اقرأ أيضا"}, {"url": C, "title": "Lire aussi"}]


def test_duplicate_variant_and_self_links_are_one_or_no_edge(archive: Archive,
                                                            make_article) -> None:
    archive.store_article(make_article(url=A, read_also=(
        ReadAlsoLink(B), ReadAlsoLink(B + "/amp"), ReadAlsoLink("https://m.hespress.com/b-2.html"),
        ReadAlsoLink(A + "?utm_medium=social"), ReadAlsoLink("mailto:desk@hespress.com"),
    )))
    assert archive.read_also_graph() == [(A, B)]
    # A later copy brings the missing link title, and a new edge.
    archive.store_article(make_article(url=A, read_also=(ReadAlsoLink(B, "عنوان"),
                                                         ReadAlsoLink(C, "Lire"))))
    assert archive.article(A)["read_also"] == [{"url": B, "title": "عنوان"},
                                              {"url": C, "title": "Lire"}]
