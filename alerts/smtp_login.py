"""What of an SMTP login may come back in a server's reply, to be masked wherever a reply
is shown: the user name and password, plain and in every base64 form they were sent in."""

from __future__ import annotations

import base64

_BASE64_CORE_MIN = 6  # shorter runs of base64 characters are too common to mask


def login_secrets(username: str | None, password: str | None) -> tuple[str, ...]:
    """The login as it may come back in a reply: plain, and base64 as AUTH LOGIN sends
    each part and AUTH PLAIN sends them together ("\\0user\\0password"), including the
    characters that encode each part alone wherever it sits in a longer blob. The user
    name is masked too: with the password, it is half of what a guesser needs."""
    if not username and not password:
        return ()
    user, secret = username or "", password or ""
    found = [secret, user, _b64(f"\0{user}\0{secret}"), _b64(f"{user}\0{user}\0{secret}")]
    for credential in (user, secret):
        found += [_b64(credential), *_base64_cores(credential.encode("utf-8"))]
    return tuple(dict.fromkeys(form for form in found if form))


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_cores(data: bytes) -> list[str]:
    """The base64 characters that encode nothing but `data`, for each of the 3 offsets
    (modulo 3) it can sit at inside a longer encoded blob: at offset 1, say, the first
    character mixes a byte before it with the start of `data`, and differs from blob
    to blob, but the characters after it do not."""
    cores = []
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + data + bytes(3)).decode("ascii")
        first = -(-8 * offset // 6)  # the first character whose 6 bits all lie in data
        last = (8 * (offset + len(data))) // 6  # one past the last such character
        core = encoded[first:last]
        if len(core) >= _BASE64_CORE_MIN:
            cores.append(core)
    return cores
