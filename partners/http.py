"""Where a form sends the person back to."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, *fallback_args, **fallback_kwargs):
    """To the page in the form's `next` field (a path of this site, e.g. the overview that
    decided in place), else to the fallback (arguments as for `redirect`)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(*fallback_args, **fallback_kwargs)
