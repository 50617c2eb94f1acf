"""The privacy context's own part of the data map. Its rows are erased in the deletion
request's own transaction when the last provider step is done (the request needs the
subject's contact until then: `application.processing`), so it is not a processing step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nexuscore.kernel.personal_data import Category, Masking, PersonalField

_R = "privacy_request"
FIELDS: tuple[PersonalField, ...] = (
    PersonalField(_R, "subject_email", Category.CONTACT, Masking.SALTED_HASH, "the requester's address"),
    PersonalField(_R, "subject_phone", Category.CONTACT, Masking.SALTED_HASH),
    PersonalField(_R, "notes", Category.CONTENT, Masking.NULL, "how the request was received"),
    PersonalField(_R, "subject_names", Category.IDENTITY, Masking.FIXED, "resolved for erasure", fixed_value="[]"),
    PersonalField(_R, "subject_emails", Category.CONTACT, Masking.FIXED, "resolved for erasure", fixed_value="[]"),
    PersonalField(_R, "subject_phones", Category.CONTACT, Masking.FIXED, "resolved for erasure", fixed_value="[]"),
    PersonalField("privacy_request_step", "result", Category.CONTENT, Masking.NULL, "exports until bundled"),
    PersonalField("privacy_bundle", "content", Category.CONTENT, Masking.DELETE_ROW, "the access bundle"),
)


@dataclass(frozen=True)
class PrivacyOwnFields:
    name: str = "privacy"
    fields: Sequence[PersonalField] = FIELDS
