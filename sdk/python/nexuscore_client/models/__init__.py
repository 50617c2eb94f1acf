"""Contains all the data models used in inputs/outputs"""

from .accept_invitation_request import AcceptInvitationRequest
from .accepted_response import AcceptedResponse
from .activity_kind import ActivityKind
from .activity_page import ActivityPage
from .activity_response import ActivityResponse
from .activity_response_details import ActivityResponseDetails
from .address_body import AddressBody
from .address_response import AddressResponse
from .amount import Amount
from .assign_leads_request import AssignLeadsRequest
from .assign_leads_response import AssignLeadsResponse
from .assign_strategy import AssignStrategy
from .assignment_response import AssignmentResponse
from .attempt_response import AttemptResponse
from .audit_event_page import AuditEventPage
from .audit_event_response import AuditEventResponse
from .audit_event_response_payload import AuditEventResponsePayload
from .audit_event_response_type import AuditEventResponseType
from .billing_address_body import BillingAddressBody
from .billing_address_response import BillingAddressResponse
from .billing_profile_request import BillingProfileRequest
from .billing_profile_response import BillingProfileResponse
from .breach_detail_response import BreachDetailResponse
from .breach_page import BreachPage
from .breach_request import BreachRequest
from .breach_response import BreachResponse
from .breakdown_response import BreakdownResponse
from .bulk_replay_request import BulkReplayRequest
from .cancel_request import CancelRequest
from .change_email_request import ChangeEmailRequest
from .change_password_request import ChangePasswordRequest
from .change_plan_request import ChangePlanRequest
from .change_preview_response import ChangePreviewResponse
from .change_role_request import ChangeRoleRequest
from .change_status_request import ChangeStatusRequest
from .checkout_request import CheckoutRequest
from .checkout_response import CheckoutResponse
from .complete_request import CompleteRequest
from .consent_body import ConsentBody
from .consent_method import ConsentMethod
from .consent_record_response import ConsentRecordResponse
from .consent_state_response import ConsentStateResponse
from .consents_response import ConsentsResponse
from .create_invoice_request import CreateInvoiceRequest
from .create_lead_request import CreateLeadRequest
from .create_organization_request import CreateOrganizationRequest
from .create_plan_request import CreatePlanRequest
from .create_privacy_request import CreatePrivacyRequest
from .create_privacy_request_received_via import CreatePrivacyRequestReceivedVia
from .credit_note_page import CreditNotePage
from .credit_note_request import CreditNoteRequest
from .credit_note_response import CreditNoteResponse
from .data_category import DataCategory
from .data_map_field_response import DataMapFieldResponse
from .data_map_response import DataMapResponse
from .delete_account_request import DeleteAccountRequest
from .delete_organization_request import DeleteOrganizationRequest
from .deny_request import DenyRequest
from .dnc_check_page import DncCheckPage
from .dnc_check_request import DncCheckRequest
from .dnc_check_response import DncCheckResponse
from .dnc_result import DncResult
from .dnc_status import DncStatus
from .duplicate_lead_problem import DuplicateLeadProblem
from .duplicate_response import DuplicateResponse
from .export_purpose import ExportPurpose
from .extend_request import ExtendRequest
from .feature import Feature
from .field_problem import FieldProblem
from .field_problem_source_type_1 import FieldProblemSourceType1
from .field_problem_source_type_2_type_1 import FieldProblemSourceType2Type1
from .field_problem_source_type_3_type_1 import FieldProblemSourceType3Type1
from .forgot_password_request import ForgotPasswordRequest
from .gst_report_response import GstReportResponse
from .history_entry_response import HistoryEntryResponse
from .import_counts import ImportCounts
from .import_form import ImportForm
from .import_preview_response import ImportPreviewResponse
from .import_status import ImportStatus
from .inbox_event_detail_response import InboxEventDetailResponse
from .inbox_event_detail_response_payload import InboxEventDetailResponsePayload
from .inbox_event_page import InboxEventPage
from .inbox_event_response import InboxEventResponse
from .inbox_status import InboxStatus
from .interval import Interval
from .invitation_page import InvitationPage
from .invitation_response import InvitationResponse
from .invite_request import InviteRequest
from .invoice_page import InvoicePage
from .invoice_response import InvoiceResponse
from .invoice_status import InvoiceStatus
from .lead_consent_request import LeadConsentRequest
from .lead_import_page import LeadImportPage
from .lead_import_response import LeadImportResponse
from .lead_page import LeadPage
from .lead_response import LeadResponse
from .lead_source import LeadSource
from .lead_status import LeadStatus
from .limits import Limits
from .limits_input import LimitsInput
from .line_request import LineRequest
from .line_response import LineResponse
from .list_audit_events_type_type_0 import ListAuditEventsTypeType0
from .list_leads_sort_type_0 import ListLeadsSortType0
from .live_status import LiveStatus
from .log_activity_request import LogActivityRequest
from .login_request import LoginRequest
from .mark_paid_request import MarkPaidRequest
from .marketing_consent_response import MarketingConsentResponse
from .matched_on import MatchedOn
from .media_type_problem import MediaTypeProblem
from .member_page import MemberPage
from .member_response import MemberResponse
from .membership_response import MembershipResponse
from .merge_leads_request import MergeLeadsRequest
from .merge_response import MergeResponse
from .my_consent_request import MyConsentRequest
from .not_ready_problem import NotReadyProblem
from .organization_page import OrganizationPage
from .organization_response import OrganizationResponse
from .overseas_evidence import OverseasEvidence
from .overseas_evidence_body import OverseasEvidenceBody
from .overseas_evidence_response import OverseasEvidenceResponse
from .party_response import PartyResponse
from .plan_page import PlanPage
from .plan_response import PlanResponse
from .platform_retention_counts import PlatformRetentionCounts
from .platform_retention_cutoffs import PlatformRetentionCutoffs
from .platform_retention_preview_response import PlatformRetentionPreviewResponse
from .portal_response import PortalResponse
from .prices_input import PricesInput
from .privacy_request_page import PrivacyRequestPage
from .privacy_request_response import PrivacyRequestResponse
from .problem import Problem
from .public_privacy_request import PublicPrivacyRequest
from .public_request_accepted import PublicRequestAccepted
from .purpose import Purpose
from .quota_problem import QuotaProblem
from .readiness_checks import ReadinessChecks
from .ready_status import ReadyStatus
from .received_via import ReceivedVia
from .refresh_request import RefreshRequest
from .register_request import RegisterRequest
from .replay_job_response import ReplayJobResponse
from .report_box_response import ReportBoxResponse
from .report_entry_response import ReportEntryResponse
from .request_kind import RequestKind
from .request_status import RequestStatus
from .reset_password_request import ResetPasswordRequest
from .retention_category import RetentionCategory
from .retention_counts import RetentionCounts
from .retention_cutoffs import RetentionCutoffs
from .retention_months import RetentionMonths
from .retention_preview_response import RetentionPreviewResponse
from .retention_rule_response import RetentionRuleResponse
from .retention_schedules_response import RetentionSchedulesResponse
from .retry_later_problem import RetryLaterProblem
from .role import Role
from .row_error_response import RowErrorResponse
from .score_reason_response import ScoreReasonResponse
from .session_page import SessionPage
from .session_response import SessionResponse
from .set_retention_request import SetRetentionRequest
from .sgd_totals_response import SgdTotalsResponse
from .staff_invoice_page import StaffInvoicePage
from .staff_invoice_response import StaffInvoiceResponse
from .subject_input import SubjectInput
from .subject_kind import SubjectKind
from .subscription_page import SubscriptionPage
from .subscription_response import SubscriptionResponse
from .subscription_status import SubscriptionStatus
from .subscription_summary import SubscriptionSummary
from .tax_category import TaxCategory
from .timeline_entry import TimelineEntry
from .token_response import TokenResponse
from .transfer_ownership_request import TransferOwnershipRequest
from .update_breach_request import UpdateBreachRequest
from .update_invoice_request import UpdateInvoiceRequest
from .update_lead_request import UpdateLeadRequest
from .update_organization_request import UpdateOrganizationRequest
from .update_plan_request import UpdatePlanRequest
from .update_profile_request import UpdateProfileRequest
from .usage import Usage
from .usage_response import UsageResponse
from .user_response import UserResponse
from .validation_problem import ValidationProblem
from .verify_code_request import VerifyCodeRequest
from .verify_email_request import VerifyEmailRequest
from .void_request import VoidRequest
from .webhook_ack import WebhookAck

__all__ = (
    "AcceptedResponse",
    "AcceptInvitationRequest",
    "ActivityKind",
    "ActivityPage",
    "ActivityResponse",
    "ActivityResponseDetails",
    "AddressBody",
    "AddressResponse",
    "Amount",
    "AssignLeadsRequest",
    "AssignLeadsResponse",
    "AssignmentResponse",
    "AssignStrategy",
    "AttemptResponse",
    "AuditEventPage",
    "AuditEventResponse",
    "AuditEventResponsePayload",
    "AuditEventResponseType",
    "BillingAddressBody",
    "BillingAddressResponse",
    "BillingProfileRequest",
    "BillingProfileResponse",
    "BreachDetailResponse",
    "BreachPage",
    "BreachRequest",
    "BreachResponse",
    "BreakdownResponse",
    "BulkReplayRequest",
    "CancelRequest",
    "ChangeEmailRequest",
    "ChangePasswordRequest",
    "ChangePlanRequest",
    "ChangePreviewResponse",
    "ChangeRoleRequest",
    "ChangeStatusRequest",
    "CheckoutRequest",
    "CheckoutResponse",
    "CompleteRequest",
    "ConsentBody",
    "ConsentMethod",
    "ConsentRecordResponse",
    "ConsentsResponse",
    "ConsentStateResponse",
    "CreateInvoiceRequest",
    "CreateLeadRequest",
    "CreateOrganizationRequest",
    "CreatePlanRequest",
    "CreatePrivacyRequest",
    "CreatePrivacyRequestReceivedVia",
    "CreditNotePage",
    "CreditNoteRequest",
    "CreditNoteResponse",
    "DataCategory",
    "DataMapFieldResponse",
    "DataMapResponse",
    "DeleteAccountRequest",
    "DeleteOrganizationRequest",
    "DenyRequest",
    "DncCheckPage",
    "DncCheckRequest",
    "DncCheckResponse",
    "DncResult",
    "DncStatus",
    "DuplicateLeadProblem",
    "DuplicateResponse",
    "ExportPurpose",
    "ExtendRequest",
    "Feature",
    "FieldProblem",
    "FieldProblemSourceType1",
    "FieldProblemSourceType2Type1",
    "FieldProblemSourceType3Type1",
    "ForgotPasswordRequest",
    "GstReportResponse",
    "HistoryEntryResponse",
    "ImportCounts",
    "ImportForm",
    "ImportPreviewResponse",
    "ImportStatus",
    "InboxEventDetailResponse",
    "InboxEventDetailResponsePayload",
    "InboxEventPage",
    "InboxEventResponse",
    "InboxStatus",
    "Interval",
    "InvitationPage",
    "InvitationResponse",
    "InviteRequest",
    "InvoicePage",
    "InvoiceResponse",
    "InvoiceStatus",
    "LeadConsentRequest",
    "LeadImportPage",
    "LeadImportResponse",
    "LeadPage",
    "LeadResponse",
    "LeadSource",
    "LeadStatus",
    "Limits",
    "LimitsInput",
    "LineRequest",
    "LineResponse",
    "ListAuditEventsTypeType0",
    "ListLeadsSortType0",
    "LiveStatus",
    "LogActivityRequest",
    "LoginRequest",
    "MarketingConsentResponse",
    "MarkPaidRequest",
    "MatchedOn",
    "MediaTypeProblem",
    "MemberPage",
    "MemberResponse",
    "MembershipResponse",
    "MergeLeadsRequest",
    "MergeResponse",
    "MyConsentRequest",
    "NotReadyProblem",
    "OrganizationPage",
    "OrganizationResponse",
    "OverseasEvidence",
    "OverseasEvidenceBody",
    "OverseasEvidenceResponse",
    "PartyResponse",
    "PlanPage",
    "PlanResponse",
    "PlatformRetentionCounts",
    "PlatformRetentionCutoffs",
    "PlatformRetentionPreviewResponse",
    "PortalResponse",
    "PricesInput",
    "PrivacyRequestPage",
    "PrivacyRequestResponse",
    "Problem",
    "PublicPrivacyRequest",
    "PublicRequestAccepted",
    "Purpose",
    "QuotaProblem",
    "ReadinessChecks",
    "ReadyStatus",
    "ReceivedVia",
    "RefreshRequest",
    "RegisterRequest",
    "ReplayJobResponse",
    "ReportBoxResponse",
    "ReportEntryResponse",
    "RequestKind",
    "RequestStatus",
    "ResetPasswordRequest",
    "RetentionCategory",
    "RetentionCounts",
    "RetentionCutoffs",
    "RetentionMonths",
    "RetentionPreviewResponse",
    "RetentionRuleResponse",
    "RetentionSchedulesResponse",
    "RetryLaterProblem",
    "Role",
    "RowErrorResponse",
    "ScoreReasonResponse",
    "SessionPage",
    "SessionResponse",
    "SetRetentionRequest",
    "SgdTotalsResponse",
    "StaffInvoicePage",
    "StaffInvoiceResponse",
    "SubjectInput",
    "SubjectKind",
    "SubscriptionPage",
    "SubscriptionResponse",
    "SubscriptionStatus",
    "SubscriptionSummary",
    "TaxCategory",
    "TimelineEntry",
    "TokenResponse",
    "TransferOwnershipRequest",
    "UpdateBreachRequest",
    "UpdateInvoiceRequest",
    "UpdateLeadRequest",
    "UpdateOrganizationRequest",
    "UpdatePlanRequest",
    "UpdateProfileRequest",
    "Usage",
    "UsageResponse",
    "UserResponse",
    "ValidationProblem",
    "VerifyCodeRequest",
    "VerifyEmailRequest",
    "VoidRequest",
    "WebhookAck",
)
