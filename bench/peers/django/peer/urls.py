from django.http import JsonResponse
from django.urls import path

from peer.views import LeadList


def live(_request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health/live", live),
    path("api/v1/orgs/<uuid:org_id>/leads", LeadList.as_view()),
]
