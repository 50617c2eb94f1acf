from django.db.models import F, Q
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError

from peer.models import Lead, Membership

SORTS = {
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "score": "score",
    "lastName": "last_name",
    "company": "company",
    "nextFollowUp": "next_follow_up",
    "estimatedValue": "estimated_value_minor",
    "status": "status",
}
SEARCHED = ("first_name", "last_name", "email", "company")


class IsOrgMember(permissions.BasePermission):
    """The caller's membership of the organisation in the URL, read on every request."""

    def has_permission(self, request, view):
        member = Membership.objects.filter(organization_id=view.kwargs["org_id"], user_id=request.user.id).exists()
        if not member:
            raise NotFound("Organisation not found.")
        return True


class LeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = "__all__"


class LeadList(generics.ListAPIView):
    serializer_class = LeadSerializer
    permission_classes = [permissions.IsAuthenticated, IsOrgMember]

    def get_queryset(self):
        p = self.request.query_params
        qs = Lead.objects.filter(organization_id=self.kwargs["org_id"], archived_at__isnull=True)
        statuses = [s.strip() for item in p.getlist("status") for s in item.split(",") if s.strip()]
        if statuses:
            qs = qs.filter(status__in=statuses)
        if p.get("ownerId"):
            qs = qs.filter(owner_id=p["ownerId"])
        if p.get("source"):
            qs = qs.filter(source=p["source"])
        if p.get("tag"):
            qs = qs.filter(tags__contains=[p["tag"].strip().lower()])
        for word in (p.get("q") or "").split()[:5]:
            match = Q()
            for column in SEARCHED:
                match |= Q(**{f"{column}__icontains": word})
            qs = qs.filter(match)
        if p.get("createdFrom"):
            qs = qs.filter(created_at__gte=p["createdFrom"])
        if p.get("createdTo"):
            qs = qs.filter(created_at__lte=p["createdTo"])
        if p.get("scoreMin"):
            qs = qs.filter(score__gte=int(p["scoreMin"]))
        if p.get("followUpBefore"):
            qs = qs.filter(next_follow_up__lt=p["followUpBefore"])
        sort = p.get("sort") or "-createdAt"
        field = SORTS.get(sort.removeprefix("-"))
        if field is None:
            raise ValidationError({"sort": "unknown sort key"})
        if sort.startswith("-"):
            return qs.order_by(F(field).desc(nulls_first=True), "-id")
        return qs.order_by(F(field).asc(nulls_last=True), "id")
