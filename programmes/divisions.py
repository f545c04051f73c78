"""The official list of Vietnam's provinces and their mergers of 1/7/2025, as the `vietnamadminunits` package ships it.

The package (pinned in pyproject.toml; see docs/decisions.md for why it and not `vietnam-provinces`) carries,
in files installed with it and read without any network:

- the 63 provinces before the rearrangement, with their official two-digit codes (its `admin_units_legacy`
  table, read through `vietnamadminunits.database.query`);
- the 34 provinces from 1/7/2025 (its `admin_units` table);
- which old provinces each new one was formed from (`DICT_PROVINCE` of its 2025 converter).

Resolution 202/2025/QH15 formed 23 new provinces out of 52 old ones ("thành tỉnh mới có tên gọi là tỉnh
Hưng Yên") and left 11 as they were. So a province formed from others is a new row, even where it keeps an old
one's name and code (Hưng Yên, 33), and the provinces it was formed from end on 30/6/2025 with it as their
successor; a province left as it was (Hà Nội, Cao Bằng, …) is one row valid throughout.
"""

import datetime
from dataclasses import dataclass

# The provincial governments of the 34 provinces took office on 1/7/2025 (Resolution 202/2025/QH15);
# the package does not carry the day.
MERGER_DAY = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = MERGER_DAY - datetime.timedelta(days=1)


@dataclass(frozen=True)
class OfficialProvince:
    """One row of `programmes.Province` as the law gives it; `successor_code` names a current province."""

    code: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_code: str | None = None


@dataclass(frozen=True)
class _Division:
    code: str
    name: str  # the short name: "Thái Bình", "Hồ Chí Minh"
    key: str  # the package's key of the full name: "tinhthaibinh"


def official_provinces() -> list[OfficialProvince]:
    """Every province, current ones first (they are the successors the others point to), each group by code."""
    before = _divisions("admin_units_legacy")
    after = _divisions("admin_units")
    formed_from = _formed_from()
    current, ended = [], []
    for new in after.values():
        old = [before[key] for key in formed_from[new.key]]
        if [(division.code, division.name) for division in old] == [(new.code, new.name)]:
            current.append(OfficialProvince(new.code, new.name, valid_from=None, valid_to=None))
            continue
        current.append(OfficialProvince(new.code, new.name, valid_from=MERGER_DAY, valid_to=None))
        ended += [
            OfficialProvince(
                division.code,
                division.name,
                valid_from=None,
                valid_to=LAST_DAY_BEFORE_MERGER,
                successor_code=new.code,
            )
            for division in old
        ]
    return sorted(current, key=_by_code) + sorted(ended, key=_by_code)


def _by_code(province: OfficialProvince) -> str:
    return province.code


def package_version() -> str:
    from importlib.metadata import version

    return version("vietnamadminunits")


# The package is imported when it is read, not with this module: importing it loads its address parser
# (shapely, geopy), which nothing but `load_provinces` needs.


def _divisions(table: str) -> dict[str, _Division]:
    """The provinces of one of the package's two tables, by the package's key."""
    from vietnamadminunits.database import query

    # The table names are the package's own two, never user input.
    rows = query(f"SELECT DISTINCT provinceCode, provinceShort, provinceKey FROM [{table}]")
    return {
        row["provinceKey"]: _Division(row["provinceCode"], row["provinceShort"], row["provinceKey"]) for row in rows
    }


def _formed_from() -> dict[str, list[str]]:
    """New province's key → the keys of the old provinces it was formed from."""
    from vietnamadminunits.converter.converter_2025 import DICT_PROVINCE

    return DICT_PROVINCE
