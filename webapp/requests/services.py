"""Residents' requests: intake (receipt numbers, the opinion box's rate limit) and handling."""
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from ..clock import local_today, utcnow
from ..extensions import db
from .models import PublicPost, ResidentRequest

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)


def new_receipt_no():
    """YJ + date + four characters that are hard to misread: YJ20261123-7K3Q."""
    for _ in range(20):
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4))
        receipt = f"YJ{local_today():%Y%m%d}-{code}"
        if not db.session.scalar(select(ResidentRequest.id).where(ResidentRequest.receipt_no == receipt)):
            return receipt
    raise RuntimeError("could not find a free receipt number")


def posts_from(address, kind="opinion", window=RATE_WINDOW):
    since = utcnow() - window
    return db.session.scalar(
        select(func.count(PublicPost.id)).where(PublicPost.address == address, PublicPost.kind == kind, PublicPost.at >= since)
    ) or 0


def is_limited(address, kind="opinion", limit=RATE_LIMIT):
    return posts_from(address, kind) >= limit


def note_post(address, kind="opinion"):
    """Count a post against its address; rows older than a day are no longer needed."""
    db.session.execute(delete(PublicPost).where(PublicPost.at < utcnow() - timedelta(days=1)))
    db.session.add(PublicPost(address=address[:64], kind=kind))


def submit_opinion(community, compound, text, name, phone, address):
    """Store an online opinion as a resident request in the community's inbox."""
    note_post(address)
    req = ResidentRequest(
        receipt_no=new_receipt_no(), source="online_box", community_id=community.id,
        compound_id=compound.id if compound else None, text=text, name=name or "", phone=phone or "",
        status="received",
    )
    db.session.add(req)
    db.session.flush()
    return req


def find_by_receipt(community, receipt):
    return db.session.scalar(
        select(ResidentRequest).where(ResidentRequest.community_id == community.id,
                                      ResidentRequest.receipt_no == receipt.upper())
    )


def handle(item, data):
    """Staff's handling of a request: its status and the reply residents see with the
    receipt number. The first time it is resolved or closed stamps `handled_at`."""
    item.status = data["status"]
    item.public_reply = data.get("public_reply") or ""
    if item.status in ("resolved", "closed") and item.handled_at is None:
        item.handled_at = utcnow()
    db.session.flush()
    return item
