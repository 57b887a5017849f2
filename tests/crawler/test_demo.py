"""`marsad demo` runs offline, end to end, and shows what the sinks received."""

from __future__ import annotations

import re

import pytest

from crawler.samples.model import site_data

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child


def test_demo_shows_alerts_by_email_and_slack(marsad):
    result = marsad("demo", timeout=90)
    out = result.stdout
    mails = int(re.search(r"=== Email sink: (\d+) message", out).group(1))
    posts = int(re.search(r"=== Slack sink: (\d+) post", out).group(1))
    assert mails > 0 and mails == posts
    assert "Subject: [marsad] morocco-france-security:" in out
    # Sada al-Atlas dresses og:title and <title> with its name; subjects carry the headline.
    dashed = next(a["title"] for a in site_data("sadaatlas")["articles"]
                  if a.get("topic") and " - " in a["title"])
    assert f"Subject: [marsad] morocco-france-security: {dashed}\n" in out
    assert "صدى الأطلس" not in out
    assert re.search(r"^demo finished in [\d.]+s$", out, re.MULTILINE)
    assert "Traceback" not in result.stderr
