"""Every link on the public board is built here.

The board sets no cookie, so the reader's choice of 长辈版 (large type, one column, the
key actions first) travels in the URL as `?mode=elder`, and each link on a page keeps
it. The query string is part of the public cache's key (`cache.cached`), so the two
versions of a page are cached, and get their ETags, apart.

`url()` is the one helper templates and views call for a public link; `absolute()` is
its full-URL form for QR codes and print (never in 长辈版: paper is read by everyone).
A community's pages live under its street, `/public/<street_slug>/<community_slug>/…`:
pass the community (`url("public.notice", community, notice_id=…)`) and both parts are
filled in here; `street_url()` names a street's own page. Old single-street URLs redirect
(`redirects.py`)."""
from flask import current_app, request, url_for

MODE_ARG = "mode"
ELDER = "elder"


def is_elder():
    """Whether this request asked for 长辈版."""
    return request.args.get(MODE_ARG) == ELDER


def _place(community, values):
    """Fill the street and community parts of a community page's URL."""
    if community is not None:
        values.setdefault("street", community.street.slug)
        values.setdefault("slug", community.slug)
    return values


def url(endpoint, community=None, **values):
    """A board link that keeps the reader's mode; `mode=None` drops it (the standard board).
    `community`: the community whose page it is (its street and slug go into the URL)."""
    _place(community, values)
    if MODE_ARG not in values and is_elder():
        values[MODE_ARG] = ELDER
    return url_for(endpoint, **values)


def mode_fields():
    """The hidden form field a GET form (search, receipt lookup) carries to keep the mode."""
    return {MODE_ARG: ELDER} if is_elder() else {}


def switch(elder):
    """This page in the other mode: same endpoint, path and query, mode set or dropped."""
    # Only the page's own arguments: url_for reads names starting with "_" (_external,
    # _scheme, _anchor) as its own, so a crafted query must not reach it as one.
    args = {k: v for k, v in request.args.items() if not k.startswith("_") and k != MODE_ARG}
    if elder:
        args[MODE_ARG] = ELDER
    if request.endpoint is None or request.url_rule is None:  # a 404 page: back to the board's front
        return url_for("public.index", **({MODE_ARG: ELDER} if elder else {}))
    return url_for(request.endpoint, **{**args, **(request.view_args or {})})


def street_url(street, **values):
    """A street's own board page (its communities and the district's selections)."""
    return url("public.street", street=street.slug, **values)


def absolute(endpoint, community=None, **values):
    """A full URL for QR codes and print: PUBLIC_BASE_URL when set, else this host."""
    _place(community, values)
    values[MODE_ARG] = None
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def init_app(app):
    """Make the helpers available to every template (the public 404 page is rendered
    outside the blueprint too)."""
    app.add_template_global(url, "public_url")
    app.add_template_global(street_url, "public_street_url")
    app.add_template_global(is_elder, "is_elder")
    app.add_template_global(switch, "mode_switch_url")
    app.add_template_global(mode_fields, "mode_fields")
