"""The synthetic sample survey: six vendor deliveries with the defects real deliveries have.

Seeded and bit-for-bit reproducible. The data are invented; relationships are built in so that
the analyses have something true to find (younger people use Telegram, Instagram and TikTok
more; MIL training and education go with better headline discernment; PSUs cluster answers).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from milresearch.analysis.questionnaire import CHANNELS, MIL_ITEMS, SOURCES
from milresearch.ingest.countries import load_countries
from milresearch.sample import read_tables
from milresearch.sample.deliveries import Delivery

TABLES_FILE = Path(__file__).with_name("survey_tables.yml")
"""The generator's tables as data: headlines, latent shifts, spellings, comments, missing codes."""
_TABLES = read_tables(TABLES_FILE)
HEADLINES = tuple(
    ({lang: text for lang, text in h.items() if lang != "veracity"}, h["veracity"])
    for h in _TABLES["headlines"]
)
"""({language: text}, veracity) of each headline."""
_CHANNEL_BASE = _TABLES["channel_base"]
_YOUNG_CHANNELS = _TABLES["young_channels"]
_STATE_TRUST = _TABLES["state_trust"]
_FC_AWARE = _TABLES["fc_aware"]
_LANGS = _TABLES["interview_langs"]
_COUNTRY_SPELLINGS = _TABLES["country_spellings"]
_COMMENTS = _TABLES["comments"]
_COMMENT_LANGS = _TABLES["comment_langs"]
_PII = _TABLES["pii"]
_HOSTILE = _TABLES["hostile"]
_TEXT_MISSING = _TABLES["text_missing"]
_CODE_MISSING = _TABLES["code_missing"]


def _battery(prefix: str, items, question: str, scale: str, battery: str) -> list[dict]:
    """One ordinal item per name of ``items``: ``prefix_name``, asked as ``question_1``, ..."""
    return [
        dict(
            name=f"{prefix}_{item}",
            source=f"{question}_{i}",
            type="ordinal",
            scale=scale,
            battery=battery,
        )
        for i, item in enumerate(items, 1)
    ]


def variable_specs() -> list[dict]:
    """The declared questionnaire: canonical name, source column, type, scale and labels."""
    specs: list[dict] = [
        dict(name="resp_id", source="ID", type="id", label={"en": "Respondent ID"}),
        dict(name="country", source="COUNTRY", type="country", label={"en": "Country"}),
        dict(name="region", source="REGION", type="region", label={"en": "Region"}),
        dict(name="stratum", source="STRATUM", type="string", label={"en": "Stratum"}),
        dict(name="psu", source="PSU", type="string", label={"en": "Primary sampling unit"}),
        dict(name="weight", source="WEIGHT", type="weight", label={"en": "Design weight"}),
        dict(name="sample_type", source="SAMPLE", type="categorical", scale="sample_type"),
        dict(name="stakeholder_group", source="Q0", type="categorical", scale="stakeholder"),
        dict(name="interview_lang", source="LANG", type="categorical", scale="interview_lang"),
        dict(name="interviewer_id", source="INT_ID", type="string"),
        dict(name="interviewer_name", source="INT_NAME", type="string", drop=True),
        dict(name="respondent_name", source="FIO", type="string", drop=True),
        dict(name="fieldwork_date", source="DATE", type="date"),
        dict(name="duration_sec", source="DURATION", type="integer", range=[0, 36000], missing={}),
        dict(name="settlement", source="Q1", type="categorical", scale="settlement"),
        dict(name="sex", source="Q2", type="categorical", scale="sex"),
        # 98 and 99 are valid ages, so age declares no vendor missing codes.
        dict(name="age", source="Q3", type="integer", range=[16, 100], missing={}),
        dict(name="education", source="Q4", type="ordinal", scale="education"),
        dict(
            name="internet_use",
            source="Q10",
            type="ordinal",
            scale="freq5",
            label={"en": "Internet use", "ru": "Пользование интернетом"},
        ),
    ]
    specs += _battery("use", CHANNELS, "Q11", "freq5", "media_use")
    specs += _battery("trust", SOURCES, "Q12", "trust4", "trust")
    specs += [
        dict(name="trust_news_general", source="Q13", type="ordinal", scale="agree5"),
        dict(name="concern_fake", source="Q14", type="ordinal", scale="agree5"),
        dict(name="fake_encounter", source="Q15", type="ordinal", scale="freq5"),
    ]
    specs += _battery("mil", MIL_ITEMS, "Q16", "agree5", "mil")
    for i, (text, veracity) in enumerate(HEADLINES, 1):
        specs.append(
            dict(
                name=f"hl_{i}",
                source=f"Q17_{i}",
                type="ordinal",
                scale="acc4",
                battery="headlines",
                veracity=veracity,
                label=dict(text),
            )
        )
    specs += [
        dict(name="fc_aware", source="Q18", type="categorical", scale="yesno"),
        dict(name="fc_use", source="Q19", type="ordinal", scale="freq5"),
        dict(name="mil_training", source="Q20", type="categorical", scale="training3"),
        dict(name="comment", source="Q21", type="text", pii=True),
    ]
    return specs


def _ordinal(latent: np.ndarray, cuts: list[float], rng: np.random.Generator) -> np.ndarray:
    noisy = latent + rng.logistic(0, 0.6, size=latent.shape)
    return np.digitize(noisy, cuts) + 1


def _simulate(d: Delivery, rng: np.random.Generator) -> pd.DataFrame:
    """Simulate one country's respondents in canonical codes (before vendor formatting)."""
    country = load_countries()[d.country]
    regions = list(country.regions)
    strata = [(r, s) for r in regions for s in (1, 2)]
    n_stake = 240
    n = d.n
    stratum_share = rng.dirichlet(np.full(len(strata), 4.0))
    # Sample allocation is deliberately not proportional, which is what makes weights unequal.
    alloc = np.maximum(np.round(n * (0.5 * stratum_share + 0.5 / len(strata))).astype(int), 30)
    alloc[-1] += n - alloc.sum()
    rows = []
    for k, ((region, settle), m) in enumerate(zip(strata, alloc, strict=True)):
        n_psu = 1 if (d.lonely_psu and k == len(strata) - 1) else 6
        psu = rng.integers(0, n_psu, size=m)
        base_w = stratum_share[k] / (m / n)
        for j in range(m):
            rows.append(
                (region, settle, f"{d.country}-{k:02d}", f"{d.country}-{k:02d}-{psu[j]}", base_w)
            )
    df = pd.DataFrame(rows, columns=["region", "settlement", "stratum", "psu", "w0"])
    df["sample_type"] = 1
    df["stakeholder_group"] = 0
    stake = df.sample(n=n_stake, random_state=int(rng.integers(1 << 31)), replace=True).copy()
    stake["sample_type"] = 2
    stake["stakeholder_group"] = rng.integers(1, 7, size=n_stake)
    stake["w0"] = np.nan
    stake["stratum"] = f"{d.country}-STK"
    stake["psu"] = [f"{d.country}-STK-{j}" for j in range(n_stake)]
    df = pd.concat([df, stake], ignore_index=True)
    total = len(df)

    psu_ids = df["psu"].astype("category").cat.codes.to_numpy()
    psu_effect = rng.normal(0, 0.35, size=psu_ids.max() + 1)[psu_ids]
    stakeholder = (df["sample_type"] == 2).to_numpy()
    # Adult ages 16+, mean about 41: a younger population than Europe's, as in the region.
    age = np.clip(np.round(rng.gamma(2.5, 10.0, size=total) + 16), 16, 88).astype(int)
    age[stakeholder] = np.clip(np.round(rng.normal(38, 10, stakeholder.sum())), 20, 70)
    young = (45 - age) / 15.0
    urban = (df["settlement"] == 1).to_numpy()
    edu_latent = 0.6 * urban - 0.15 * np.abs(age - 35) / 10 + 1.2 * stakeholder + psu_effect
    education = _ordinal(edu_latent, [-1.8, -1.0, 0.0, 0.8, 1.4], rng)
    edu_z = (education - 3.5) / 1.5
    lang_codes = list(_LANGS[d.country])
    lang = rng.choice(lang_codes, size=total, p=list(_LANGS[d.country].values()))
    train_latent = -1.8 + 0.5 * edu_z + 0.3 * young + 1.8 * stakeholder + rng.normal(0, 1, total)
    training = np.where(train_latent > 0.6, 1, np.where(train_latent > 0.0, 2, 3))
    trained = (training < 3).astype(float)

    out = pd.DataFrame(
        {
            "country": d.country,
            "region": df["region"],
            "stratum": df["stratum"],
            "psu": df["psu"],
            "sample_type": df["sample_type"],
            "stakeholder_group": df["stakeholder_group"],
            "interview_lang": lang,
            "settlement": df["settlement"],
            "sex": rng.integers(1, 3, size=total),
            "age": age,
            "education": education,
        }
    )
    out["internet_use"] = 6 - _ordinal(
        1.2 + 0.8 * young + 0.5 * urban + psu_effect, [-1.5, -0.5, 0.3, 1.2], rng
    )
    for ch in CHANNELS:
        latent = _CHANNEL_BASE[d.country][ch] + _YOUNG_CHANNELS.get(ch, 0) * young + psu_effect
        latent = latent + d.shift(f"use_{ch}")
        out[f"use_{ch}"] = 6 - _ordinal(latent, [-1.5, -0.5, 0.3, 1.2], rng)
    trust_general = rng.normal(0, 0.8, total) + psu_effect
    for src in SOURCES:
        shift = (
            _STATE_TRUST[d.country] - 0.3 * young
            if src in ("state_media", "official_gov_sources")
            else 0.0
        )
        shift += 0.4 * young if src in ("bloggers", "telegram_channels") else 0.0
        shift += d.shift(f"trust_{src}")
        out[f"trust_{src}"] = 5 - _ordinal(trust_general + shift, [-1.2, 0.0, 1.2], rng)
    out["trust_news_general"] = _ordinal(trust_general, [-1.5, -0.5, 0.5, 1.5], rng)
    out["concern_fake"] = _ordinal(
        0.8 + d.shift("concern_fake") + 0.3 * edu_z, [-1.5, -0.5, 0.5, 1.5], rng
    )
    out["fake_encounter"] = 6 - _ordinal(0.3 + 0.5 * young, [-1.5, -0.5, 0.3, 1.2], rng)
    skill = 0.45 * edu_z + 0.6 * trained + 0.2 * young + psu_effect + rng.normal(0, 0.7, total)
    for item in MIL_ITEMS:
        out[f"mil_{item}"] = _ordinal(
            0.3 + skill + rng.normal(0, 0.5, total), [-1.6, -0.6, 0.4, 1.4], rng
        )
    discern = 0.35 * edu_z + 0.45 * trained + 0.3 * psu_effect + rng.normal(0, 0.4, total)
    for i, (_, veracity) in enumerate(HEADLINES, 1):
        latent = (0.3 + discern) if veracity else (-0.2 - discern)
        out[f"hl_{i}"] = _ordinal(latent, [-1.0, 0.0, 1.0], rng)
    aware = (
        _FC_AWARE[d.country]
        + d.shift("fc_aware")
        + 0.5 * edu_z
        + 0.8 * trained
        + rng.normal(0, 1, total)
        > 0
    )
    out["fc_aware"] = np.where(aware, 1, 2)
    out["fc_use"] = np.where(
        aware, 6 - _ordinal(-0.5 + 0.5 * trained + 0.0 * young, [-1.5, -0.5, 0.3, 1.2], rng), -97
    )
    out["mil_training"] = training

    weights = df["w0"].to_numpy() * rng.lognormal(0, 0.25, size=total)
    national = ~stakeholder
    weights[national] /= weights[national].mean()
    out["weight"] = np.where(national, np.round(weights, 6), 1.0)
    out["interviewer_id"] = [f"{d.country[:2]}{k:03d}" for k in psu_ids % 40]
    out["duration_sec"] = np.round(rng.lognormal(np.log(1500), 0.3, total)).astype(int)
    start = pd.Timestamp(f"{d.year}-03-01")
    out["fieldwork_date"] = (
        start + pd.to_timedelta(rng.integers(0, 45, total), unit="D")
    ).strftime("%Y-%m-%d")
    return out


def _inject_defects(out: pd.DataFrame, d: Delivery, rng: np.random.Generator) -> pd.DataFrame:
    """Add the defects real deliveries have; every one is countable in the cleaning log."""
    n = len(out)
    items = [s["name"] for s in variable_specs() if s.get("battery") and s["name"] in out]
    items.append("concern_fake")
    item_codes = out[items].to_numpy()
    hard = rng.random(item_codes.shape) < 0.03
    hard |= (rng.random(item_codes.shape) < 0.06) & np.array(
        [c.startswith("trust_") for c in items]
    )
    refused = rng.random(item_codes.shape) < 0.008
    item_codes = np.where(hard, -98, np.where(refused, -99, item_codes))
    out[items] = item_codes
    speeders = rng.choice(n, size=int(0.03 * n), replace=False)
    out.loc[speeders, "duration_sec"] = rng.integers(150, 420, size=len(speeders))
    liners = rng.choice(n, size=int(0.02 * n), replace=False)
    for col in items:
        if col.startswith("trust_"):
            out.loc[liners, col] = 2
        if col.startswith("mil_") and col != "mil_training":
            out.loc[liners, col] = 4
    bad_age = rng.choice(n, size=3, replace=False)
    out.loc[bad_age, "age"] = [7, 150, 203]
    legit_old = rng.choice(n, size=2, replace=False)
    out.loc[legit_old, "age"] = [98, 99]

    comments = np.full(n, "", dtype=object)
    has = rng.random(n) < 0.3
    langs = _COMMENT_LANGS[d.country]
    for i in np.flatnonzero(has):
        lang = langs[int(rng.integers(len(langs)))]
        bank = _COMMENTS[lang]
        comments[i] = bank[int(rng.integers(len(bank)))]
    for j, i in enumerate(rng.choice(np.flatnonzero(has), size=8, replace=False)):
        comments[i] = f"{comments[i]} {_PII[j % len(_PII)].format(n=j + 11)}"
    for j, i in enumerate(rng.choice(np.flatnonzero(~has), size=len(_HOSTILE), replace=False)):
        comments[i] = _HOSTILE[j]
    out["comment"] = comments
    names = np.array(["Айгерим Касымова", "Бакыт Осмонов", "Dilnoza Karimova", "Ali Raza"])
    out["respondent_name"] = names[rng.integers(0, len(names), n)]
    out["interviewer_name"] = names[rng.integers(0, len(names), n)]

    regions = load_countries()[d.country].regions
    out["region"] = [
        regions[r][int(k)] for r, k in zip(out["region"], rng.integers(0, 3, n), strict=True)
    ]
    spellings = _COUNTRY_SPELLINGS[d.country]
    out["country"] = [spellings[k] for k in rng.integers(0, len(spellings), n)]
    out.insert(0, "resp_id", [f"{d.id_prefix}{i:05d}" for i in range(1, n + 1)])

    # Near-duplicate interviews: copies of a real respondent with a few answers changed.
    src = rng.choice(n, size=5, replace=False)
    near = out.iloc[src].copy()
    near["resp_id"] = [f"{d.id_prefix}{n + i:05d}" for i in range(1, 6)]
    for k in range(len(near)):
        col = items[int(rng.integers(len(items)))]
        near.iloc[k, near.columns.get_loc(col)] = 1
    # Exact duplicates: the same interview delivered twice.
    dups = out.iloc[rng.choice(n, size=4, replace=False)]
    out = pd.concat([out, near, dups], ignore_index=True)
    for col in d.not_asked:
        out = out.drop(columns=col)
    return out
