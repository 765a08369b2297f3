"""/public/: the notice board residents read without signing in, the lobby display,
printable notices and the online red opinion box.

No page here reads the signed-in user or calls csrf_token() (so anonymous readers get no
session cookie), except the opinion form, which needs its CSRF token. GET pages go
through `cache.cached`: ETag/Last-Modified, 304s, rendered once per change."""
import base64
import hashlib
import os

from flask import Blueprint, abort, current_app, redirect, render_template, request
from sqlalchemy import select

from ..compounds.models import Compound
from ..extensions import db, limiter
from ..forms import page_arg
from ..notices import files as notice_files
from ..notices.markup import plain, render as render_body
from ..clock import local, local_now, utc_from_local
from ..notices.models import CATEGORIES, NoticeAttachment
from ..pdf import render_pdf
from ..paging import COUNT_CAP
from ..requests import services as requests_services
from ..requests.models import STATUSES as REQUEST_STATUSES
from . import board, cache, links, qr, redirects
from .links import absolute
from .forms import LookupForm, OpinionForm

bp = Blueprint("public", __name__, url_prefix="/public")
ARCHIVE_PAGE = 20
DISPLAY_SECONDS = 15
DISPLAY_WORDS = 360
DISPLAY_WORDS_LARGE = 80


@bp.errorhandler(404)
def not_found(e):
    return render_template("public/error.html", title="页面不存在",
                           message="您要找的公告或页面不存在，可能已到期或已撤下。"), 404


def _community_or_404(street, slug):
    """The community `slug` of the street `street` (both from the URL), else 404."""
    community = board.community_by_slug(street, slug)
    if community is None:
        abort(404)
    return community


@bp.route("/")
@cache.cached
def index():
    """The streets of the deployment, each with its communities."""
    streets = board.streets()
    single = streets[0] if len(streets) == 1 else None
    communities = single.communities if single else []
    return render_template("public/index.html", streets=streets, street=single, counts=board.street_counts(),
                           communities=communities,
                           compounds=board.compound_counts([c.id for c in communities])), None


@bp.route("/<street>/")
@cache.cached
def street(street):
    """A street's board: its communities and the district's published selections.
    `/public/<community_slug>/` of the single-street release lands here too and is sent
    on to the community (`redirects.py`)."""
    found = board.street_by_slug(street)
    if found is None:
        return redirects.old_community(street)
    communities = found.communities
    return render_template("public/street.html", street=found, communities=communities,
                           compounds=board.compound_counts([c.id for c in communities]),
                           selections=board.selections(found)), None


@bp.route("/<street>/<slug>/")
@cache.cached
def community(street, slug):
    community = _community_or_404(street, slug)
    groups, more = board.board_groups(community)
    compound_q = request.args.get("xq", "").strip()[:40]
    compounds, more_compounds = board.compound_list(community, q=compound_q or None)
    return render_template(
        "public/community.html", community=community, street=community.street,
        groups=groups, totals=more, categories=CATEGORIES, resolutions=board.resolutions(community, limit=10),
        ranking=board.latest_ranking(community.street), compounds=compounds, more_compounds=more_compounds,
        compound_q=compound_q, selections=board.selections(community.street),
    ), board.last_change(community)


@bp.route("/<street>/<slug>/<int:compound_id>/")
@cache.cached
def compound(street, slug, compound_id):
    community = _community_or_404(street, slug)
    compound = db.session.scalar(select(Compound).where(Compound.id == compound_id, Compound.community_id == community.id))
    if compound is None:
        abort(404)
    groups, more = board.board_groups(community, compound)
    ranking = board.latest_ranking(community.street)
    company_rows = []
    if ranking is not None and compound.company is not None:
        company_rows = [row for row in ranking.rows if _field(row, "company_name") == compound.company.name]
    return render_template(
        "public/compound.html", community=community, compound=compound, street=community.street,
        groups=groups, totals=more, categories=CATEGORIES,
        resolutions=board.resolutions(community, compound, limit=10), ranking=ranking, company_rows=company_rows,
        stewards=board.stewards(compound), committees=compound.committees,
        request_month=_request_month(compound),
    ), board.last_change(community, compound)


def _request_month(compound):
    """Last month's requests at the compound in aggregate (三公开: received, resolved,
    satisfaction; no single request). A finished month, so the cached page stays true."""
    from ..requests import stats as request_stats

    today = local_now().date()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return dict(request_stats.compound_month(compound.id, year, month), year=year, month=month)


@bp.route("/<street>/<slug>/archive")
@cache.cached
def archive(street, slug):
    """Every notice the board has carried, searchable, paged: live ones and expired ones
    (marked 已过期); never withdrawn ones (the front page shows the newest live ones)."""
    community = _community_or_404(street, slug)
    q = request.args.get("q", "").strip()[:40]
    category = request.args.get("category", "")
    if category not in CATEGORIES:
        category = ""
    page = page_arg(request.args)
    upto = page * ARCHIVE_PAGE + COUNT_CAP + 1
    total = board.count_live(community, category=category or None, q=q or None, expired=True, upto=upto)
    notices = board.live_notices(community, category=category or None, q=q or None, expired=True,
                                 limit=ARCHIVE_PAGE, offset=(page - 1) * ARCHIVE_PAGE)
    return render_template("public/archive.html", community=community, street=community.street, notices=notices, q=q,
                           category=category, categories=CATEGORIES, page=page, total=total,
                           page_size=ARCHIVE_PAGE, capped=total >= upto), board.last_change(community)


def _field(row, name):
    """Ranking rows may be dicts or objects."""
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def _live_or_404(community, notice_id, expired=False):
    notice = board.live_notice(community, notice_id, expired=expired)
    if notice is None:
        abort(404)
    return notice


@bp.route("/<street>/<slug>/notices/<int:notice_id>")
@cache.cached
def notice(street, slug, notice_id):
    community = _community_or_404(street, slug)
    item = _live_or_404(community, notice_id, expired=True)
    url = absolute("public.notice", community, notice_id=item.id)
    return render_template("public/notice.html", community=community, street=community.street, notice=item,
                           body=render_body(item.body), summary=plain(item.body, 80), qr=qr.png_data_uri(url),
                           url=url), _changed(item)


def _changed(item):
    return max(item.updated_at, utc_from_local(item.publish_at))


@bp.route("/<street>/<slug>/notices/<int:notice_id>.pdf")
@cache.cached
def notice_pdf(street, slug, notice_id):
    """The notice on A4 for the paper board, with a QR code to its live page."""
    community = _community_or_404(street, slug)
    item = _live_or_404(community, notice_id)
    url = absolute("public.notice", community, notice_id=item.id)
    images = []
    for att in item.attachments:
        if att.is_image and att.size <= 3 * 1024 * 1024:
            try:
                with open(notice_files.path_of(att), "rb") as fh:
                    images.append((att.filename, f"data:{att.mime};base64,{base64.b64encode(fh.read()).decode('ascii')}"))
            except OSError:
                pass
    data = render_pdf("public/notice_pdf.html", community=community, street=community.street, notice=item,
                      body=render_body(item.body), qr=qr.pdf_data_uri(url), url=url, images=images,
                      printed_at=local_now())
    return data, _changed(item), "application/pdf"


@bp.route("/<street>/<slug>/notices/<int:notice_id>/files/<int:attachment_id>")
def notice_file(street, slug, notice_id, attachment_id):
    community = _community_or_404(street, slug)
    item = _live_or_404(community, notice_id, expired=True)
    att = db.session.scalar(select(NoticeAttachment).where(NoticeAttachment.id == attachment_id,
                                                          NoticeAttachment.notice_id == item.id))
    if att is None or not os.path.isfile(notice_files.path_of(att)):
        abort(404)
    return notice_files.send(att, public=True)


# --- lobby display ------------------------------------------------------------------

def _slides(community):
    """Everything the lobby screen rotates through: live notices, then resolutions and
    the latest ranking. Each slide has a stable key. In large type a slide carries about
    half the words, so it still fits the screen."""
    words = DISPLAY_WORDS_LARGE if links.is_elder() else DISPLAY_WORDS
    slides = []
    for n in board.live_notices(community, limit=40):
        slides.append({
            "key": f"n{n.id}", "kind": n.category_label, "title": n.title, "text": plain(n.body, words),
            "scope": n.compound.name if n.compound else "", "posted": n.publish_at, "until": n.expires_at,
            "pinned": n.pinned, "stamp": f"{n.updated_at:%Y%m%d%H%M%S%f}",
        })
    for r in board.resolutions(community, limit=6):
        meeting = r.meeting
        slides.append({
            "key": f"r{r.id}", "kind": "议事决议", "title": getattr(meeting, "title", "会议决议"),
            "text": plain(r.text, words), "scope": "", "posted": local(meeting.approved_at) if meeting.approved_at else meeting.starts_at,
            "until": None, "pinned": False, "stamp": str(getattr(meeting, "approved_at", "")),
        })
    ranking = board.latest_ranking(community.street)
    if ranking is not None:
        slides.append({
            "key": "k", "kind": "考核结果", "title": f"{ranking.title}物业服务考核排名",
            "rows": list(getattr(ranking, "rows", []))[:5 if links.is_elder() else 8], "text": "", "scope": "",
            "posted": local(ranking.published_at), "until": None, "pinned": False,
            "stamp": f"{ranking.quarter}{getattr(ranking, 'published_at', '')}",
        })
    return slides


def _version(slides):
    raw = "|".join(f"{s['key']}:{s['stamp']}" for s in slides)
    return hashlib.blake2b(raw.encode(), digest_size=5).hexdigest()


def _every():
    value = request.args.get("every", DISPLAY_SECONDS, type=int) or DISPLAY_SECONDS
    return min(max(value, 3), 300)


@bp.route("/<street>/<slug>/display")
@cache.cached
def display(street, slug):
    """Full screen for a lobby: large type, one notice at a time, refreshed by HTMX."""
    community = _community_or_404(street, slug)
    slides = _slides(community)
    return render_template(
        "public/display.html", community=community, street=community.street, slides=slides, slide=slides[0] if slides else None,
        version=_version(slides), every=_every(), show_store=True,
        board_qr=qr.png_data_uri(absolute("public.community", community), scale=4),
        opinion_qr=qr.png_data_uri(absolute("public.opinion", community), scale=4),
    ), board.last_change(community)


@bp.route("/<street>/<slug>/display/next")
@cache.cached
def display_next(street, slug):
    """The refresh fragment: the slide after `after`; the list and the offline store
    come along (out of band) only when the board changed since version `v`."""
    community = _community_or_404(street, slug)
    slides = _slides(community)
    after = request.args.get("after", "")
    keys = [s["key"] for s in slides]
    index = (keys.index(after) + 1) % len(keys) if after in keys else 0
    version = _version(slides)
    return render_template(
        "public/_display_slide.html", community=community, slides=slides, slide=slides[index] if slides else None,
        version=version, every=_every(), changed=request.args.get("v") != version,
    ), board.last_change(community)


# --- the online red opinion box -----------------------------------------------------

def _opinion_form(community):
    form = OpinionForm()
    form.compound.choices = [("", "请选择小区")] + [(str(c.id), c.name) for c in board.compounds_of(community)] + [("other", "其他 / 不确定")]
    return form


@bp.route("/<street>/<slug>/opinion", methods=["GET", "POST"])
def opinion(street, slug):
    """Leave an opinion; answers with a receipt number. The only public page with a
    session cookie (its CSRF token)."""
    community = _community_or_404(street, slug)
    form = _opinion_form(community)
    status = 200
    address = request.remote_addr or "?"
    if request.method == "POST":
        status = 422
        if requests_services.is_limited(address):
            form.form_errors.append("提交过于频繁：同一网络 10 分钟内最多提交 5 条意见。请稍后再试，或拨打社区电话反映。")
            status = 429
        elif form.website.data:
            requests_services.note_post(address)
            db.session.commit()
            form.form_errors.append("提交未被接受：表单中有不应填写的内容。请刷新页面后重新填写。")
            status = 400
        elif form.validate_on_submit():
            if not form.compound.data:
                form.compound.errors.append("请选择所在小区（不确定可选“其他”）。")
            else:
                compound = None
                if form.compound.data != "other":
                    compound = db.session.get(Compound, int(form.compound.data))
                name = None if links.is_elder() else form.name.data
                req = requests_services.submit_opinion(community, compound, form.text.data, name,
                                                       form.phone.data, address)
                db.session.commit()
                return redirect(links.url("public.opinion_status", community, receipt=req.receipt_no, new=1), code=303)
    return render_template("public/opinion.html", community=community, street=community.street, form=form,
                           fields=_opinion_fields(form), limit=requests_services.RATE_LIMIT), status


def _opinion_fields(form):
    """The fields the page asks for: 长辈版 asks only what the community needs to act (the
    compound, what is wrong, a phone to call back); a 称呼 can be given on the phone."""
    if links.is_elder():
        return (form.compound, form.text, form.phone)
    return (form.compound, form.text, form.name, form.phone)


@bp.route("/<street>/<slug>/opinion/status")
@limiter.limit(lambda: current_app.config["RECEIPT_LOOKUP_LIMIT"], scope="receipt-lookup",
               exempt_when=lambda: not request.args.get("receipt"))  # lookups per address: no guessing receipts
def opinion_status(street, slug):
    """Look up an opinion by its receipt number: its state and the community's public
    reply only (not what was written, nor name or phone)."""
    community = _community_or_404(street, slug)
    form = LookupForm(request.args)
    found = None
    searched = bool(request.args.get("receipt"))
    if searched and form.validate():
        found = requests_services.find_by_receipt(community, form.receipt.data)
    return _status_page(community, form, found, searched)


def _status_page(community, form, found, searched, answer_form=None, message=None, status=None):
    """The receipt page: the request's state (a duplicate shows its original's progress),
    its public timeline (steps and dates, no names), and the resident's 回访 and 催办."""
    from ..requests import public as requests_public

    context = requests_public.receipt_context(found, answer_form) if found is not None else {}
    response = render_template("public/opinion_status.html", community=community, street=community.street, form=form,
                               found=found, searched=searched, new=request.args.get("new") == "1",
                               statuses=REQUEST_STATUSES, message=message, done=request.args.get("done", ""), **context)
    return response, status or (404 if searched and found is None else 200)


@bp.route("/<street>/<slug>/opinion/status/<action>", methods=["POST"])
@limiter.limit(lambda: current_app.config["RECEIPT_LOOKUP_LIMIT"], scope="receipt-lookup")
def opinion_answer(street, slug, action):
    """The resident answers 回访 (满意 / 基本满意 / 不满意: 不满意 reopens it) or chases it
    (催办, once a day) on the receipt page."""
    from ..requests import public as requests_public

    community = _community_or_404(street, slug)
    if action not in ("visit", "chase"):
        abort(404)
    form = LookupForm(request.form)
    found = requests_services.find_by_receipt(community, form.receipt.data) if form.validate() else None
    if found is None:
        return _status_page(community, form, None, True, status=422)
    answer_form, message, ok = requests_public.answer(found, action)
    if ok:
        return redirect(links.url("public.opinion_status", community, receipt=found.receipt_no, done=action), code=303)
    return _status_page(community, form, found, True, answer_form=answer_form, message=message, status=422)


redirects.register(bp)
