"""Scrubbing personal data from free text before it reaches data/processed or a report.

E-mail addresses become ``[email]``, phone numbers of the region ``[phone]``, links to a person's
profile and bare @handles ``[handle]``. Years, dates, percentages, prices and postal codes stay.

The patterns avoid look-arounds and Unicode classes, so that pandas runs them in pyarrow's RE2
over the whole column at once; only links to social-media profiles, which must tell a profile
from a post, use Python's ``re``, and only on the rows that mention such a site.
"""

from __future__ import annotations

import re

import pandas as pd

_SEP = "[ \xa0.()-]*"  # what people put between digit groups
_GAP = "[ \xa0-]?"
_LEFT = "(^|[^0-9+])"  # a local number does not continue a longer number
_UZ_REST = "[ \xa0-][0-9]{3}[ \xa0-][0-9]{2}[ \xa0-][0-9]{2}"
_CHAR = "[A-Za-z0-9А-Яа-яЁё._%+-]"
_EMAIL = rf"{_CHAR}+@[A-Za-z0-9А-Яа-яЁё-]+(?:\.[A-Za-z0-9А-Яа-яЁё-]+)*\.[A-Za-zА-Яа-яЁё]{{2,}}"
# Ordered: e-mails before handles, international numbers before local ones, Pakistani before
# Kyrgyz local numbers (03xx-xxxxxxx would otherwise lose its last digit).
_PATTERNS = (
    (_EMAIL, "[email]"),
    # +7 (KZ), +992 (TJ), +993 (TM), +996 (KG), +998 (UZ), +92 (PK), with any separators.
    (rf"\+(?:7|99[2368]|92){_SEP}(?:[0-9]{_SEP}){{7,9}}[0-9]", "[phone]"),
    # Kazakhstan 8 (7xx) xxx-xx-xx and Turkmenistan 8 (6x) xx-xx-xx, the ex-USSR trunk prefix.
    (
        rf"{_LEFT}8{_GAP}\(?7[0-9]{{2}}\)?{_GAP}[0-9]{{3}}{_GAP}[0-9]{{2}}{_GAP}[0-9]{{2}}",
        r"\1[phone]",
    ),
    (rf"{_LEFT}8{_GAP}\(?6[0-9]\)?{_GAP}[0-9]{{2}}{_GAP}[0-9]{{2}}{_GAP}[0-9]{{2}}", r"\1[phone]"),
    # Pakistan mobile 03xx-xxxxxxx; Kyrgyzstan 0xxx xxx xxx.
    (rf"{_LEFT}03[0-9]{{2}}{_GAP}[0-9]{{7}}", r"\1[phone]"),
    (rf"{_LEFT}0{_GAP}\(?[2-9][0-9]{{2}}\)?{_GAP}[0-9]{{3}}{_GAP}[0-9]{{3}}", r"\1[phone]"),
    # Uzbekistan (90) 123-45-67 or 90 123 45 67: separators required, so plain numbers stay.
    (rf"{_LEFT}\(?(?:9[0-9]|88|77|33|20|50|55)\)?{_UZ_REST}", r"\1[phone]"),
    (r"(^|[^A-Za-z0-9_@./])@[A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_]", r"\1[handle]"),
)
_SITES = (
    r"t\.me|telegram\.me|instagram\.com|facebook\.com|fb\.com|vk\.com|ok\.ru|tiktok\.com|x\.com|"
    r"twitter\.com"
)
# Path segments that name a post, a page of the site or a public group rather than a person.
_NOT_A_PERSON = (
    "p|reel|reels|tv|explore|stories|posts|post|watch|video|videos|share|sharer|sharer.php|"
    "hashtag|i|intent|search|home|groups|group|wall|events|pages|status|story.php|permalink.php|"
    "music|tag|discover|feed|login|help|about|policies|legal|privacy|settings|joinchat|addstickers"
)
_PROFILE_URL = re.compile(
    rf"(?:https?://)?(?:www\.|m\.|mobile\.)?(?:{_SITES})/"
    r"(?:profile\.php\?id=[0-9]+|profile/[0-9]+|@[A-Za-z0-9_.]+|s/[A-Za-z0-9_]{3,}|"
    rf"(?!(?:{_NOT_A_PERSON})(?:[/?#]|$))[A-Za-z0-9_.]{{3,}})[^\s<>\"')]*",
    re.IGNORECASE,
)
_MENTIONS_SITE = rf"(?i)(?:{_SITES})/"


def scrub_series(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Scrub a text column; returns the scrubbed column and which values changed."""
    text = values.astype(pd.StringDtype("pyarrow"))
    scrubbed = text
    sites = scrubbed.str.contains(_MENTIONS_SITE, regex=True).fillna(False).to_numpy(bool)
    if sites.any():
        scrubbed = scrubbed.copy()
        scrubbed[sites] = scrubbed[sites].str.replace(_PROFILE_URL, "[handle]", regex=True)
    for pattern, placeholder in _PATTERNS:
        scrubbed = scrubbed.str.replace(pattern, placeholder, regex=True)
    return scrubbed, (scrubbed != text).fillna(False).astype(bool)


def scrub_text(text: str) -> str:
    """Replace e-mail addresses, phone numbers and personal handles with placeholders."""
    return str(scrub_series(pd.Series([text]))[0].iloc[0])
