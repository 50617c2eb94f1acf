"""NexusCore's tables as unmanaged Django models (the peer never migrates anything)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class User(models.Model):
    id = models.UUIDField(primary_key=True)
    email = models.CharField(max_length=320)
    full_name = models.CharField(max_length=400)
    is_staff = models.BooleanField()
    is_active = models.BooleanField()

    is_authenticated = True  # what DRF's IsAuthenticated asks of request.user
    is_anonymous = False

    class Meta:
        managed = False
        db_table = "identity_user"


class Token(models.Model):
    """rest_framework.authtoken's model, on a table the bench creates."""

    key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, db_column="user_id")
    created = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "peer_authtoken"


class Membership(models.Model):
    pk = models.CompositePrimaryKey("organization_id", "user_id")
    organization_id = models.UUIDField()
    user_id = models.UUIDField()
    role = models.CharField(max_length=16)
    joined_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "organizations_membership"


class Lead(models.Model):
    id = models.UUIDField(primary_key=True)
    organization_id = models.UUIDField()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, null=True)
    email = models.CharField(max_length=320, null=True)
    phone = models.CharField(max_length=32, null=True)
    company = models.CharField(max_length=200, null=True)
    company_uen = models.CharField(max_length=16, null=True)
    job_title = models.CharField(max_length=200, null=True)
    source = models.CharField(max_length=32)
    status = models.CharField(max_length=32)
    lost_reason = models.CharField(max_length=500, null=True)
    owner_id = models.UUIDField(null=True)
    tags = ArrayField(models.TextField())
    estimated_value_minor = models.BigIntegerField(null=True)
    estimated_value_currency = models.CharField(max_length=3, null=True)
    next_follow_up = models.DateField(null=True)
    score = models.IntegerField()
    score_reasons = models.JSONField()
    marketing_consent_granted = models.BooleanField()
    marketing_consent_recorded_at = models.DateTimeField(null=True)
    marketing_consent_source = models.CharField(max_length=100, null=True)
    dnc_status = models.CharField(max_length=32)
    dnc_checked_at = models.DateField(null=True)
    created_by = models.UUIDField(null=True)
    created_at = models.DateTimeField()
    updated_by = models.UUIDField(null=True)
    updated_at = models.DateTimeField()
    archived_at = models.DateTimeField(null=True)
    merged_into_id = models.UUIDField(null=True)

    class Meta:
        managed = False
        db_table = "leads_lead"
