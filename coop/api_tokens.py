"""API keys: made and revoked by their user, kept as SHA-256 only, and read from `Authorization: Bearer <key>`."""

import hashlib
import secrets
from datetime import timedelta

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from coop.models import ApiToken

# The last-used time is written at most this often: a client reading page after page costs no write per request.
LAST_USED_PRECISION = timedelta(minutes=1)
# Keys a user may hold at once: enough for each system that reads the API, few enough to keep an overview.
MAX_ACTIVE_TOKENS = 10


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new key for `user`: the token row, and the key itself, which is shown once and kept nowhere."""
    key = ApiToken.KEY_PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
            raise exceptions.ValidationError(
                _("You already have %(count)s API keys; revoke one you no longer use first.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        token = ApiToken(
            user=user, name=name.strip(), prefix=key[: len(ApiToken.KEY_PREFIX) + 6], key_hash=hash_key(key)
        )
        token.full_clean()
        token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop the key working at once; it stays listed with the time it was revoked."""
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`): the request is the key's user's, seeing what they see."""

    KEYWORDS = (b"bearer", b"token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API key is not valid, or it was revoked.")) from None
        token = ApiToken.objects.active().select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API key is not valid, or it was revoked."))
        self._record_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

    @staticmethod
    def _record_use(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now


class ApiTokenRateThrottle(SimpleRateThrottle):
    """Requests per key (`DEFAULT_THROTTLE_RATES["api_token"]`); a session (the browsable docs) counts per user.

    Counted in the "shared" cache, which every application process reads (the database in production):
    in each process's own memory, three workers would let a key make three times its rate.
    """

    scope = "api_token"

    @property
    def cache(self):
        return caches["shared"]

    def get_rate(self):
        # Read at each request rather than once at import, as REST framework's class does: a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
