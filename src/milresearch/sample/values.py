"""A second synthetic survey of another shape: a values-style, multi-country SPSS delivery.

Modelled on the layout of an international values survey (wave-7 style variable names such
as ``B_COUNTRY``, ``Q201``-``Q208``, ``W_WEIGHT``, negative missing codes -1 to -5) for four
countries: Kazakhstan, Kyrgyzstan, Tajikistan and Pakistan. It is a test fixture, not data:
every answer is invented, with a seeded generator, so that the file is bit-for-bit the same on
every run. Relationships are built in so that estimates have something true to find: younger
and more educated people use the Internet and social media more and TV news and newspapers
less; answers cluster within PSUs; confidence in the press and in television go together.

Regenerate with ``python -m milresearch.sample.values tests/fixtures/values_survey``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from milresearch import storage

SEED = 2024
SAV_NAME = "values.sav"
CODEBOOK_NAME = "values.codebook.yml"
PSUS_PER_COUNTRY = 60

MISSING_LABELS = {
    -1: "Don't know",
    -2: "No answer",
    -3: "Not applicable",
    -4: "Not asked",
    -5: "Missing; other",
}
FREQ_LABELS = {1: "Daily", 2: "Weekly", 3: "Monthly", 4: "Less than monthly", 5: "Never"}
CONF_LABELS = {1: "A great deal", 2: "Quite a lot", 3: "Not very much", 4: "None at all"}
ISCED_LABELS = {
    0: "Early childhood education (ISCED 0) / no education",
    1: "Primary education (ISCED 1)",
    2: "Lower secondary education (ISCED 2)",
    3: "Upper secondary education (ISCED 3)",
    4: "Post-secondary non-tertiary education (ISCED 4)",
    5: "Short-cycle tertiary education (ISCED 5)",
    6: "Bachelor or equivalent (ISCED 6)",
    7: "Master or equivalent (ISCED 7)",
    8: "Doctoral or equivalent (ISCED 8)",
}

ITEMS = ("Q201", "Q202", "Q203", "Q204", "Q205", "Q206", "Q207", "Q208")
ITEM_LABELS = {
    "Q201": "Information source: Daily newspaper",
    "Q202": "Information source: TV news",
    "Q203": "Information source: Radio news",
    "Q204": "Information source: Mobile phone",
    "Q205": "Information source: Email",
    "Q206": "Information source: Internet",
    "Q207": "Information source: Social media (Facebook, Twitter, etc.)",
    "Q208": "Information source: Talk with friends or colleagues",
    "Q66": "Confidence: The Press",
    "Q67": "Confidence: Television",
}


@dataclass(frozen=True)
class Country:
    """One country of the fixture and the shares built into it."""

    code: int
    """ISO 3166-1 numeric."""
    alpha: str
    name: str
    regions: tuple[tuple[str, float], ...]
    """ISO 3166-2 region and its share of the adult population."""
    urban: float
    age_scale: float
    """Scale (years) of the exponential-like adult age profile: smaller is younger."""
    education: tuple[float, ...]
    """Target shares of ISCED 0..8."""
    daily: tuple[float, ...]
    """Target share answering "daily" to Q201..Q208."""
    confidence: tuple[tuple[float, float, float, float], ...]
    """Target distribution of Q66 (press) and Q67 (television)."""


COUNTRIES = (
    Country(
        398,
        "KAZ",
        "Kazakhstan",
        (
            ("KZ-75", 0.12),
            ("KZ-71", 0.08),
            ("KZ-19", 0.18),
            ("KZ-55", 0.12),
            ("KZ-61", 0.30),
            ("KZ-73", 0.20),
        ),
        0.60,
        30.0,
        (0.005, 0.01, 0.04, 0.33, 0.05, 0.22, 0.26, 0.08, 0.005),
        (0.12, 0.66, 0.17, 0.82, 0.17, 0.64, 0.60, 0.40),
        ((0.14, 0.40, 0.34, 0.12), (0.17, 0.44, 0.30, 0.09)),
    ),
    Country(
        417,
        "KGZ",
        "Kyrgyzstan",
        (("KG-GB", 0.20), ("KG-GO", 0.08), ("KG-C", 0.28), ("KG-Y", 0.13), ("KG-J", 0.31)),
        0.36,
        26.0,
        (0.005, 0.02, 0.08, 0.44, 0.03, 0.12, 0.24, 0.06, 0.005),
        (0.08, 0.58, 0.14, 0.76, 0.11, 0.57, 0.54, 0.45),
        ((0.10, 0.34, 0.40, 0.16), (0.12, 0.38, 0.37, 0.13)),
    ),
    Country(
        762,
        "TJK",
        "Tajikistan",
        (("TJ-DU", 0.12), ("TJ-SU", 0.28), ("TJ-KT", 0.36), ("TJ-RA", 0.21), ("TJ-GB", 0.03)),
        0.27,
        22.0,
        (0.01, 0.04, 0.14, 0.50, 0.04, 0.08, 0.16, 0.03, 0.0),
        (0.07, 0.62, 0.11, 0.68, 0.06, 0.40, 0.37, 0.42),
        ((0.30, 0.42, 0.20, 0.08), (0.35, 0.43, 0.16, 0.06)),
    ),
    Country(
        586,
        "PAK",
        "Pakistan",
        (("PK-PB", 0.52), ("PK-SD", 0.23), ("PK-KP", 0.17), ("PK-BA", 0.06), ("PK-IS", 0.02)),
        0.37,
        21.0,
        (0.30, 0.14, 0.16, 0.17, 0.02, 0.04, 0.12, 0.04, 0.01),
        (0.16, 0.52, 0.10, 0.58, 0.07, 0.34, 0.31, 0.38),
        ((0.18, 0.36, 0.30, 0.16), (0.22, 0.38, 0.27, 0.13)),
    ),
)
"""Shares are loosely in the range of published values surveys for the region; invented."""

# Shape of the answers below "daily" (weekly, monthly, less than monthly, never), per item.
NON_DAILY = (
    (0.22, 0.17, 0.18, 0.43),  # newspaper
    (0.55, 0.15, 0.12, 0.18),  # TV news
    (0.30, 0.15, 0.17, 0.38),  # radio
    (0.30, 0.10, 0.10, 0.50),  # mobile phone
    (0.18, 0.10, 0.12, 0.60),  # e-mail
    (0.35, 0.10, 0.10, 0.45),  # Internet
    (0.33, 0.09, 0.10, 0.48),  # social media
    (0.55, 0.20, 0.12, 0.13),  # friends or colleagues
)
# Loadings of each item's latent use on: age (z), digital, news interest, sociability,
# education (z), rural (0/1).
LOADINGS = np.array(
    [
        [0.45, -0.15, 0.80, 0.00, 0.35, -0.20],  # newspaper
        [0.55, -0.30, 0.85, 0.00, -0.10, 0.05],  # TV news
        [0.35, -0.20, 0.55, 0.00, 0.00, 0.25],  # radio
        [-0.25, 0.90, 0.25, 0.30, 0.10, -0.15],  # mobile phone
        [-0.20, 0.95, 0.15, 0.00, 0.65, -0.25],  # e-mail
        [-0.35, 1.35, 0.30, 0.10, 0.25, -0.25],  # Internet
        [-0.50, 1.40, 0.15, 0.35, 0.05, -0.15],  # social media
        [-0.15, 0.15, 0.35, 1.00, 0.00, 0.00],  # friends or colleagues
    ]
)
# Missing answers per item: base rates of -1 don't know, -2 no answer, -5 other.
MISSING_RATES = {"freq": (0.013, 0.008, 0.003), "conf": (0.033, 0.010, 0.003)}


def _cuts(eta: np.ndarray, cumulative: np.ndarray) -> np.ndarray:
    """Thresholds d_1 > d_2 > ... so that the mean of sigmoid(eta - d_k) is ``cumulative[k]``."""
    cuts = []
    for target in cumulative:
        low, high = -30.0, 30.0
        for _ in range(80):  # bisection: deterministic and exact enough
            mid = (low + high) / 2
            share = np.mean(1 / (1 + np.exp(-(eta - mid))))
            low, high = (mid, high) if share > target else (low, mid)
        cuts.append((low + high) / 2)
    return np.array(cuts)


def _ordinal(eta: np.ndarray, shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Codes 1..len(shares) from latent ``eta`` (high: code 1) with the target marginal shares."""
    cuts = _cuts(eta, np.cumsum(shares)[:-1])
    latent = eta + rng.logistic(0.0, 1.0, size=eta.shape)
    return 1 + (latent[:, None] < cuts[None, :]).sum(axis=1)


def _country(c: Country, rng: np.random.Generator) -> pd.DataFrame:
    """One country's respondents, in codes, before missing answers are scattered."""
    # Stage 1: PSUs allocated to regions; small regions and capitals are over-sampled.
    pop = np.array([s for _, s in c.regions])
    alloc = np.sqrt(pop) / np.sqrt(pop).sum()
    n_psu = np.maximum(np.round(alloc * PSUS_PER_COUNTRY).astype(int), 3)
    n_psu[np.argmax(n_psu)] += PSUS_PER_COUNTRY - n_psu.sum()
    psu_region = np.repeat(np.arange(len(pop)), n_psu)
    psu_rural = rng.random(PSUS_PER_COUNTRY) > c.urban
    capital = {"KZ-75", "KZ-71", "KG-GB", "KG-GO", "TJ-DU", "PK-IS"}
    for p, r in enumerate(psu_region):
        if c.regions[r][0] in capital:
            psu_rural[p] = False
    size = 20 + rng.integers(-3, 4, size=PSUS_PER_COUNTRY)
    psu = np.repeat(np.arange(PSUS_PER_COUNTRY), size)
    n = len(psu)
    region = psu_region[psu]
    rural = psu_rural[psu].astype(float)

    sex = 1 + (rng.random(n) < 0.52).astype(int)
    ages = np.arange(18, 91)
    profile = np.exp(-(ages - 18) / c.age_scale) * (1 - 1 / (1 + np.exp(-(ages - 72) / 4)))
    age = rng.choice(ages, size=n, p=profile / profile.sum())
    age_z = (age - 42.0) / 15.0
    psu_effect = rng.normal(0.0, 0.45, size=PSUS_PER_COUNTRY)[psu]

    edu_eta = -0.35 * age_z - 0.6 * rural + 0.5 * psu_effect + rng.normal(0.0, 0.6, n)
    education = _ordinal(-edu_eta, np.array(c.education), rng) - 1  # high eta: more education
    edu_z = (education - education.mean()) / max(education.std(), 1e-9)

    digital = -0.85 * age_z + 0.35 * edu_z - 0.3 * rural + rng.normal(0.0, 0.75, n)
    interest = 0.25 * age_z + 0.2 * edu_z + (sex == 1) * 0.15 + rng.normal(0.0, 1.0, n)
    social = rng.normal(0.0, 1.0, n) - 0.1 * age_z
    traits = np.column_stack([age_z, digital, interest, social, edu_z, rural])

    out = {
        "B_COUNTRY": np.full(n, c.code),
        "B_COUNTRY_ALPHA": np.full(n, c.alpha, dtype=object),
        "D_INTERVIEW": c.code * 100_000 + 1 + rng.permutation(n),
        "N_REGION_ISO": np.array([c.regions[r][0] for r in region], dtype=object),
        "psu_id": np.array([f"{c.code}-{p + 1:03d}" for p in psu], dtype=object),
        "H_URBRURAL": 1 + rural.astype(int),
    }
    for j, item in enumerate(ITEMS):
        item_psu = rng.normal(0.0, 0.35, size=PSUS_PER_COUNTRY)[psu]
        eta = traits @ LOADINGS[j] + item_psu + 0.2 * psu_effect
        shares = np.array([c.daily[j], *(1 - c.daily[j]) * np.array(NON_DAILY[j])])
        out[item] = _ordinal(eta, shares, rng)
    # Confidence in the press and in TV share one institutional-trust trait.
    trust = 0.2 * age_z - 0.15 * edu_z + 0.25 * psu_effect + rng.normal(0.0, 1.0, n)
    tv_users = (out["Q202"] <= 2).astype(float)
    for item, dist, tv in (("Q66", c.confidence[0], 0.15), ("Q67", c.confidence[1], 0.35)):
        eta = 2.0 * trust + tv * tv_users + rng.normal(0.0, 0.45, n)
        out[item] = _ordinal(eta, np.array(dist), rng)
    out["Q260"] = sex
    out["Q262"] = age
    out["Q275"] = education

    # Interview length in minutes: lognormal around 45; about 3% rushed interviews.
    minutes = np.exp(np.log(45.0) + 0.1 * age_z + rng.normal(0.0, 0.22, n))
    rushed = rng.random(n) < 0.03
    minutes = np.where(rushed, rng.uniform(6.0, 16.0, n), minutes)
    out["duration"] = np.round(minutes).astype(int)

    # Design weight (inverse selection probability by region) times a non-response and
    # post-stratification adjustment (urban, young men respond less), scaled to mean 1.
    design = (pop / n_psu)[region]
    adjust = np.exp(0.25 * (1 - rural) + 0.15 * ((sex == 1) & (age < 35)) + rng.normal(0, 0.12, n))
    weight = design * adjust
    out["W_WEIGHT"] = np.round(weight / weight.mean(), 6)

    frame = pd.DataFrame(out)
    frame.attrs["dk_propensity"] = np.exp(0.35 * age_z - 0.3 * edu_z + rng.normal(0.0, 0.6, n))
    return frame


def _scatter_missing(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Negative missing codes, more likely for some people (older, less educated) than others."""
    frame = frame.copy()
    n = len(frame)
    propensity = frame.attrs.pop("dk_propensity")
    propensity = propensity / propensity.mean()
    for item in (*ITEMS, "Q66", "Q67"):
        dk, na, other = MISSING_RATES["conf" if item in ("Q66", "Q67") else "freq"]
        u = rng.random(n)
        values = frame[item].to_numpy().copy()
        values[u < dk * propensity] = -1
        values[(u >= dk * propensity) & (u < dk * propensity + na)] = -2
        values[rng.random(n) < other] = -5
        frame[item] = values
    # E-mail and Internet are "not applicable" to a few people without a phone or a connection;
    # some interviewers skipped the social-media item ("not asked").
    no_phone = (frame["Q204"] == 5).to_numpy() & (rng.random(n) < 0.12)
    for item in ("Q205", "Q206"):
        frame.loc[no_phone, item] = -3
    skipped = np.isin(frame["psu_id"].to_numpy(), frame["psu_id"].unique()[::37])
    frame.loc[skipped & (rng.random(n) < 0.5), "Q207"] = -4
    age_missing = rng.random(n) < 0.004
    frame.loc[age_missing, "Q262"] = -2
    edu_missing = rng.random(n) < 0.006
    frame.loc[edu_missing, "Q275"] = np.where(rng.random(int(edu_missing.sum())) < 0.5, -1, -2)
    return frame


COLUMN_ORDER = (
    "B_COUNTRY",
    "B_COUNTRY_ALPHA",
    "D_INTERVIEW",
    "N_REGION_ISO",
    "psu_id",
    "H_URBRURAL",
    "W_WEIGHT",
    "Q66",
    "Q67",
    *ITEMS,
    "Q260",
    "Q262",
    "Q275",
    "duration",
)
COLUMN_LABELS = {
    "B_COUNTRY": "ISO 3166-1 numeric country code",
    "B_COUNTRY_ALPHA": "ISO 3166-1 alpha-3 country code",
    "D_INTERVIEW": "Interview ID",
    "N_REGION_ISO": "Region ISO 3166-2",
    "psu_id": "Primary sampling unit",
    "H_URBRURAL": "Urban-Rural",
    "W_WEIGHT": "Weight",
    **ITEM_LABELS,
    "Q260": "Sex",
    "Q262": "Age",
    "Q275": "Highest educational level: Respondent [ISCED 2011]",
    "duration": "Interview duration (minutes)",
}


def simulate(seed: int = SEED) -> pd.DataFrame:
    """The whole fixture table, as written to the SPSS file."""
    rng = np.random.default_rng(seed)
    parts = [_scatter_missing(_country(c, rng), rng) for c in COUNTRIES]
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sort_values(["B_COUNTRY", "D_INTERVIEW"], kind="stable", ignore_index=True)
    return frame[list(COLUMN_ORDER)]


def _value_labels() -> dict[str, dict[float, str]]:
    freq = {float(k): v for k, v in {**FREQ_LABELS, **MISSING_LABELS}.items()}
    conf = {float(k): v for k, v in {**CONF_LABELS, **MISSING_LABELS}.items()}
    labels: dict[str, dict[float, str]] = {item: freq for item in ITEMS}
    labels |= {"Q66": conf, "Q67": conf}
    labels["B_COUNTRY"] = {float(c.code): c.name for c in COUNTRIES}
    labels["H_URBRURAL"] = {1.0: "Urban", 2.0: "Rural"}
    labels["Q260"] = {1.0: "Male", 2.0: "Female"}
    labels["Q262"] = {float(k): v for k, v in MISSING_LABELS.items()}
    labels["Q275"] = {float(k): v for k, v in {**ISCED_LABELS, **MISSING_LABELS}.items()}
    return labels


def write_sav(frame: pd.DataFrame, path: Path) -> None:
    """Write the table as SPSS with English variable and value labels, pinned to fixed bytes."""
    import pyreadstat

    with storage.atomic_path(path) as tmp:
        pyreadstat.write_sav(
            frame,
            str(tmp),
            file_label="SYNTHETIC values-style survey fixture",
            row_compress=True,
            column_labels={c: COLUMN_LABELS[c] for c in frame.columns},
            variable_value_labels=_value_labels(),
            variable_measure={c: "scale" for c in ("W_WEIGHT", "Q262", "duration")},
        )
        data = bytearray(tmp.read_bytes())
        # The SAV header stores the creation date and time at bytes 92-108: pin them.
        data[92:109] = b"01 Mar 2400:00:00"
        tmp.write_bytes(bytes(data))


def write_values_survey(folder: str | Path, seed: int = SEED) -> list[Path]:
    """Write ``values.sav`` and its codebook into ``folder``; return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sav = folder / SAV_NAME
    write_sav(simulate(seed), sav)
    book = folder / CODEBOOK_NAME
    storage.write_text(book, CODEBOOK)
    return [sav, book]


def main(argv: list[str] | None = None) -> int:
    """``python -m milresearch.sample.values FOLDER``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m milresearch.sample.values FOLDER", file=sys.stderr)
        return 2
    for path in write_values_survey(args[0]):
        print(f"{storage.sha256_file(path)}  {path}")
    return 0


# The codebook, as a new user wrote it by hand from data/raw/README.md (kept verbatim beside
# this module so that regenerating the fixture also restores it).
CODEBOOK = Path(__file__).with_name("values_codebook.yml").read_text(encoding="utf-8")

if __name__ == "__main__":
    raise SystemExit(main())
