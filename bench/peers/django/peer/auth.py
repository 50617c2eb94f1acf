from rest_framework.authentication import TokenAuthentication

from peer.models import Token


class PeerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication (`Authorization: Bearer <key>`), read from the database on
    every request (select_related user, is_active checked), on the peer's token table."""

    keyword = "Bearer"
    model = Token
