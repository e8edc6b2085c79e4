"""Project configuration: one file of settings shared by everyone who checks a project's translations.

Sources, lowest to highest precedence:

1. tq's built-in defaults (:data:`DEFAULTS`);
2. the project file: ``tq.toml`` in the working directory or the nearest folder above it that has one,
   or the ``[tool.tq]`` table of a ``pyproject.toml`` there (a ``tq.toml`` wins over a ``pyproject.toml``
   in the same folder; a ``pyproject.toml`` without ``[tool.tq]`` is passed over);
3. ``--config FILE``, which replaces the discovered file (only one file is ever read);
4. options given on the command line.

Keys (all optional):

- ``fail_on``: the gate severity, ``minor``, ``major``, ``critical`` or ``never``;
- ``skip``: a list of check ids not to run;
- ``src_lang``, ``tgt_lang``: language codes;
- ``lm``, ``mt``: model names as for ``--lm`` / ``--mt``;
- ``glossary``, ``suppressions``, ``baseline``: file paths, relative to the configuration file's folder;
- ``max_size``: largest input accepted, in MB;
- ``encoding``: input encoding (default: detect);
- ``[checks.<id>]`` tables: ``enabled = false`` turns a check off; other keys override the check's tunable
  thresholds (``tq config`` lists them), for the runs that read this file only.

Unknown keys and values of the wrong type are errors naming the file, the key and the problem: a typo
must not silently leave a project's gate at its defaults.
"""
from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .types import SEVERITIES, TqError

CONFIG_NAME = "tq.toml"
PYPROJECT_NAME = "pyproject.toml"
DEFAULT_ORIGIN = "default"
COMMAND_LINE = "command line"

DEFAULTS: dict[str, Any] = {
    "fail_on": "never",
    "skip": (),
    "src_lang": "it",
    "tgt_lang": "en",
    "lm": None,
    "mt": None,
    "glossary": None,
    "suppressions": None,
    "baseline": None,
    "max_size": 2.0,
    "encoding": None,
}
PATH_KEYS = frozenset({"glossary", "suppressions", "baseline"})


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise TqError("reading tq.toml needs Python 3.11+ or the tomli package (pip install tomli)") from None
    return tomllib


@dataclass
class Settings:
    """The merged settings of one run, and where each value came from (for ``tq config``)."""

    values: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    origins: dict[str, str] = field(default_factory=lambda: dict.fromkeys(DEFAULTS, DEFAULT_ORIGIN))
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # [checks.<id>] tables, ``enabled`` included
    check_origins: dict[str, str] = field(default_factory=dict)      # "checks.<id>.<key>" -> origin
    file: Path | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def set(self, key: str, value: Any, origin: str) -> None:
        self.values[key] = value
        self.origins[key] = origin

    @property
    def skip(self) -> tuple[str, ...]:
        """The checks not to run: the ``skip`` list and every check with ``enabled = false``."""
        disabled = [check for check, table in self.checks.items() if table.get("enabled") is False]
        return tuple(dict.fromkeys([*self.values["skip"], *disabled]))

    @property
    def check_params(self) -> dict[str, dict[str, Any]]:
        """Threshold overrides by check id, for ``tq.check(check_params=...)``."""
        params = {check: {k: v for k, v in table.items() if k != "enabled"} for check, table in self.checks.items()}
        return {check: table for check, table in params.items() if table}

    def rows(self) -> list[tuple[str, Any, str]]:
        """(key, value, origin) for every setting, check tables last."""
        rows = [(key, self.values[key], self.origins[key]) for key in DEFAULTS]
        for check, table in sorted(self.checks.items()):
            rows += [(f"checks.{check}.{key}", value, self.check_origins[f"checks.{check}.{key}"]) for key, value in table.items()]
        return rows


def find_config(start: Path | None = None) -> tuple[Path, dict] | None:
    """The nearest project file from ``start`` (default: the working directory) up, with its tq table."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path, _read_table(path)
        path = candidate / PYPROJECT_NAME
        if path.is_file():
            document = _read_toml(path)
            tool = document.get("tool", {})
            if isinstance(tool, dict) and "tq" in tool:
                return path, _tq_table(path, document)
    return None


def _read_toml(path: Path) -> dict:
    """The parsed file; a syntax error becomes ``file:line: ...``."""
    tomllib = _toml()
    try:
        with open(path, "rb") as handle:  # read-only
            return tomllib.load(handle)
    except OSError as exc:
        raise TqError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise TqError(f"{path}: not valid UTF-8 (TOML files are UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column \d+\)", message)
        if where:
            raise TqError(f"{path}:{where.group(1)}: invalid TOML: {message[:where.start()].strip()}") from None
        raise TqError(f"{path}: invalid TOML: {message}") from None


def _read_table(path: Path) -> dict:
    """tq's table in a file: the whole of a tq.toml, ``[tool.tq]`` of a pyproject.toml."""
    return _tq_table(path, _read_toml(path))


def _tq_table(path: Path, document: dict) -> dict:
    """tq's table in a parsed file (``path`` says which kind of file it is)."""
    if path.name != PYPROJECT_NAME:
        return document
    table = document.get("tool", {}).get("tq", {}) if isinstance(document.get("tool"), dict) else {}
    if not isinstance(table, dict):
        raise TqError(f"{path}: key 'tool.tq': must be a table")
    return table


def _where(path: Path, key: str) -> str:
    """``file:line`` of the line that sets ``key`` (its last dotted part), else just ``file``: good enough to
    point an editor at the typo, which is all a configuration error message is for."""
    name = re.escape(key.split(".")[-1])
    pattern = re.compile(rf"^\s*(?:\[\s*)?(?:[\w.\"'-]*\.)?[\"']?{name}[\"']?\s*(?:=|\])")
    try:
        lines = path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return str(path)
    for number, line in enumerate(lines, 1):
        if pattern.match(line):
            return f"{path}:{number}"
    return str(path)


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _fail_on(value: Any) -> str:
    choices = (*SEVERITIES, "never")
    if value not in choices:
        raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")
    return value


def _skip(value: Any) -> tuple[str, ...]:
    from .checks import all_checks

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of check ids")
    unknown = sorted(set(value) - set(all_checks()))
    if unknown:
        raise ValueError(f"unknown check id(s) {', '.join(unknown)} (see `tq checks`)")
    return tuple(value)


def _max_size(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"must be a positive number of MB, not {value!r}")
    return float(value)


def _encoding(value: Any) -> str:
    _string(value)
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(f"unknown encoding {value!r}") from None
    return value


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "fail_on": _fail_on, "skip": _skip, "src_lang": _string, "tgt_lang": _string, "lm": _string, "mt": _string,
    "glossary": _string, "suppressions": _string, "baseline": _string, "max_size": _max_size, "encoding": _encoding,
}


def apply_table(settings: Settings, table: dict, path: Path, origin: str) -> None:
    """Validate a configuration table and lay it over ``settings``; paths are taken relative to ``path``'s folder."""
    from .checks import all_checks, verify_params

    for key, value in table.items():
        if key == "checks":
            _apply_checks(settings, value, path, origin, all_checks(), verify_params)
            continue
        if key not in VALIDATORS:
            raise TqError(f"{_where(path, key)}: unknown key {key!r} (known: {', '.join([*VALIDATORS, 'checks'])})")
        try:
            value = VALIDATORS[key](value)
        except ValueError as exc:
            raise TqError(f"{_where(path, key)}: key {key!r}: {exc}") from None
        if key in PATH_KEYS:
            value = str(path.parent / Path(value).expanduser())
        settings.set(key, value, origin)


def _apply_checks(settings: Settings, tables: Any, path: Path, origin: str, checks: dict, verify_params) -> None:
    if not isinstance(tables, dict):
        raise TqError(f"{_where(path, 'checks')}: key 'checks': must be a table of [checks.<id>] tables")
    for check_id, table in tables.items():
        key = f"checks.{check_id}"
        if check_id not in checks:
            raise TqError(f"{_where(path, key)}: key {key!r}: unknown check id {check_id!r} (see `tq checks`)")
        if not isinstance(table, dict):
            raise TqError(f"{_where(path, key)}: key {key!r}: must be a table")
        for name, value in table.items():
            where = _where(path, name)
            if name == "enabled":
                if not isinstance(value, bool):
                    raise TqError(f"{where}: key '{key}.enabled': must be true or false, not {value!r}")
            else:
                try:
                    verify_params({check_id: {name: value}}, origin=where)
                except TqError as exc:
                    raise TqError(str(exc).replace(f"{where}: ", f"{where}: key '{key}.{name}': ", 1)) from None
            settings.checks.setdefault(check_id, {})[name] = value
            settings.check_origins[f"{key}.{name}"] = origin


def load_settings(config_file: str | Path | None = None, start: Path | None = None) -> Settings:
    """Defaults overlaid with ``config_file`` (``--config``), or else with the discovered project file."""
    settings = Settings()
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise TqError(f"{config_file}: no such configuration file" if not path.exists() else f"{config_file}: not a file")
        table, origin = _read_table(path), f"--config {path}"
    else:
        found = find_config(start)
        if found is None:
            return settings
        path, table = found
        origin = f"{path} [tool.tq]" if path.name == PYPROJECT_NAME else str(path)
    apply_table(settings, table, path, origin)
    settings.file = path
    return settings


def settings_for(ctx, config_file: str | None) -> Settings:
    """The settings of a click command: its configuration file, then the options the user actually gave
    (``ctx.get_parameter_source``), so that a click default never hides a configured value."""
    from click.core import ParameterSource

    settings = load_settings(config_file)
    for key in DEFAULTS:
        if key not in ctx.params:
            continue
        if ctx.get_parameter_source(key) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None):
            value = ctx.params[key]
            if key == "skip":
                from .checks import verify_skip

                value = tuple(value)
                verify_skip(value)
            settings.set(key, value, COMMAND_LINE)
    return settings


def describe(settings: Settings, fmt: str = "text") -> str:
    """``tq config``: every setting, its value, and where it came from."""
    import json

    rows = settings.rows()
    if fmt == "json":
        return json.dumps({"file": str(settings.file) if settings.file else None,
                           "settings": {key: {"value": list(value) if isinstance(value, tuple) else value, "origin": origin}
                                        for key, value, origin in rows}}, ensure_ascii=False, indent=2) + "\n"
    shown = [(key, "(not set)" if value is None else json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False),
              origin) for key, value, origin in rows]
    width = max(len(key) for key, _, _ in shown)
    value_width = max(len(value) for _, value, _ in shown)
    lines = [f"configuration file: {settings.file or 'none found (built-in defaults)'}"]
    lines += [f"{key:<{width}}  {value:<{value_width}}  ({origin})" for key, value, origin in shown]
    from .checks import all_checks

    tunable = [f"  {check_id}.{name}: {what} (default {getattr(cls, name)!r})"
               for check_id, cls in all_checks().items() for name, what in cls.tunable.items()]
    if tunable:
        lines += ["", "tunable check thresholds ([checks.<id>] in tq.toml):", *tunable]
    return "\n".join(lines) + "\n"
