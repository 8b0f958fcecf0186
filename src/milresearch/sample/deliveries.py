"""The sample survey's deliveries: which vendor delivers which country and wave, and how.

Each :class:`Delivery` declares a file's format, encoding, labels and size, the items the vendor
did not ask or asked in other words, and the wave's real changes, so the generator in
:mod:`milresearch.sample.survey` knows what to plant.
"""

from __future__ import annotations

from dataclasses import dataclass

SEED = 2025
"""The generator's seed; also the latest wave's year, whose respondent ids carry no year."""


@dataclass(frozen=True)
class Delivery:
    """How one country's vendor delivers its file."""

    country: str
    file: str
    format: str
    n: int
    labels: str | None = None
    """Language of text value labels, or None for numeric codes."""
    encoding: str | None = None
    not_asked: tuple[str, ...] = ()
    notes: tuple[tuple[str, dict[str, str]], ...] = ()
    """Items this vendor asked with other wording, declared as codebook notes."""
    lonely_psu: bool = False
    year: int = 2025
    """The wave: fieldwork starts on 1 March of this year."""
    mode: str = "CAPI"
    shifts: tuple[tuple[str, float], ...] = ()
    """Latent shifts of items in this wave against the country's base (a real change)."""
    wordings: tuple[tuple[str, str], ...] = ()
    """Wording ids of items whose wording differs between this country's waves."""

    @property
    def id_prefix(self) -> str:
        """Respondent ids: ``KAZ00001`` in 2025, ``KAZ2300001`` in an earlier wave."""
        return self.country + ("" if self.year == SEED else str(self.year)[2:])

    def shift(self, item: str) -> float:
        """This wave's latent shift of ``item``."""
        return dict(self.shifts).get(item, 0.0)


_WORDING_2023 = (("concern_fake", "Q14-2023: worried about telling true from false online"),)
_WORDING_2025 = (("concern_fake", "Q14-2025: worried about telling true from false in all media"),)
# Earlier waves come after the 2025 deliveries, so each 2025 file keeps its seed and its bytes.
# Their shifts are the 2023 latent against 2025: Telegram use lower then, TV higher, and so on.
DELIVERIES = (
    Delivery("KAZ", "kaz_mil_2025.sav", "spss", 1400, wordings=_WORDING_2025),
    Delivery("KGZ", "kgz_mil_2025.sav", "spss", 1200),
    Delivery(
        "TJK", "tjk_mil_2025.csv", "csv", 1100, labels="ru", encoding="cp1251", lonely_psu=True
    ),
    Delivery(
        "TKM",
        "tkm_mil_2025.sav",
        "spss",
        1000,
        not_asked=("trust_western_media", "trust_russian_media", "fc_use"),
        notes=(
            (
                "concern_fake",
                {
                    "en": "Asked about false information on the internet only, not in all media.",
                    "ru": "Спрашивали о ложной информации только в интернете, а не во всех СМИ.",
                },
            ),
        ),
    ),
    Delivery("UZB", "uzb_mil_2025.xlsx", "excel", 1500, labels="uz"),
    Delivery("PAK", "pak_mil_2025.csv", "csv", 1300, encoding="utf-8"),
    Delivery(
        "KAZ",
        "kaz_mil_2023.sav",
        "spss",
        1200,
        year=2023,
        wordings=_WORDING_2023,
        shifts=(("use_telegram", -0.7), ("use_tv", 0.5), ("trust_state_media", 0.6)),
    ),
    Delivery(
        "KGZ",
        "kgz_mil_2023.sav",
        "spss",
        1000,
        year=2023,
        mode="CATI",
        shifts=(("use_tv", 0.4), ("use_facebook", 0.3)),
    ),
    Delivery(
        "UZB",
        "uzb_mil_2023.xlsx",
        "excel",
        1200,
        labels="uz",
        year=2023,
        not_asked=("use_tiktok",),
        shifts=(("use_telegram", -0.5), ("trust_bloggers", -0.4), ("fc_aware", -0.5)),
    ),
    Delivery(
        "PAK",
        "pak_mil_2023.csv",
        "csv",
        1100,
        encoding="utf-8",
        year=2023,
        shifts=(("use_tiktok", -0.6), ("use_facebook", 0.4), ("concern_fake", -0.5)),
    ),
)
