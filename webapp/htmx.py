"""HTMX in one place: is this request HTMX's, answer with a page or its fragment, redirect.

A URL that answers HTMX with a fragment and a browser with a whole page says so with
`Vary: HX-Request` (installed by `init_app`), so no cache hands one the other's answer."""
from flask import make_response, redirect, render_template, request

HEADER = "HX-Request"


def is_htmx():
    """True for a request HTMX made (it sends `HX-Request: true`); boosted links count too."""
    return request.headers.get(HEADER) == "true"


def page_or_fragment(page, fragment, status=200, **context):
    """Render `fragment` for HTMX and `page` otherwise, from the same context."""
    return render_template(fragment if is_htmx() else page, **context), status


def redirect_to(url):
    """Go to `url`: HTMX follows `HX-Redirect` with a whole page load; a browser gets a 303."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def init_app(app):
    @app.after_request
    def vary_on_htmx(response):
        """Pages (every GET) and HTMX answers vary with the header that chooses between them."""
        if request.headers.get(HEADER) is not None or request.method == "GET":
            vary = response.headers.get("Vary", "")
            if HEADER not in vary:
                response.headers["Vary"] = (vary + ", " + HEADER).lstrip(", ")
        return response
