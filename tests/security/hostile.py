"""Hostile input, as strategies: what a careless client, a fuzzer or an attacker sends to a public
URL. Each strategy gives *raw* text; ``percent_encode`` turns it into the bytes a client would put
on the wire, including what no Python ``str`` can hold as text (invalid UTF-8, lone surrogates).

The markup payloads carry the marker ``x_hostile``: a page that echoes one escaped shows
``&lt;x-hostile``; one that echoes it raw contains a ``DANGEROUS`` signature (``unescaped_echo``).
"""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

# What would run or change the page if it came back unescaped.
MARKUP_PAYLOADS = (
    "<script>x_hostile()</script>",
    '"><x-hostile onclick=x_hostile()>',
    "'><x-hostile>",
    '" x_hostile="1',
    "' x_hostile='1",
    "</textarea><x-hostile>",
    "<img src=x onerror=x_hostile()>",
    "javascript:x_hostile()//<x-hostile>",
    # Full-width look-alikes that NFKC (the search's normalisation) turns into markup.
    "＜x-hostile＞＜script＞x_hostile()＜/script＞",
)
DANGEROUS = ("<x-hostile", "<script>x_hostile", 'x_hostile="', "x_hostile='", "<img src=x onerror")

SQL_PAYLOADS = (
    "' OR '1'='1",
    "1; DROP TABLE donations_donation; --",
    "%' UNION SELECT password FROM auth_user --",
    "\\'; SELECT pg_sleep(0) --",
    "%%",
    "_",
)

CONFUSABLES = (
    "ｐｒｏｊｅｃｔｓ",  # full-width Latin
    "１２３４５６７",  # full-width digits
    "раssword",  # Cyrillic р and а
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width characters, byte order mark
    "ｶﾞｷﾞ",  # half-width kana
    "𠮷野家🏯",  # outside the BMP
)

NUMBERS = (
    "0",
    "-1",
    "-999999999999999999999",
    "99999999999999999999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "1.5",
    "１０００００",
    "1,000,000円",
    str(2**63),
    str(-(2**63) - 1),
)

control_characters = st.text(
    alphabet=st.characters(codec=None, categories=["Cc"]), min_size=1, max_size=20
)
# Code points UTF-8 cannot carry: a client sending them sends invalid UTF-8.
lone_surrogates = st.text(
    alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=4
)

hostile_text = st.one_of(
    st.just(""),
    st.sampled_from(MARKUP_PAYLOADS),
    st.sampled_from(SQL_PAYLOADS),
    st.sampled_from(CONFUSABLES),
    st.sampled_from(NUMBERS),
    control_characters,
    lone_surrogates,
    st.just("\x00"),
    # Very long: far past every field's max_length and the search's raw-input limit.
    st.integers(min_value=1_000, max_value=20_000).map(lambda n: "あ<" * (n // 2)),
    st.text(max_size=60),
    # A payload inside ordinary text, as one pasted into a field would be.
    st.tuples(st.text(max_size=10), st.sampled_from(MARKUP_PAYLOADS + SQL_PAYLOADS)).map("".join),
)

# Bytes no decoder should choke on: a truncated sequence, an overlong encoding, a stray
# continuation byte, an encoded surrogate.
INVALID_UTF8 = ("%FF", "%C0%AF", "%E3%81", "%80", "%ED%A0%80", "%F4%90%80%80", "%")
raw_invalid_utf8 = st.sampled_from(INVALID_UTF8)


def percent_encode(text: str) -> str:
    """``text`` as a client puts it in a query string or a form body: lone surrogates become
    the (invalid) UTF-8 bytes they would be, everything else ordinary percent-encoding."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# A query-string value, percent-encoded (some of it invalid UTF-8 on purpose).
encoded_value = st.one_of(hostile_text.map(percent_encode), raw_invalid_utf8)


def unescaped_echo(body: bytes) -> str | None:
    """The dangerous signature the body contains, if a markup payload came back unescaped."""
    text = body.decode("utf-8", "replace").lower()
    return next((signature for signature in DANGEROUS if signature in text), None)
