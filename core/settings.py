"""The one settings object: defaults file, then a settings file, then POVMON_* environment, then options."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path

from core.settings_checks import checked_band_defaults, date_setting, unknown_keys, whole_number
from core.settings_ranges import environment_refusals, out_of_range

DEFAULTS_FILE = Path(__file__).with_name("default_settings.toml")
PATH_ENV = {  # environment variable -> settings field
    "POVMON_INBOX": "inbox",
    "POVMON_REFERENCE": "reference",
    "POVMON_DB": "db",
    "POVMON_OUT": "out",
    "POVMON_RAW_STORE": "raw_store",
    "POVMON_PREFECT_HOME": "prefect_home",
}
SCALE_OUT_ENV = {"POVMON_DASK_ADDRESS": "dask_address", "POVMON_DASK_LOCAL_WORKERS": "dask_local_workers"}

POLICY_BY_YEAR_FIELDS = ["near_line_factor", "drop_threshold", "bunching_window", "bunching_min_near",
                         "bunching_p_value", "identical_min_households"]


@dataclass(frozen=True)
class CaseSettings:
    """The case ledger's settings ([cases] of default_settings.toml, cases.md)."""

    open_on: tuple[str, ...] = ("BELOW_LINE", "SUDDEN_DROP", "UNSTABLE_LIFTED", "GUARANTEE_GAP")
    verify_days: int = 15
    fix_days: int = 7
    close_after_months: int = 3
    worsen_factor: float = 0.10
    removal_months: int = 6
    campaign_name: str = ""
    campaign_end: date | None = None


def case_settings(table: dict) -> CaseSettings:
    """The [cases] table as CaseSettings (a missing key keeps its default)."""
    campaign = table.get("campaign", {})
    end = str(campaign.get("end", "") or "").strip()
    base = CaseSettings()
    return CaseSettings(
        open_on=tuple(table.get("open_on", base.open_on)),
        verify_days=whole_number(table.get("verify_days", base.verify_days)),
        fix_days=whole_number(table.get("fix_days", base.fix_days)),
        close_after_months=whole_number(table.get("close_after_months", base.close_after_months)),
        worsen_factor=float(table.get("worsen_factor", base.worsen_factor)),
        removal_months=whole_number(table.get("removal_months", base.removal_months)),
        campaign_name=str(campaign.get("name", "") or ""), campaign_end=date_setting(end, "cases.campaign.end") if end else None)


@dataclass(frozen=True)
class Settings:
    """Paths, policy thresholds and spot-check sizes for one run."""

    inbox: Path
    reference: Path
    db: Path
    out: Path
    raw_store: Path
    prefect_home: Path
    settle_seconds: float
    lines: dict[int, float]
    near_line_factor: float
    drop_threshold: float
    bunching_window: float
    bunching_min_near: int
    bunching_p_value: float
    identical_min_households: int
    outlier_mad_k: float
    outlier_min_households: int
    spot_check: dict[str, float] = field(default_factory=dict)  # minimums (whole numbers) and weights
    report_row_limits: dict[str, int] = field(default_factory=lambda: {"flagged": 6000, "list": 2500})
    returns_due_day: int = 5       # a month's return is due by this day of the next month (reporting rates)
    policy_by_year: dict[int, dict[str, float]] = field(default_factory=dict)
    share_min: float = 0.05
    share_min_households: int = 30
    band_coverage: float = 0.80
    band_default_low: tuple[float, ...] = (-0.3,) * 11  # [projection]: scaled errors by month 1–11 while a county
    band_default_high: tuple[float, ...] = (0.3,) * 11  # has no backtest (README "Band")
    band_default_spread_low: tuple[float, ...] = ()  # the same × the county's year-over-year spread, 11 by month
    band_default_spread_high: tuple[float, ...] = ()  # (empty: the constant ones above)
    band_spread_min_households: int = 30  # households a county's spread is measured on, at least
    band_years: int = 1
    band_history_prior: tuple[float, ...] = (1.5,) * 11  # by month 1–11 (one number in a file: every month)
    band_min_new_households: int = 30
    band_remaining_power: float = 1.0  # the band ∝ (the share of the projection still to come) ^ this
    band_remaining_min: float = 0.05   # that share's floor
    default_shares: dict[str, list[float]] = field(default_factory=dict)
    household_prior_years: float = 0.5
    village_prior_years: float = 20.0
    last_year_weight: float = 0.30
    festival_lead_days: int = 10
    festival_lump_min: float = 0.25
    spring_festival: dict[int, date] = field(default_factory=dict)  # income year -> Spring Festival date
    dask_address: str = ""         # a Dask scheduler the per-county tasks run on; empty = in the flow process
    dask_local_workers: int = 0    # without an address: a local Dask cluster of this many worker processes
    departments: dict = field(default_factory=dict)  # [departments]: the thresholds of the department findings
    cases: CaseSettings = field(default_factory=CaseSettings)  # the case ledger ([cases])
    read_limits: dict[str, float] = field(default_factory=dict)  # [ingest] bounds on one file (size, cells, time)
    batch_bytes: int = 64 << 20    # [ingest] a run reads, checks and loads its files in batches of about this many bytes
    memory_limit: str = "2.5GB"    # [store] DuckDB's memory limit in a run (empty: DuckDB's default, 80 % of memory)
    raw_store_given: bool = False  # raw_store named (file, environment, option), not the default beside the db

    @property
    def is_scaled_out(self) -> bool:
        """Whether the per-county tasks of a run go to a Dask cluster."""
        return bool(self.dask_address) or self.dask_local_workers > 0

    def line_for(self, income_year: int) -> float:
        """The line for an income year: its own, else the nearest earlier year's, else the earliest."""
        earlier = [y for y in self.lines if y <= income_year]
        return float(self.lines[max(earlier)] if earlier else self.lines[min(self.lines)])

    def policy_for(self, income_year: int) -> dict[str, float]:
        """The line and every threshold in force for an income year (its own entry, else the nearest earlier one)."""
        policy = {name: getattr(self, name) for name in POLICY_BY_YEAR_FIELDS}
        for year in sorted(y for y in self.policy_by_year if y <= income_year):
            policy.update(self.policy_by_year[year])
        return {"income_year": income_year, "line": self.line_for(income_year), **policy}

    def with_paths(self, **paths: str | Path | None) -> "Settings":
        """A copy with the given (non-empty) paths replaced, as command-line options do."""
        given = {k: Path(v) for k, v in paths.items() if v}
        updated = replace(self, **given, raw_store_given=self.raw_store_given or "raw_store" in given)
        if "db" in given and not updated.raw_store_given:
            updated = replace(updated, raw_store=Path(given["db"]).parent / "raw")
        return updated


FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _merge(base: dict, extra: dict) -> dict:
    """Deep-merge two TOML tables, extra winning."""
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _cast(type_name: str, value, name: str):
    """Cast a TOML value to the field's declared type ('int', 'float', or a list of floats as a tuple); a value that
    is not one is refused naming its setting."""
    try:
        if isinstance(value, list):
            return tuple(float(x) for x in value)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(type(value).__name__)
        return whole_number(value) if type_name == "int" else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"setting {name} = {value!r} is not {'a whole number' if type_name == 'int' else 'a number'}"
                         f"{' (or a list of numbers)' if isinstance(value, list) else ''}") from None


def chosen_settings_file(settings_file: str | Path | None = None, environ: dict | None = None) -> Path | None:
    """The settings file in force, as an absolute path: the one given, else $POVMON_SETTINGS, else ./povmon.toml
    when present; None when there is none (the defaults alone)."""
    env = os.environ if environ is None else environ
    chosen = settings_file or env.get("POVMON_SETTINGS") or ("povmon.toml" if Path("povmon.toml").exists() else None)
    return Path(chosen).resolve() if chosen else None


SERVE_DIR_ENV = "POVMON_SERVE_DIR"  # the folder `povmon serve` was started in, handed to its flow runs
PATH_FIELDS = ("inbox", "reference", "db", "out", "raw_store", "prefect_home")


def deployed_settings(settings_file: str | Path | None = None, environ: dict | None = None) -> Settings:
    """A deployment's settings (`povmon serve`): its file loaded as `povmon run` in serve's folder would, relative
    paths from that folder (a flow run works in the project's folder, where its flows are found)."""
    env = os.environ if environ is None else environ
    settings = load_settings(settings_file, env)
    folder = env.get(SERVE_DIR_ENV)
    if not folder:
        return settings
    return replace(settings, **{name: Path(folder) / getattr(settings, name) for name in PATH_FIELDS})


def load_settings(settings_file: str | Path | None = None, environ: dict | None = None) -> Settings:
    """Load settings: built-in defaults < settings file (option, POVMON_SETTINGS or ./povmon.toml) < environment."""
    env = os.environ if environ is None else environ
    table = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    chosen = chosen_settings_file(settings_file, env)
    if chosen:
        given = tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
        if unknown := unknown_keys(given, table, POLICY_BY_YEAR_FIELDS):
            raise ValueError(f"{chosen}: settings refused: {', '.join(unknown)} (core/default_settings.toml names "
                             "every setting and its kind)")
        table = _merge(table, given)
        if wrong := out_of_range(table):
            raise ValueError(f"{chosen}: settings refused: {', '.join(wrong)}")
    if wrong := environment_refusals(env):
        raise ValueError(f"settings refused (environment): {', '.join(wrong)}")
    paths = dict(table["paths"])
    for var, key in PATH_ENV.items():
        if env.get(var):
            paths[key] = env[var]
    policy = {k: v for k, v in table["policy"].items() if k not in ("line", "by_year")}
    projection = {k: v for k, v in table.get("projection", {}).items() if k not in ("default_share", "spring_festival")}
    by_year = {int(year): {k: _cast(FIELD_TYPES[k], v, f"policy.by_year.{year}.{k}") for k, v in entry.items()}
               for year, entry in table["policy"].get("by_year", {}).items()}
    scale_out = dict(table.get("scale_out", {}))
    for var, key in SCALE_OUT_ENV.items():
        if env.get(var) is not None:
            scale_out[key] = env[var]
    db = Path(paths["db"])
    return checked_band_defaults(Settings(
        inbox=Path(paths["inbox"]),
        reference=Path(paths["reference"]),
        db=db,
        out=Path(paths["out"]),
        raw_store=Path(paths["raw_store"]) if paths.get("raw_store") else db.parent / "raw",
        raw_store_given=bool(paths.get("raw_store")),
        prefect_home=Path(paths["prefect_home"]),
        settle_seconds=float(env.get("POVMON_SETTLE_SECONDS") or table["ingest"]["settle_seconds"]),
        lines={int(year): float(v) for year, v in table["policy"]["line"].items()},
        spot_check={k: whole_number(v) if k.startswith(("min_", "management_area_min_")) else float(v)
                    for k, v in table["spot_check"].items()},
        report_row_limits={k.removesuffix("_row_limit"): whole_number(v) for k, v in table.get("report", {}).items()
                           if k.endswith("_row_limit")},
        returns_due_day=whole_number(table.get("report", {}).get("returns_due_day", 5)),
        policy_by_year=by_year,
        default_shares={k: [float(x) for x in v] for k, v in table.get("projection", {}).get("default_share", {}).items()},
        spring_festival={int(year): date_setting(v, f"projection.spring_festival.{year}")
                         for year, v in table.get("projection", {}).get("spring_festival", {}).items()},
        dask_address=str(scale_out.get("dask_address", "")).strip(),
        dask_local_workers=whole_number(scale_out.get("dask_local_workers", 0) or 0),
        departments=department_settings(table.get("departments", {})),
        cases=case_settings(table.get("cases", {})),
        read_limits={k: float(v) if k.endswith("_seconds") else whole_number(v) for k, v in table["ingest"].items()
                     if k not in ("settle_seconds", "batch_bytes")},
        batch_bytes=whole_number(table["ingest"].get("batch_bytes", 64 << 20)),
        memory_limit=str(table.get("store", {}).get("memory_limit", "2.5GB")),
        **{f.name: _cast(f.type, policy[f.name], f"policy.{f.name}") for f in fields(Settings) if f.name in policy},
        **{f.name: _cast(f.type, projection[f.name], f"projection.{f.name}")
           for f in fields(Settings) if f.name in projection},
    ))


def department_settings(table: dict) -> dict:
    """[departments] with numbers as floats and lists as tuples (the keys of tasks.departments.findings.Rules)."""
    return {k: tuple(str(x) for x in v) if isinstance(v, list) else float(v) for k, v in table.items()}
