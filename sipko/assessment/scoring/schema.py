"""The instrument file: YAML/dict in, a valid `Instrument` out, and back again.

`parse_instrument` is the single gate between outside data and the engine. It never stops at
the first problem: a methodologist fixing a file wants the whole list at once, each problem
with the path of the offending value ("dimensions[1].indicators[0].weight") and a reason in
Indonesian. A file with any problem is refused as a whole, never half-loaded.

Numbers: YAML floats are read as `Decimal` straight from their text (see `_InstrumentLoader`),
and floats handed in by JSON callers go through `str()`, which is exact because numbers are
limited to 15 significant digits, the digits a float carries faithfully. That limit is also
what lets `instrument_to_dict` write non-integral numbers as JSON floats and round-trip exactly.

The schema itself is documented, key by key, in docs/instrument.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .instrument import (
    BANDED,
    INDICATOR_TYPES,
    LEVEL,
    PLAUSIBILITY_CHECKS,
    RATIO,
    SOURCES,
    SYSTEM,
    SYSTEM_COMPUTATIONS,
    SYSTEM_LEVEL_VALUES,
    YESNO,
    Dimension,
    Indicator,
    Instrument,
    Level,
    Predicate,
)

DEFAULT_DECIMALS = 2
MAX_DECIMALS = 6
MAX_SIGNIFICANT_DIGITS = 15
MAX_CODE_LENGTH = 30
# Codes become CSV column headers, URL parts and database keys: keep them plain.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Control characters but tab and line breaks. YAML lets a quoted string spell them ("\0"), and
# PostgreSQL refuses a NUL in any text or JSON it stores.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# `simulate` writes these next to the dimension columns, so a dimension cannot be named so.
RESERVED_DIMENSION_CODES = frozenset({"ormas", "index", "predicate"})

# Limits on hostile files. The default instrument is about 15 KB; a file is refused beyond
# MAX_FILE_BYTES before YAML reads it. A value quoted back in a problem is cut to
# MAX_QUOTED_CHARS, and at most MAX_PROBLEMS problems are listed, so that an error page stays
# small whatever the file holds.
MAX_FILE_BYTES = 256 * 1024
MAX_QUOTED_CHARS = 60
MAX_PROBLEMS = 100
# Deeper than any instrument (instrument > dimensions > indicator > levels > level is 7).
MAX_DEPTH = 20
# No number in an instrument needs more characters; longer ones cost time to build (YAML 1.1
# reads "1:2:3" as base 60) and cannot be printed back (Python's 4,300-digit limit).
MAX_NUMBER_CHARS = 40

_INDICATOR_REQUIRED = ("code", "name", "type", "weight", "source")
_INDICATOR_OPTIONAL = (
    "system",
    "evidence",
    "allow_na",
    "description",
    "unit",
    "advice",
    "plausibility",
)
# Keys only some indicator types have: (required, optional) by type.
_TYPE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    LEVEL: (("levels",), ()),
    YESNO: ((), ()),
    RATIO: ((), ("cap",)),
    BANDED: (("thresholds",), ("labels",)),
}


@dataclass(frozen=True)
class Problem:
    """One reason an instrument is refused: where (a path into the file) and why."""

    path: str
    message: str

    def __post_init__(self) -> None:
        # The last guard against echoing a hostile file: values are quoted through `_quoted`,
        # so only a message built without it could get here this long.
        object.__setattr__(self, "path", _cut(self.path, 4 * MAX_QUOTED_CHARS))
        object.__setattr__(self, "message", _cut(self.message, 10 * MAX_QUOTED_CHARS))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InstrumentError(ValueError):
    """An instrument file or dict broke the schema; `problems` lists every problem found.

    Every problem up to MAX_PROBLEMS; past that, one last line says how many more there are
    (a file with thousands of wrong keys needs fixing at the source, not a longer list).
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            self.problems.append(
                Problem(
                    "",
                    _("… dan %(count)d masalah lain yang tidak ditampilkan.")
                    % {"count": len(problems) - MAX_PROBLEMS},
                )
            )
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: object) -> str:
    """A value from the file as a problem quotes it: at most MAX_QUOTED_CHARS characters."""
    return _cut(str(value), MAX_QUOTED_CHARS)


# --- reading --------------------------------------------------------------------------------


def parse_instrument(data: object) -> Instrument:
    """A valid `Instrument` from parsed YAML/JSON (dicts, lists, str, int, Decimal, float).

    Raises InstrumentError listing every problem, with paths like "predicates[2].min".
    An optional key whose value is empty (YAML `null`) counts as absent.
    """
    problems: list[Problem] = []
    instrument = _read_instrument(data, problems)
    if problems:
        raise InstrumentError(problems)
    assert instrument is not None
    return instrument


def load_instrument_yaml(text: str | bytes, *, max_bytes: int = MAX_FILE_BYTES) -> Instrument:
    """Parse and validate an instrument file. Bytes are decoded as UTF-8/UTF-16 (BOM allowed).

    YAML syntax errors become an InstrumentError whose single problem names the line. So do
    the things a hand-written instrument never needs and a hostile one uses to grow a few
    kilobytes into gigabytes or hours: anchors and aliases (`&a`, `*a`, `<<: *a`), nesting
    deeper than MAX_DEPTH, numbers longer than MAX_NUMBER_CHARS. A file over `max_bytes` is
    refused before YAML reads it.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    if size > max_bytes:
        raise InstrumentError(
            [
                Problem(
                    "",
                    _("Berkas instrumen terlalu besar (%(size)s KB); batasnya %(limit)s KB.")
                    % {"size": -(-size // 1024), "limit": max_bytes // 1024},
                )
            ]
        )
    try:
        _check_events(text)
        data = yaml.load(text, Loader=_InstrumentLoader)
    except _DuplicateKeyError as exc:
        raise InstrumentError(
            [
                Problem(
                    "",
                    _("Kunci '%(key)s' ditulis dua kali (baris %(first)d dan %(line)d).")
                    % {"key": _quoted(exc.key), "first": exc.first_line, "line": exc.line},
                )
            ]
        ) from exc
    except _RefusedYaml as exc:
        raise InstrumentError([Problem("", str(exc))]) from exc
    except yaml.YAMLError as exc:
        raise InstrumentError([Problem("", _yaml_error_message(exc))]) from exc
    return parse_instrument(data)


def _check_events(text: str | bytes) -> None:
    """Refuse anchors, aliases and deep nesting from the parser's events, before any value is
    built. Raises _RefusedYaml naming the line, or the parser's own YAMLError."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RefusedYaml(
                _(
                    "Baris %(line)d memakai anchor atau alias YAML (&nama, *nama, <<); berkas "
                    "instrumen tidak boleh memakainya. Tulis setiap nilai apa adanya."
                )
                % {"line": line}
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _RefusedYaml(
                    _("Baris %(line)d: susunan bertingkat terlalu dalam (lebih dari %(max)d).")
                    % {"line": line, "max": MAX_DEPTH}
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _yaml_error_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    reason = _cut(str(getattr(exc, "problem", None) or exc), 4 * MAX_QUOTED_CHARS)
    if mark is None:
        return _("Berkas bukan YAML yang sah: %(reason)s.") % {"reason": reason}
    return _("YAML tidak sah di baris %(line)d, kolom %(column)d: %(reason)s.") % {
        "line": mark.line + 1,
        "column": mark.column + 1,
        "reason": reason,
    }


class _RefusedYaml(yaml.YAMLError):
    """Valid YAML that an instrument file may not use; the message is for the user."""


class _DuplicateKeyError(yaml.YAMLError):
    def __init__(self, key: object, first_line: int, line: int) -> None:
        self.key, self.first_line, self.line = key, first_line, line
        super().__init__(f"duplicate key {key!r}")


# libyaml's parser when PyYAML was built with it (several times faster); same rules either way.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _InstrumentLoader(_SafeLoader):
    """SafeLoader with two corrections that matter for a standard people edit by hand.

    - Floats are built as `Decimal` from their text: `cap: 0.3` is exactly 3/10, and
      `version: 2025.10` is still recognisable as "2025.10" in the error message.
    - A key written twice in one mapping is an error; plain YAML keeps the last silently,
      which would quietly drop a weight or a rubric level.
    """

    def construct_decimal(self, node: yaml.ScalarNode) -> Decimal:
        self._check_number_length(node)
        text = str(self.construct_scalar(node)).replace("_", "").lower()
        specials = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
        if text in specials:
            return Decimal(specials[text])
        try:
            return Decimal(text)
        except InvalidOperation:
            # Only YAML 1.1's sexagesimal floats ("1:30.5") get here; nobody writes a weight
            # that way, but they must not crash the loader.
            return Decimal(str(self.construct_yaml_float(node)))

    def construct_integer(self, node: yaml.ScalarNode) -> int:
        self._check_number_length(node)
        return int(self.construct_yaml_int(node))

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            # SafeLoader's own constructors raise these for values they cannot build, such
            # as the date 2025-02-30; say where instead of failing as a crash.
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("nilai '%(value)s' tidak dapat dibaca")
                % {"value": _quoted(node.value if isinstance(node, yaml.ScalarNode) else "")},
                node.start_mark,
            ) from exc

    @staticmethod
    def _check_number_length(node: yaml.ScalarNode) -> None:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("angka terlalu panjang (lebih dari %(max)d karakter)")
                % {"max": MAX_NUMBER_CHARS},
                node.start_mark,
            )

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first_line = seen.get(key)
            except TypeError:  # an unhashable key; SafeLoader reports it below
                continue
            line = key_node.start_mark.line + 1
            if first_line is not None:
                raise _DuplicateKeyError(key, first_line, line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_InstrumentLoader.add_constructor("tag:yaml.org,2002:float", _InstrumentLoader.construct_decimal)
_InstrumentLoader.add_constructor("tag:yaml.org,2002:int", _InstrumentLoader.construct_integer)


class _Mapping:
    """One mapping of the file being read.

    Checks the shape on construction (a mapping, no unknown keys, no missing required keys)
    and then hands out typed values. Each accessor records a problem and returns None for a
    wrong value, so reading carries on and the caller sees every problem at once. Optional
    keys given as YAML null count as absent; a null required key is missing. `misplaced`
    maps keys of other indicator types to this indicator's type, for a clearer message than
    "unknown key".
    """

    def __init__(
        self,
        data: object,
        path: str,
        problems: list[Problem],
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
        misplaced: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.problems = problems
        self.is_mapping = isinstance(data, dict)
        self.data: dict[Any, Any] = {}
        if not isinstance(data, dict):
            self.problem(path, _("Harus berupa pemetaan (kunci: nilai)."))
            return
        self.data = {key: value for key, value in data.items() if value is not None}
        allowed = (*required, *optional)
        for key in self.data:
            if not isinstance(key, str):
                self.problem(self.at(_quoted(key)), _("Kunci harus berupa teks."))
            elif misplaced and key in misplaced:
                self.problem(
                    self.at(key),
                    _("Kunci '%(key)s' tidak berlaku untuk tipe %(type)s.")
                    % {"key": _quoted(key), "type": misplaced[key]},
                )
            elif key not in allowed:
                self.problem(self.at(key), _unknown_key_message(key, allowed))
        for key in required:
            if key not in self.data:
                self.problem(self.at(key), _("Wajib diisi."))

    def at(self, key: str) -> str:
        key = _quoted(key)
        return f"{self.path}.{key}" if self.path else key

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str, default: str | None = None) -> str | None:
        """A non-blank string, or `default` when the key is absent."""
        if key not in self.data:
            return default
        value = self.data[key]
        if isinstance(value, bool | int | float | Decimal):
            self.problem(
                self.at(key),
                _("Harus berupa teks; YAML membacanya sebagai %(value)s. Beri tanda kutip.")
                % {"value": str(value).lower() if isinstance(value, bool) else _quoted(value)},
            )
            return None
        if not isinstance(value, str):
            self.problem(self.at(key), _("Harus berupa teks."))
            return None
        if not value.strip():
            self.problem(self.at(key), _("Tidak boleh kosong."))
            return None
        if CONTROL_CHARACTER.search(value):
            self.problem(self.at(key), _control_character_message())
            return None
        return value

    def code(self, key: str = "code") -> str | None:
        value = self.text(key)
        if value is not None and (
            len(value) > MAX_CODE_LENGTH or not CODE_PATTERN.fullmatch(value)
        ):
            self.problem(
                self.at(key),
                _(
                    "Kode '%(code)s' tidak sah: paling banyak %(max)d karakter berupa huruf, "
                    "angka, titik, garis bawah atau tanda hubung, diawali huruf atau angka."
                )
                % {"code": _quoted(value), "max": MAX_CODE_LENGTH},
            )
            return None
        return value

    def number(self, key: str, default: Decimal | None = None) -> Decimal | None:
        if key not in self.data:
            return default
        return _decimal(self.data[key], self.at(key), self.problems)

    def positive(self, key: str, default: Decimal | None = None) -> Decimal | None:
        value = self.number(key, default)
        if value is not None and value <= 0:
            self.problem(self.at(key), _("Harus lebih dari 0."))
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool | None:
        if key not in self.data:
            return default
        if not isinstance(self.data[key], bool):
            self.problem(self.at(key), _("Harus true atau false."))
            return None
        return self.data[key]

    def sequence(self, key: str, *, minimum: int = 0) -> list[Any] | None:
        """A list with at least `minimum` items; None when absent or wrong."""
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, list):
            self.problem(self.at(key), _("Harus berupa daftar."))
            return None
        if len(value) < minimum:
            self.problem(
                self.at(key),
                _("Harus berisi sedikitnya %(minimum)d butir.") % {"minimum": minimum},
            )
            return None
        return value


def _control_character_message() -> str:
    return _("Tidak boleh berisi karakter kendali (mis. \\0 atau \\x07); hanya tab dan baris baru.")


def _unknown_key_message(key: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
    if close:
        return _("Kunci tidak dikenal; maksud Anda '%(suggestion)s'?") % {"suggestion": close[0]}
    return _("Kunci tidak dikenal; yang boleh di sini: %(allowed)s.") % {
        "allowed": ", ".join(allowed)
    }


def _decimal(value: object, path: str, problems: list[Problem]) -> Decimal | None:
    """A finite number with at most 15 significant digits, as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        problems.append(Problem(path, _("Harus berupa angka (tanpa tanda kutip).")))
        return None
    # str() of a float is its shortest round-tripping text: 0.3 -> "0.3", not 0.2999…
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        problems.append(Problem(path, _("Harus berupa angka biasa, bukan tak hingga atau NaN.")))
        return None
    significant = "".join(map(str, number.as_tuple().digits)).strip("0")
    if len(significant) > MAX_SIGNIFICANT_DIGITS:
        problems.append(
            Problem(
                path,
                _("Terlalu teliti: paling banyak %(digits)d angka penting.")
                % {"digits": MAX_SIGNIFICANT_DIGITS},
            )
        )
        return None
    return number


def _items(
    values: list[Any] | None, path: str, read: Callable[[object, str], Any]
) -> list[Any] | None:
    """`read(item, item_path)` for each item, None in place of an unusable one; None if the
    list itself is missing or wrong."""
    if values is None:
        return None
    return [read(value, f"{path}[{position}]") for position, value in enumerate(values)]


def _usable(items: list[Any]) -> list[tuple[int, Any]]:
    """(position, item) of the items that could be read, for checks across items (order,
    duplicates), which still run when a neighbour is broken so that every problem is found."""
    return [(position, item) for position, item in enumerate(items) if item is not None]


# Each `_read_*` below returns the object it reads, or None after recording at least one
# problem: an object is built only when reading it, items included, added no problem
# (`len(problems) > start`).


def _read_instrument(data: object, problems: list[Problem]) -> Instrument | None:
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "",
                _(
                    "Berkas instrumen harus berupa pemetaan dengan kunci code, version, name, "
                    "predicates dan dimensions."
                ),
            )
        )
        return None
    start = len(problems)
    fields = _Mapping(
        data,
        "",
        problems,
        required=("code", "version", "name", "predicates", "dimensions"),
        optional=("decimals", "description", "min_coverage"),
    )
    code = fields.code()
    version = _read_version(fields)
    name = fields.text("name")
    description = fields.text("description", "")
    decimals = _read_decimals(fields)
    min_coverage = _read_min_coverage(fields)
    predicates = _read_predicates(fields)
    raw_dimensions = fields.sequence("dimensions", minimum=1)
    dimensions = _items(
        raw_dimensions,
        "dimensions",
        lambda value, path: _read_dimension(value, path, problems),
    )
    _check_unique_codes(raw_dimensions or [], problems)
    if len(problems) > start:
        return None
    return Instrument(
        code=code,
        version=version,
        name=name,
        decimals=decimals,
        predicates=tuple(predicates),
        dimensions=tuple(dimensions),
        description=description,
        min_coverage=min_coverage,
    )


def _read_version(fields: _Mapping) -> str | None:
    value = fields.data.get("version")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        # YAML reads `version: 2025.1` as a number, and would read `2025.10` as 2025.1.
        fields.problem(
            "version",
            _('Versi harus berupa teks: beri tanda kutip, mis. version: "%(version)s".')
            % {"version": _quoted(value)},
        )
        return None
    version = fields.text("version")
    if version is not None and len(version) > MAX_CODE_LENGTH:
        fields.problem("version", _("Paling banyak %(max)d karakter.") % {"max": MAX_CODE_LENGTH})
        return None
    if version is not None and not CODE_PATTERN.fullmatch(version):
        # The version is part of the instrument's address (URL, file name): no spaces or slashes.
        fields.problem(
            "version",
            _("Versi hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung."),
        )
        return None
    return version


def _read_decimals(fields: _Mapping) -> int | None:
    value = fields.data.get("decimals", DEFAULT_DECIMALS)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DECIMALS:
        fields.problem(
            "decimals",
            _("Harus bilangan bulat dari 0 sampai %(max)d.") % {"max": MAX_DECIMALS},
        )
        return None
    return value


def _read_min_coverage(fields: _Mapping) -> Decimal | None:
    """A share of the total weight, 0 < c ≤ 1; absent means no minimum."""
    value = fields.positive("min_coverage", None)
    if value is not None and value > 1:
        fields.problem(
            fields.at("min_coverage"),
            _("Harus berupa bagian dari bobot total: lebih dari 0 dan paling besar 1 (mis. 0.6)."),
        )
        return None
    return value


def _read_predicates(fields: _Mapping) -> list[Predicate] | None:
    problems = fields.problems
    start = len(problems)
    predicates = _items(
        fields.sequence("predicates", minimum=1),
        "predicates",
        lambda value, path: _read_predicate(value, path, problems),
    )
    if predicates is None:
        return None
    first_position: dict[str, int] = {}
    previous: Predicate | None = None
    for position, predicate in _usable(predicates):
        path = f"predicates[{position}]"
        first = first_position.setdefault(predicate.code.casefold(), position)
        if first != position:
            problems.append(
                Problem(
                    f"{path}.code",
                    _("Kode '%(code)s' sudah dipakai oleh predicates[%(first)d].")
                    % {"code": predicate.code, "first": first},
                )
            )
        if previous and _band_floor(predicate) >= _band_floor(previous):
            problems.append(
                Problem(
                    path,
                    _(
                        "Predikat harus urut dari yang tertinggi: batas '%(bound)s' tidak lebih "
                        "rendah dari batas predikat sebelumnya '%(previous)s'."
                    )
                    % {"bound": _band_text(predicate), "previous": _band_text(previous)},
                )
            )
        previous = predicate
    if predicates[-1] is not None and not predicates[-1].matches(Decimal(0)):
        # Every index, even 0, must get a band; otherwise an ormas would have no predicate.
        problems.append(
            Problem(
                f"predicates[{len(predicates) - 1}]",
                _("Predikat terakhir harus mencakup indeks 0, mis. min: 0."),
            )
        )
    return None if len(problems) > start else predicates


def _band_floor(predicate: Predicate) -> tuple[Decimal, int]:
    """Sort key of a band's lower bound: "above: 85" starts higher than "min: 85"."""
    if predicate.min is not None:
        return (predicate.min, 0)
    assert predicate.above is not None
    return (predicate.above, 1)


def _band_text(predicate: Predicate) -> str:
    if predicate.min is not None:
        return f"min: {predicate.min}"
    return f"above: {predicate.above}"


def _read_predicate(data: object, path: str, problems: list[Problem]) -> Predicate | None:
    start = len(problems)
    fields = _Mapping(data, path, problems, required=("code", "label"), optional=("min", "above"))
    code = fields.code()
    label = fields.text("label")
    minimum = fields.number("min")
    above = fields.number("above")
    if fields.is_mapping and fields.has("min") == fields.has("above"):
        fields.problem(
            path,
            _(
                "Isi tepat satu batas: min (indeks >= min) atau above (indeks > above), "
                "tidak keduanya dan tidak kosong."
            ),
        )
    elif (minimum is not None and minimum > 100) or (above is not None and above >= 100):
        fields.problem(
            fields.at("min" if minimum is not None else "above"),
            _("Indeks paling tinggi 100, jadi predikat ini tidak pernah tercapai."),
        )
    if len(problems) > start:
        return None
    return Predicate(code=code, label=label, min=minimum, above=above)


def _read_dimension(data: object, path: str, problems: list[Problem]) -> Dimension | None:
    start = len(problems)
    fields = _Mapping(
        data,
        path,
        problems,
        required=("code", "name", "weight", "indicators"),
        optional=("description",),
    )
    code = fields.code()
    if code is not None and code.casefold() in RESERVED_DIMENSION_CODES:
        fields.problem(
            fields.at("code"),
            _("Kode '%(code)s' dipakai untuk kolom hasil simulasi; pilih kode lain.")
            % {"code": code},
        )
    name = fields.text("name")
    weight = fields.positive("weight")
    description = fields.text("description", "")
    indicators = _items(
        fields.sequence("indicators", minimum=1),
        fields.at("indicators"),
        lambda value, item_path: _read_indicator(value, item_path, problems),
    )
    if len(problems) > start:
        return None
    return Dimension(
        code=code,
        name=name,
        weight=weight,
        indicators=tuple(indicators),
        description=description,
    )


def _read_indicator(data: object, path: str, problems: list[Problem]) -> Indicator | None:
    start = len(problems)
    declared = data.get("type") if isinstance(data, dict) else None
    kind = declared if isinstance(declared, str) and declared in _TYPE_KEYS else None
    if kind is None:
        # The type is missing or wrong (reported below), so any type's keys may be meant.
        own_required: tuple[str, ...] = ()
        own_optional = tuple(key for keys in _TYPE_KEYS.values() for key in (*keys[0], *keys[1]))
    else:
        own_required, own_optional = _TYPE_KEYS[kind]
    misplaced = {
        key: kind
        for other in _TYPE_KEYS.values()
        for key in (*other[0], *other[1])
        if key not in (*own_required, *own_optional)
    }
    fields = _Mapping(
        data,
        path,
        problems,
        required=(*_INDICATOR_REQUIRED, *own_required),
        optional=(*_INDICATOR_OPTIONAL, *own_optional),
        misplaced=misplaced,
    )
    code = fields.code()
    name = fields.text("name")
    weight = fields.positive("weight")
    if fields.has("type") and kind is None:
        fields.problem(
            fields.at("type"),
            _("Tipe '%(type)s' tidak dikenal; pilih salah satu: %(types)s.")
            % {"type": _quoted(declared), "types": ", ".join(INDICATOR_TYPES)},
        )
    source = fields.text("source")
    if source is not None and source not in SOURCES:
        fields.problem(
            fields.at("source"),
            _("Sumber '%(source)s' tidak dikenal; pilih salah satu: %(sources)s.")
            % {"source": _quoted(source), "sources": ", ".join(SOURCES)},
        )
    evidence = fields.boolean("evidence", False)
    allow_na = fields.boolean("allow_na", False)
    description = fields.text("description", "")
    unit = fields.text("unit", "")
    advice = fields.text("advice", "")
    levels = _read_levels(fields) if kind == LEVEL else ()
    thresholds = _read_thresholds(fields) if kind == BANDED else ()
    labels = _read_labels(fields) if kind == BANDED else ()
    cap = fields.positive("cap", Decimal(1)) if kind == RATIO else Decimal(1)
    system = _read_system(fields, source, kind, levels, thresholds)
    plausibility = _read_plausibility(fields, source, kind)
    if len(problems) > start:
        return None
    return Indicator(
        code=code,
        name=name,
        type=kind,
        weight=weight,
        source=source,
        system=system,
        levels=levels,
        thresholds=thresholds,
        labels=labels,
        cap=cap,
        evidence=evidence,
        allow_na=allow_na,
        description=description,
        unit=unit,
        advice=advice,
        plausibility=plausibility,
    )


def _read_plausibility(fields: _Mapping, source: str | None, kind: str | None) -> str:
    """The check shown to the assessor beside a declared number (`plausibility: participants`)."""
    if not fields.has("plausibility"):
        return ""
    name = fields.text("plausibility")
    if name is None:
        return ""
    if name not in PLAUSIBILITY_CHECKS:
        fields.problem(
            fields.at("plausibility"),
            _("Pemeriksaan kewajaran '%(name)s' tidak dikenal; pilih salah satu: %(names)s.")
            % {"name": _quoted(name), "names": ", ".join(PLAUSIBILITY_CHECKS)},
        )
        return ""
    if kind != BANDED or source == SYSTEM:
        fields.problem(
            fields.at("plausibility"),
            _("Pemeriksaan kewajaran hanya untuk angka yang diisi (type: banded, bukan system)."),
        )
        return ""
    return name


def _read_levels(fields: _Mapping) -> tuple[Level, ...] | None:
    path = fields.at("levels")
    start = len(fields.problems)
    levels = _items(
        fields.sequence("levels", minimum=2),
        path,
        lambda value, item_path: _read_level(value, item_path, fields.problems),
    )
    if levels is None:
        return None
    first_position: dict[Decimal, int] = {}
    for position, level in _usable(levels):
        first = first_position.setdefault(level.value, position)
        if first != position:
            fields.problem(
                f"{path}[{position}].value",
                _("Nilai level %(value)s sudah dipakai oleh levels[%(first)d].")
                % {"value": level.value, "first": first},
            )
    return None if len(fields.problems) > start else tuple(levels)


def _read_level(data: object, path: str, problems: list[Problem]) -> Level | None:
    start = len(problems)
    fields = _Mapping(data, path, problems, required=("value", "label"), optional=("description",))
    value = fields.number("value")
    label = fields.text("label")
    description = fields.text("description", "")
    if len(problems) > start:
        return None
    return Level(value=value, label=label, description=description)


def _read_thresholds(fields: _Mapping) -> tuple[Decimal, ...] | None:
    path = fields.at("thresholds")
    start = len(fields.problems)
    thresholds = _items(
        fields.sequence("thresholds", minimum=2),
        path,
        lambda value, item_path: _decimal(value, item_path, fields.problems),
    )
    if thresholds is None:
        return None
    previous: Decimal | None = None
    for position, threshold in _usable(thresholds):
        if threshold < 0:
            # Answers to a banded indicator are counts and amounts, never negative.
            fields.problem(f"{path}[{position}]", _("Ambang tidak boleh negatif."))
        elif previous is not None and threshold <= previous:
            fields.problem(
                f"{path}[{position}]",
                _("Ambang harus naik: %(value)s tidak lebih besar dari %(previous)s.")
                % {"value": threshold, "previous": previous},
            )
        previous = threshold
    return None if len(fields.problems) > start else tuple(thresholds)


def _read_labels(fields: _Mapping) -> tuple[str, ...] | None:
    if not fields.has("labels"):
        return ()
    path = fields.at("labels")
    start = len(fields.problems)
    labels = _items(
        fields.sequence("labels"),
        path,
        lambda value, item_path: _read_label(value, item_path, fields.problems),
    )
    if labels is None:
        return None
    thresholds = fields.data.get("thresholds")
    if isinstance(thresholds, list) and len(labels) != len(thresholds):
        fields.problem(
            path,
            _("Jumlah label (%(labels)d) harus sama dengan jumlah ambang (%(thresholds)d).")
            % {"labels": len(labels), "thresholds": len(thresholds)},
        )
    return None if len(fields.problems) > start else tuple(labels)


def _read_label(value: object, path: str, problems: list[Problem]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(path, _("Harus berupa teks yang tidak kosong.")))
        return None
    if CONTROL_CHARACTER.search(value):
        problems.append(Problem(path, _control_character_message()))
        return None
    return value


def _read_system(
    fields: _Mapping,
    source: str | None,
    kind: str | None,
    levels: tuple[Level, ...] | None,
    thresholds: tuple[Decimal, ...] | None = (),
) -> str | None:
    """The computation's name for a `system` indicator, None for the others."""
    path = fields.at("system")
    if source != SYSTEM:
        if fields.has("system") and source in SOURCES:
            fields.problem(path, _("Hanya diisi bila source: system."))
        return None
    if not fields.has("system"):
        fields.problem(
            path,
            _("Wajib diisi bila source: system; pilih salah satu: %(names)s.")
            % {"names": ", ".join(SYSTEM_COMPUTATIONS)},
        )
        return None
    name = fields.text("system")
    if name is None:
        return None
    if name not in SYSTEM_COMPUTATIONS:
        fields.problem(
            path,
            _("Perhitungan sistem '%(name)s' tidak dikenal; pilih salah satu: %(names)s.")
            % {"name": _quoted(name), "names": ", ".join(SYSTEM_COMPUTATIONS)},
        )
        return None
    expected = SYSTEM_COMPUTATIONS[name]
    if kind is not None and kind != expected:
        fields.problem(
            fields.at("type"),
            _("Perhitungan sistem '%(name)s' menghasilkan tipe %(expected)s, bukan %(type)s.")
            % {"name": name, "expected": expected, "type": kind},
        )
        return None
    required_values = SYSTEM_LEVEL_VALUES.get(name)
    if required_values and levels and sorted(lv.value for lv in levels) != list(required_values):
        fields.problem(
            fields.at("levels"),
            _("Perhitungan sistem '%(name)s' memberi level %(values)s; rubrik harus sama.")
            % {"name": name, "values": ", ".join(str(value) for value in required_values)},
        )
        return None
    if kind == BANDED and thresholds and thresholds[0] > 0:
        # Counts start at 0: a first band above it would leave a count of 0 with no level.
        fields.problem(
            fields.at("thresholds"),
            _("Perhitungan sistem '%(name)s' dapat menghasilkan 0; ambang pertama harus 0.")
            % {"name": name},
        )
        return None
    return name


def _check_unique_codes(raw_dimensions: list[Any], problems: list[Problem]) -> None:
    """Dimension and indicator codes share one namespace, compared without case.

    Answers, traces and exports refer to an indicator by its code alone, and `simulate` matches
    codes case-insensitively, so "KEL1" and "kel1" must not name two different things. Checked
    on the raw data, so that a duplicate is reported even next to other problems.
    """
    first_path: dict[str, str] = {}

    def claim(item: object, path: str) -> None:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            return  # reported by the item's own reader
        first = first_path.setdefault(code.casefold(), path)
        if first != path:
            problems.append(
                Problem(
                    path,
                    _("Kode '%(code)s' sudah dipakai di %(first)s.")
                    % {"code": code, "first": first},
                )
            )

    for d_position, dimension in enumerate(raw_dimensions):
        claim(dimension, f"dimensions[{d_position}].code")
        indicators = dimension.get("indicators") if isinstance(dimension, dict) else None
        for i_position, indicator in enumerate(indicators if isinstance(indicators, list) else []):
            claim(indicator, f"dimensions[{d_position}].indicators[{i_position}].code")


# --- writing --------------------------------------------------------------------------------


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """The canonical, JSON-serialisable form: `parse_instrument(instrument_to_dict(i)) == i`.

    Canonical means one spelling per instrument, so the dict can be hashed to prove which
    instrument scored an assessment: keys in schema order; numbers as int when integral, else
    float (exact, see the module docstring); empty optional texts, `system` of non-system
    indicators and empty `labels` left out; `decimals`, `source`, `evidence`, `allow_na` and a
    ratio's `cap` always written, since a reader should not need to know the defaults.
    """
    data: dict[str, Any] = {
        "code": instrument.code,
        "version": instrument.version,
        "name": instrument.name,
    }
    _put_text(data, "description", instrument.description)
    data["decimals"] = instrument.decimals
    if instrument.min_coverage is not None:
        # Written only when set: instruments without it keep the definition (and hash) they had.
        data["min_coverage"] = _number(instrument.min_coverage)
    data["predicates"] = [_predicate_to_dict(predicate) for predicate in instrument.predicates]
    data["dimensions"] = [_dimension_to_dict(dimension) for dimension in instrument.dimensions]
    return data


def dump_instrument_yaml(instrument: Instrument) -> str:
    """The instrument as a YAML file that `load_instrument_yaml` reads back to an equal one."""
    return yaml.dump(
        instrument_to_dict(instrument),
        Dumper=_InstrumentDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


class _InstrumentDumper(yaml.SafeDumper):
    """Writes multi-line texts (descriptions, advice) as readable `|` blocks."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_InstrumentDumper.add_representer(str, _InstrumentDumper.represent_str)


def _number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _put_text(data: dict[str, Any], key: str, value: str) -> None:
    if value:
        data[key] = value


def _predicate_to_dict(predicate: Predicate) -> dict[str, Any]:
    data: dict[str, Any] = {"code": predicate.code, "label": predicate.label}
    if predicate.min is not None:
        data["min"] = _number(predicate.min)
    if predicate.above is not None:
        data["above"] = _number(predicate.above)
    return data


def _dimension_to_dict(dimension: Dimension) -> dict[str, Any]:
    data: dict[str, Any] = {"code": dimension.code, "name": dimension.name}
    _put_text(data, "description", dimension.description)
    data["weight"] = _number(dimension.weight)
    data["indicators"] = [_indicator_to_dict(indicator) for indicator in dimension.indicators]
    return data


def _indicator_to_dict(indicator: Indicator) -> dict[str, Any]:
    data: dict[str, Any] = {"code": indicator.code, "name": indicator.name}
    _put_text(data, "description", indicator.description)
    data["type"] = indicator.type
    if indicator.type == LEVEL:
        data["levels"] = [_level_to_dict(level) for level in indicator.levels]
    elif indicator.type == BANDED:
        data["thresholds"] = [_number(threshold) for threshold in indicator.thresholds]
        if indicator.labels:
            data["labels"] = list(indicator.labels)
    elif indicator.type == RATIO:
        data["cap"] = _number(indicator.cap)
    _put_text(data, "unit", indicator.unit)
    data["weight"] = _number(indicator.weight)
    data["source"] = indicator.source
    if indicator.system is not None:
        data["system"] = indicator.system
    data["evidence"] = indicator.evidence
    data["allow_na"] = indicator.allow_na
    _put_text(data, "advice", indicator.advice)
    _put_text(data, "plausibility", indicator.plausibility)  # absent when unset: hashes stay
    return data


def _level_to_dict(level: Level) -> dict[str, Any]:
    data: dict[str, Any] = {"value": _number(level.value), "label": level.label}
    _put_text(data, "description", level.description)
    return data
