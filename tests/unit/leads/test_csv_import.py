"""The pure part of CSV imports: decoding, header mapping, row cleaning, in-file dedupe, report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from nexuscore.kernel.errors import ValidationError
from nexuscore.kernel.money import Money
from nexuscore.leads.adapters.sql.rows import report_entry, report_entry_values
from nexuscore.leads.domain.csv_import import REPORT_LIMIT, ImportReport, LeadDraft, plan_import
from nexuscore.leads.domain.csv_reading import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportTooLarge,
    MalformedCsv,
    decode_upload,
    map_header,
    parse_csv,
)
from nexuscore.leads.domain.model import DncStatus, DuplicateRow, LeadSource, RowError

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _only(text: str) -> LeadDraft | list[RowError]:
    (row,) = plan_import(parse_csv(text), TODAY).rows
    return row.draft if row.draft is not None else list(row.errors)


# ---- decoding ----------------------------------------------------------------------------------


def test_utf8_with_or_without_bom_is_read() -> None:
    assert decode_upload("firstName\nZoë\n".encode()) == "firstName\nZoë\n"
    assert decode_upload(b"\xef\xbb\xbffirstName\nAnn\n") == "firstName\nAnn\n"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("firstName\nZoë\n".encode("latin-1"), "not UTF-8"),
        (b"%PDF-1.7\x00\x01binary", "binary"),
        (b"", "empty"),
        (b"  \r\n \n", "empty"),
    ],
)
def test_not_utf8_binary_or_empty_is_malformed(data: bytes, words: str) -> None:
    with pytest.raises(MalformedCsv, match=words):
        decode_upload(data)


def test_more_than_ten_megabytes_is_too_large() -> None:
    with pytest.raises(ImportTooLarge) as caught:
        decode_upload(b"a" * (MAX_IMPORT_BYTES + 1))
    assert caught.value.extra == {"maxBytes": MAX_IMPORT_BYTES, "maxRows": MAX_IMPORT_ROWS}


# ---- header ------------------------------------------------------------------------------------


def test_camel_case_and_human_headers_map_case_insensitively() -> None:
    header = map_header(
        ["First Name", "LASTNAME", "E-mail", "phone number", "Company", "UEN", "Job Title", "source", "Tags",
         "estimated_value", "Next Follow-Up", "marketing consent", "DNC Status", "dncCheckedAt"]
    )  # fmt: skip
    assert header.columns == (
        "firstName", "lastName", "email", "phone", "company", "companyUen", "jobTitle", "source", "tags",
        "estimatedValue", "nextFollowUp", "marketingConsent", "dncStatus", "dncCheckedAt",
    )  # fmt: skip
    assert header.ignored == ()


def test_unknown_columns_are_ignored_and_listed() -> None:
    header = map_header(["firstName", "Favourite Colour", "", "email"])
    assert header.columns == ("firstName", None, None, "email")
    assert header.ignored == ("Favourite Colour", "(unnamed column 3)")
    assert header.recognised == ("firstName", "email")


def test_missing_first_name_column_or_a_repeated_column_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        map_header(["email", "phone"])
    assert [e.field for e in caught.value.errors] == ["file"]
    assert "firstName" in caught.value.errors[0].message
    with pytest.raises(ValidationError, match="header"):
        map_header(["firstName", "Email", "E-mail"])


def test_header_only_file_has_no_rows_and_a_header_must_come_first() -> None:
    assert parse_csv("firstName,email\n").total_rows == 0
    with pytest.raises(MalformedCsv):
        parse_csv('"unterminated\n')


def test_semicolon_separated_files_are_read() -> None:
    parsed = parse_csv("firstName;lastName;tags\nAnn;Tan;a\n")
    assert parsed.header.delimiter == ";"
    assert parsed.records[0].cells == ("Ann", "Tan", "a")


# ---- records -----------------------------------------------------------------------------------


def test_blank_lines_are_skipped_but_keep_row_numbers() -> None:
    parsed = parse_csv("firstName,email\nAnn,a@x.sg\n\n,\nBob,b@x.sg\n")
    assert [(r.row, r.cells) for r in parsed.records] == [(1, ("Ann", "a@x.sg")), (4, ("Bob", "b@x.sg"))]


def test_a_malformed_record_is_reported_and_the_next_ones_still_read() -> None:
    rows = plan_import(parse_csv('firstName,email\nAnn,"a@x.sg"junk\nBob,b@x.sg\nCid\n'), TODAY).rows
    assert rows[0].row == 1 and rows[0].draft is None and "not valid CSV" in rows[0].errors[0].message
    assert rows[1].draft is not None and rows[1].draft.first_name == "Bob"
    assert rows[2].draft is None and rows[2].errors[0].message == "The row has 1 cells; the header has 2."


def test_more_than_the_row_cap_is_too_large() -> None:
    parse_csv("firstName\n" + "a\n" * MAX_IMPORT_ROWS)
    with pytest.raises(ImportTooLarge, match="50,000"):
        parse_csv("firstName\n" + "a\n" * (MAX_IMPORT_ROWS + 1))


# ---- cleaning ----------------------------------------------------------------------------------


def test_a_full_row_is_cleaned_with_the_api_cleaners() -> None:
    draft = _only(
        "First Name,Last Name,Email,Phone,Company,UEN,Job Title,Source,Tags,Estimated Value,Next Follow Up,"
        "Marketing Consent,DNC Status,DNC Checked At\n"
        ' Ann ,Tan,ANN@Kopi.SG,9123 4567,Kopi Pte Ltd,200312345a,CEO,Cold Outreach,VIP; retail;vip,"S$12,500.50",'
        "2026-12-01,Yes,clear,2026-11-20\n"
    )
    assert draft == LeadDraft(
        first_name="Ann",
        last_name="Tan",
        email="ann@kopi.sg",
        phone="+6591234567",
        company="Kopi Pte Ltd",
        company_uen="200312345A",
        job_title="CEO",
        source=LeadSource.COLD_OUTREACH,
        tags=("vip", "retail"),
        estimated_value=Money(1_250_050),
        next_follow_up=date(2026, 12, 1),
        marketing_consent=True,
        dnc_status=DncStatus.CLEAR,
        dnc_checked_at=date(2026, 11, 20),
    )


def test_defaults_source_import_no_consent_record_unchecked_dnc() -> None:
    draft = _only("firstName\nAnn\n")
    assert isinstance(draft, LeadDraft)
    assert (draft.source, draft.marketing_consent, draft.dnc_status, draft.last_name) == (
        LeadSource.IMPORT,
        None,
        DncStatus.UNCHECKED,
        "",
    )
    lead = draft.to_lead(uuid4(), uuid4(), NOW)
    assert lead.marketing_consent is None and lead.source is LeadSource.IMPORT
    assert lead.score > 0 and any(r.factor == "source" for r in lead.score_reasons)


def test_consent_becomes_a_dated_import_record() -> None:
    for cell, granted in (("no", False), ("TRUE", True), ("n", False)):
        draft = _only(f"firstName,marketingConsent\nAnn,{cell}\n")
        assert isinstance(draft, LeadDraft)
        consent = draft.to_lead(uuid4(), uuid4(), NOW).marketing_consent
        assert consent is not None and (consent.granted, consent.recorded_at, consent.source) == (
            granted,
            NOW,
            "import",
        )


def test_every_problem_of_a_row_is_reported_with_its_field() -> None:
    errors = _only(
        "firstName,email,phone,companyUen,source,tags,estimatedValue,nextFollowUp,marketingConsent,dncStatus\n"
        ",nope,123,12345,fax,bad!tag,-5,01/12/2026,maybe,sometimes\n"
    )
    assert isinstance(errors, list)
    assert {e.field for e in errors} == {
        "firstName", "email", "phone", "companyUen", "source", "tags", "estimatedValue", "nextFollowUp",
        "marketingConsent", "dncStatus",
    }  # fmt: skip
    assert all(e.row == 1 for e in errors)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("unchecked,2026-11-01", "must be empty while dncStatus is unchecked"),
        (",2026-11-01", "must be empty while dncStatus is unchecked"),
        ("clear,", "is required when dncStatus is clear or listed"),
        ("listed,2026-11-27", "must not be in the future"),
    ],
)
def test_dnc_status_and_date_go_together(cells: str, message: str) -> None:
    errors = _only(f"firstName,dncStatus,dncCheckedAt\nAnn,{cells}\n")
    assert errors == [RowError(1, "dncCheckedAt", message)]


def test_a_formula_looking_cell_is_just_text_or_an_error() -> None:
    draft = _only('firstName,company\n"=HYPERLINK(""x"")",=1+1\n')
    assert isinstance(draft, LeadDraft) and draft.first_name.startswith("=")  # the export neutralises it


# ---- in-file duplicates ------------------------------------------------------------------------


def test_duplicates_within_the_file_point_at_the_first_valid_row() -> None:
    rows = plan_import(
        parse_csv(
            "firstName,email,phone\n"
            "Ann,ann@x.sg,\n"  # 1
            "Bad,not-an-email,91234567\n"  # 2: invalid, so it claims nothing
            "Bob,,91234567\n"  # 3
            "Ann2,ANN@x.sg,\n"  # 4: same email as 1
            "Bob2,b2@x.sg,+65 9123 4567\n"  # 5: same phone as 3
            "Cid,cid@x.sg,\n"  # 6
        ),
        TODAY,
    ).rows
    assert [(r.row, r.is_candidate, r.duplicate_of_row, r.matched_on) for r in rows] == [
        (1, True, None, None),
        (2, False, None, None),
        (3, True, None, None),
        (4, False, 1, "email"),
        (5, False, 3, "phone"),
        (6, True, None, None),
    ]


# ---- the stored report -------------------------------------------------------------------------


def test_duplicates_round_trip_through_the_row_error_report() -> None:
    lead_id = UUID("01900000-0000-7000-8000-000000000001")
    existing = DuplicateRow(4, "email", existing_lead_id=lead_id)
    in_file = DuplicateRow(7, "phone", duplicate_of_row=2)
    error = RowError(5, "email", "must be an email address like name@example.sg")
    # The stored report keeps one {row, field, message} shape for both kinds (adapters/sql).
    for duplicate in (existing, in_file):
        assert report_entry(report_entry_values(duplicate)) == duplicate
    assert report_entry(report_entry_values(error)) == error  # an error is never read back as a duplicate
    report = ImportReport.of([existing, error, in_file])
    assert report.errors == [error] and report.duplicates == [existing, in_file]
    assert [e.row for e in report.entries()] == [4, 5, 7]


def test_the_report_lists_a_bounded_number_of_each_kind() -> None:
    report = ImportReport()
    for n in range(REPORT_LIMIT + 5):
        report.add_errors([RowError(n + 1, "email", "bad")])
        report.add_duplicate(DuplicateRow(n + 1, "phone", duplicate_of_row=1))
    assert len(report.errors) == REPORT_LIMIT and len(report.duplicates) == REPORT_LIMIT
