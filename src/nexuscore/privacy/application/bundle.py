"""The access bundle: a zip of JSON and CSV files (stdlib only)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from nexuscore.privacy.domain.requests import PrivacyRequest

# The provider whose records are the subject's use and disclosure log (the event store).
LOG_PROVIDER = "events"
# What the subject reads for an entry of the log: "<verb> <actor id> (<role>)".
_VERBS = {
    "lead.viewed": "viewed by",
    "lead.created": "created by",
    "lead.updated": "changed by",
    "lead.exported": "exported by",
    "lead.imported": "imported by",
}
# A fixed timestamp on every entry: the same content gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _csv(rows: Sequence[Mapping[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return out.getvalue()


def _write(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text.encode("utf-8"))


def _entry(fields: Mapping[str, Any]) -> str | None:
    verb = _VERBS.get(str(fields.get("type")))
    if verb is None:
        return None
    payload = fields.get("payload")
    role = payload.get("role") if isinstance(payload, Mapping) else None
    actor = fields.get("actor_id") or "the system"
    return f"{verb} {actor} ({role})" if role else f"{verb} {actor}"


def build_bundle(request: PrivacyRequest, exports: Mapping[str, Sequence[Mapping[str, Any]]], now: datetime) -> bytes:
    """`exports`: provider name -> its records (`{"table", "recordId", "organizationId", "fields"}`).

    Files: `README.txt`; `personal_data.json` (every record, by provider and table); one CSV
    per table (`<provider>/<table>.csv`); `use_and_disclosure_log.json` and `.csv` (the
    event store's records in the 12 months before the request; `entry` says it in words, such
    as "viewed by <member id> (<role>)").
    """
    personal: dict[str, dict[str, list[dict[str, Any]]]] = {}
    log: list[dict[str, Any]] = []
    for provider in sorted(exports):
        for record in exports[provider]:
            if provider == LOG_PROVIDER:
                fields = record["fields"]
                log.append({"eventId": record["recordId"], **fields, "entry": _entry(fields)})
                continue
            personal.setdefault(provider, {}).setdefault(record["table"], []).append(dict(record))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write(
            archive,
            "README.txt",
            (
                "Personal data held about you, and how it was used or disclosed in the year before your request.\n\n"
                f"Request: {request.id} ({request.kind.value}), received {request.received_at.isoformat()}\n"
                f"Prepared: {now.isoformat()}\n\n"
                "personal_data.json        every record, grouped by where it is kept\n"
                "<area>/<table>.csv        the same records, one file per table\n"
                "use_and_disclosure_log.*  what happened to your data (views, exports, imports, changes, mails)\n"
            ),
        )
        _write(archive, "personal_data.json", json.dumps(personal, ensure_ascii=False, indent=2, sort_keys=True))
        for provider, tables in personal.items():
            for table, records in tables.items():
                rows = [{"record_id": r["recordId"], **r["fields"]} for r in records]
                _write(archive, f"{provider}/{table}.csv", _csv(rows))
        _write(archive, "use_and_disclosure_log.json", json.dumps(log, ensure_ascii=False, indent=2, sort_keys=True))
        _write(archive, "use_and_disclosure_log.csv", _csv(log))
    return buffer.getvalue()
