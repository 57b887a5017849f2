"""Seeds: read-also links followed from a seed article, up to `read_also_depth` hops."""

from __future__ import annotations

from urllib.parse import urlsplit

from storage import Archive


def test_read_also_chain_from_a_seed(sites, marsad, tmp_path):
    truth = {a.path: a for a in sites.articles}
    # The seed-like article: several read-also links, among them a forbidden and an off-site one.
    seed = next(a for a in sites.articles
                if a.site == "almokhbir" and len(a.read_also) >= 3)
    chain = [seed]
    while chain[-1].read_also and len(chain) < 5:
        following = [truth[p] for p in chain[-1].read_also if p in truth
                     and not truth[p].forbidden and truth[p].site == "almokhbir"]
        if not following:
            break
        chain.append(following[0])
    assert len(chain) >= 4, "the sample sites lost their read-also chain"

    hosts = "\n".join(
        f'[[sources]]\nname = "{name}"\nallowed_domains = ["{urlsplit(url).hostname}"]\n'
        for name, url in sites.base_urls.items()
    )
    config = tmp_path / "marsad.toml"
    config.write_text(f"""database = "archive.db"
[crawl]
download_delay = "0s"
read_also_depth = 2
seeds = ["{sites.url(seed)}"]

{hosts}
""", encoding="utf-8")
    marsad("--config", str(config), "crawl")
    with Archive(tmp_path / "archive.db") as archive:
        stored = {urlsplit(a["url"]).path: a for a in archive.export_articles()}
    assert stored[seed.path]["discovered_via"] == "seed"
    # Hops 1 and 2 from the seed are fetched.
    assert chain[1].path in stored and chain[2].path in stored
    assert stored[chain[1].path]["discovered_via"] == "read_also"
    # Neither middle link matches the topic, so the third hop lies beyond the limit.
    assert not chain[1].on_topic and not chain[2].on_topic
    assert chain[3].path not in stored
    assert not sites.was_requested("almokhbir", chain[3].path)
    assert not any(sites.was_requested(a.site, a.path) for a in sites.articles if a.forbidden)
    assert [r for r in sites.requests if r[0] == "offsite"] == []
    assert all(a["discovered_via"] in ("seed", "read_also") for a in stored.values())
