"""The client's address: the one function sign-in lockout, survey rate limits and abuse flags all use.

Without a proxy (`SKM_TRUSTED_PROXY_COUNT` = 0) it is REMOTE_ADDR and nothing the client sends is trusted.
Behind N trusted proxies (nginx: 1) each proxy appends the address it saw to X-Forwarded-For, so the
client is the N-th entry from the right; anything to the left of it was written by the client and is
ignored. django-ipware does the parsing (IPv6, ports, junk entries); its `proxy_count` counts the
proxies *inside* the header, which is one fewer than ours because the last proxy is REMOTE_ADDR.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as a string, or "" when the request carries none we can use."""
    proxies = settings.SKM_TRUSTED_PROXY_COUNT
    if proxies > 0:
        ip, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if ip:
            return ip
    # A missing or too short header behind a proxy falls back to the proxy's own address: one shared
    # identity is safer than trusting what the client wrote.
    ip, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return ip or ""
