"""Pages that bot-protection services answer in place of a site's own, for tests that
stage a site refusing marsad (the wording of each service's real pages, shortened)."""

from __future__ import annotations

CLOUDFLARE_CHALLENGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<noscript>Enable JavaScript and cookies to continue</noscript></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "example.org"};}());</script>
</body></html>"""
SUCURI_CHALLENGE = (b"<html><head><title>You are being redirected...</title></head><body>"
                    b"<script>var s={},u,c,U,r,i,l=0;sucuri_cloudproxy_js='';</script>"
                    b"</body></html>")
IMPERVA_CHALLENGE = (b'<html><head><META NAME="robots" CONTENT="noindex,nofollow"></head><body>'
                     b'<iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=9" '
                     b'frameborder=0>Request unsuccessful. Incapsula incident ID: 1-2</iframe>'
                     b"</body></html>")
DATADOME_BLOCK = (b"<html><head><title>example.org</title></head><body><script>var dd={'rt':'c'}"
                  b"</script><script src=\"https://ct.captcha-delivery.com/c.js\"></script>"
                  b"</body></html>")
