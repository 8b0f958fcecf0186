"""Item names of the harmonised MIL questionnaire that reports and the sample generator share.

A codebook maps a vendor's columns to these names (``use_<channel>``, ``trust_<source>``,
``mil_<item>``); a report section shows whichever of them a dataset has.
"""

CHANNELS = (
    "tv", "radio", "print", "news_sites", "telegram", "whatsapp", "instagram",
    "tiktok", "youtube", "facebook", "vk", "odnoklassniki",
)  # fmt: skip
SOURCES = (
    "state_media", "private_national_media", "russian_media", "western_media",
    "bloggers", "telegram_channels", "friends_family", "official_gov_sources",
)  # fmt: skip
MIL_ITEMS = ("search", "source", "crosscheck", "detect", "create", "share", "privacy")
