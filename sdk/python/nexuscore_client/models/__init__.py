"""Contains all the data models used in inputs/outputs"""

from .accept_invitation_request import AcceptInvitationRequest
from .accepted_response import AcceptedResponse
from .activity_kind import ActivityKind
from .activity_page import ActivityPage
from .activity_response import ActivityResponse
from .activity_response_details import ActivityResponseDetails
from .address_body import AddressBody
from .address_response import AddressResponse
from .assign_leads_request import AssignLeadsRequest
from .assign_leads_response import AssignLeadsResponse
from .assign_strategy import AssignStrategy
from .assignment_response import AssignmentResponse
from .audit_event_page import AuditEventPage
from .audit_event_response import AuditEventResponse
from .audit_event_response_payload import AuditEventResponsePayload
from .change_email_request import ChangeEmailRequest
from .change_password_request import ChangePasswordRequest
from .change_role_request import ChangeRoleRequest
from .change_role_request_role import ChangeRoleRequestRole
from .change_status_request import ChangeStatusRequest
from .consent_body import ConsentBody
from .create_lead_request import CreateLeadRequest
from .create_organization_request import CreateOrganizationRequest
from .delete_organization_request import DeleteOrganizationRequest
from .dnc_status import DncStatus
from .duplicate_response import DuplicateResponse
from .export_purpose import ExportPurpose
from .forgot_password_request import ForgotPasswordRequest
from .import_counts import ImportCounts
from .import_form import ImportForm
from .import_preview_response import ImportPreviewResponse
from .invitation_response import InvitationResponse
from .invitation_response_role import InvitationResponseRole
from .invite_request import InviteRequest
from .invite_request_role import InviteRequestRole
from .lead_import_response import LeadImportResponse
from .lead_page import LeadPage
from .lead_response import LeadResponse
from .lead_source import LeadSource
from .lead_status import LeadStatus
from .live_status import LiveStatus
from .log_activity_request import LogActivityRequest
from .login_request import LoginRequest
from .marketing_consent_response import MarketingConsentResponse
from .member_response import MemberResponse
from .member_response_role import MemberResponseRole
from .membership_response import MembershipResponse
from .membership_response_role import MembershipResponseRole
from .merge_leads_request import MergeLeadsRequest
from .merge_response import MergeResponse
from .organization_response import OrganizationResponse
from .organization_response_role import OrganizationResponseRole
from .refresh_request import RefreshRequest
from .register_request import RegisterRequest
from .reset_password_request import ResetPasswordRequest
from .row_error_response import RowErrorResponse
from .score_reason_response import ScoreReasonResponse
from .session_response import SessionResponse
from .token_response import TokenResponse
from .transfer_ownership_request import TransferOwnershipRequest
from .update_lead_request import UpdateLeadRequest
from .update_organization_request import UpdateOrganizationRequest
from .update_profile_request import UpdateProfileRequest
from .user_response import UserResponse
from .verify_email_request import VerifyEmailRequest

__all__ = (
    "AcceptedResponse",
    "AcceptInvitationRequest",
    "ActivityKind",
    "ActivityPage",
    "ActivityResponse",
    "ActivityResponseDetails",
    "AddressBody",
    "AddressResponse",
    "AssignLeadsRequest",
    "AssignLeadsResponse",
    "AssignmentResponse",
    "AssignStrategy",
    "AuditEventPage",
    "AuditEventResponse",
    "AuditEventResponsePayload",
    "ChangeEmailRequest",
    "ChangePasswordRequest",
    "ChangeRoleRequest",
    "ChangeRoleRequestRole",
    "ChangeStatusRequest",
    "ConsentBody",
    "CreateLeadRequest",
    "CreateOrganizationRequest",
    "DeleteOrganizationRequest",
    "DncStatus",
    "DuplicateResponse",
    "ExportPurpose",
    "ForgotPasswordRequest",
    "ImportCounts",
    "ImportForm",
    "ImportPreviewResponse",
    "InvitationResponse",
    "InvitationResponseRole",
    "InviteRequest",
    "InviteRequestRole",
    "LeadImportResponse",
    "LeadPage",
    "LeadResponse",
    "LeadSource",
    "LeadStatus",
    "LiveStatus",
    "LogActivityRequest",
    "LoginRequest",
    "MarketingConsentResponse",
    "MemberResponse",
    "MemberResponseRole",
    "MembershipResponse",
    "MembershipResponseRole",
    "MergeLeadsRequest",
    "MergeResponse",
    "OrganizationResponse",
    "OrganizationResponseRole",
    "RefreshRequest",
    "RegisterRequest",
    "ResetPasswordRequest",
    "RowErrorResponse",
    "ScoreReasonResponse",
    "SessionResponse",
    "TokenResponse",
    "TransferOwnershipRequest",
    "UpdateLeadRequest",
    "UpdateOrganizationRequest",
    "UpdateProfileRequest",
    "UserResponse",
    "VerifyEmailRequest",
)
