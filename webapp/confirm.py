"""Asking before a locking or publishing action, without JavaScript.

The action's button posts to its URL as before; without `confirm=1` the view answers
`ask(...)`: a page that says what the action will do and what is still missing, with a
确认 button that posts the same fields again with `confirm=1`, and a way back. Only
that second post acts. (The street office's separation of duties: nobody locks or
publishes by a single stray click.)"""
from flask import render_template, request


def confirmed():
    """Whether this POST is the confirmation of the action."""
    return request.form.get("confirm") == "1"


def ask(title, action, doing, missing=(), fields=None, back=None, button="确认", danger=False):
    """The confirmation page. `doing`: sentences of what happens; `missing`: what is not
    done yet (shown as warnings); `fields`: name → value posted along (e.g. a reason)."""
    return render_template("confirm.html", title=title, action=action, doing=list(doing), missing=list(missing),
                           fields=fields or {}, back=back or request.referrer, button=button, danger=danger)
