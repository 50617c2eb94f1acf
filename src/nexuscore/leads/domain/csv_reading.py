"""CSV lead imports, reading the upload: decoding, the size and row caps, header mapping and
records. Nothing here cleans a cell (csv_import.py does, row by row).

Row numbers are 1-based data records (the header is row 0), blank records included, so row n is
line n + 1 of a spreadsheet without multi-line cells.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from nexuscore.kernel.errors import DomainError, FieldError, ValidationError

MAX_IMPORT_BYTES: Final = 10 * 1024 * 1024
MAX_IMPORT_ROWS: Final = 50_000

# Canonical (camelCase) field -> accepted spellings once normalised (see _normalise_header).
_ALIASES: dict[str, tuple[str, ...]] = {
    "firstName": ("firstname", "givenname"),
    "lastName": ("lastname", "surname", "familyname"),
    "email": ("email", "emailaddress"),
    "phone": ("phone", "phonenumber", "mobile", "mobilenumber", "contactnumber"),
    "company": ("company", "companyname"),
    "companyUen": ("companyuen", "uen"),
    "jobTitle": ("jobtitle", "designation"),
    "source": ("source", "leadsource"),
    "tags": ("tags", "tag"),
    "estimatedValue": ("estimatedvalue", "dealvalue"),
    "nextFollowUp": ("nextfollowup", "followupdate"),
    "marketingConsent": ("marketingconsent",),
    "dncStatus": ("dncstatus",),
    "dncCheckedAt": ("dnccheckedat", "dncchecked", "dnccheckdate"),
}
COLUMNS: tuple[str, ...] = tuple(_ALIASES)
REQUIRED_COLUMNS: tuple[str, ...] = ("firstName",)
_HEADER_LOOKUP = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_HEADER_NOISE = re.compile(r"[\s_\-.]+")


class MalformedCsv(DomainError):
    """The upload is not a UTF-8 CSV text file at all (400): nothing row by row can be said."""

    code = "malformed-csv"
    default_message = "The file is not a UTF-8 encoded CSV file."


class ImportTooLarge(DomainError):
    """Over the size or row cap (413)."""

    code = "payload-too-large"

    def __init__(self, message: str) -> None:
        super().__init__(message, extra={"maxBytes": MAX_IMPORT_BYTES, "maxRows": MAX_IMPORT_ROWS})


def too_many_bytes() -> ImportTooLarge:
    return ImportTooLarge(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")


# ---- decoding and parsing ----------------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """UTF-8 (a byte-order mark, as Excel writes it, is dropped); size, encoding and binary checked."""
    if len(data) > MAX_IMPORT_BYTES:
        raise too_many_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedCsv(
            f"The file is not UTF-8 encoded (bad byte at position {exc.start}). Save it as 'CSV UTF-8' and retry."
        ) from None
    if "\x00" in text:
        raise MalformedCsv("The file contains NUL characters: it looks like a binary file, not CSV text.")
    if not text.strip():
        raise MalformedCsv("The file is empty.")
    return text


@dataclass(frozen=True)
class HeaderMap:
    """Which field each column feeds (None: ignored), and how the file separates cells."""

    columns: tuple[str | None, ...]
    ignored: tuple[str, ...]
    delimiter: str = ","

    @property
    def recognised(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c is not None)


def _normalise_header(raw: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", raw)).lower()


def map_header(cells: Sequence[str], delimiter: str = ",") -> HeaderMap:
    """camelCase or human headers, case-insensitively; unknown ones are ignored (and reported)."""
    columns: list[str | None] = []
    ignored: list[str] = []
    errors: list[FieldError] = []
    for index, raw in enumerate(cells):
        name = _HEADER_LOOKUP.get(_normalise_header(raw))
        if name is None:
            label = raw.strip()[:100]
            ignored.append(label or f"(unnamed column {index + 1})")
        elif name in columns:
            errors.append(FieldError("file", f"column {name} appears more than once"))
            name = None
        columns.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            errors.append(FieldError("file", f"the header has no {required} column"))
    if errors:
        accepted = ", ".join(COLUMNS)
        raise ValidationError(
            f"The CSV header is not usable. Recognised columns: {accepted}.", errors=errors, extra={"columns": COLUMNS}
        )
    return HeaderMap(tuple(columns), tuple(ignored), delimiter)


def _sniff_delimiter(text: str) -> str:
    # Excel in some locales saves with semicolons; a tab-separated export also happens. Only the
    # header line is looked at: data cells may contain any of these.
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


@dataclass(frozen=True)
class CsvRecord:
    row: int
    cells: tuple[str, ...]
    problem: str | None = None  # the record could not be read as CSV


@dataclass(frozen=True)
class ParsedCsv:
    header: HeaderMap
    records: tuple[CsvRecord, ...]  # non-blank data records, in file order

    @property
    def total_rows(self) -> int:
        return len(self.records)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    # strict: a stray quote is an error for that record (and the reader carries on with the next
    # line) instead of silently gluing cells together.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    index = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield index, None, str(exc)
        else:
            yield index, cells, None
        index += 1


def parse_csv(text: str) -> ParsedCsv:
    """Header + data records; at most MAX_IMPORT_ROWS non-blank records (else ImportTooLarge)."""
    delimiter = _sniff_delimiter(text)
    records: list[CsvRecord] = []
    header: HeaderMap | None = None
    for index, cells, problem in _records(text, delimiter):
        if header is None:
            if problem is not None:
                raise MalformedCsv(f"The header line is not valid CSV: {problem}.")
            if cells is None or not any(c.strip() for c in cells):
                raise MalformedCsv("The first line must be the header.")
            header = map_header(cells, delimiter)
            continue
        if cells is not None and not any(c.strip() for c in cells):
            continue  # blank lines (and lines of bare separators) are not rows
        if len(records) >= MAX_IMPORT_ROWS:
            raise ImportTooLarge(f"The file has more than {MAX_IMPORT_ROWS:,} rows; split it into smaller files.")
        records.append(CsvRecord(index, tuple(cells or ()), problem))
    if header is None:
        raise MalformedCsv("The file is empty.")
    return ParsedCsv(header, tuple(records))
