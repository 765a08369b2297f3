"""Photos recorded with a request are checked by content (JPEG/PNG), within the size
limit, turned upright and stored without any metadata, GPS included: proved by reading
the stored file back."""
import io
import os

from PIL import Image
from sqlalchemy import func, select

from rq_helpers import latest, record
from webapp.extensions import db
from webapp.requests.models import RequestPhoto, ResidentRequest


def _jpeg_with_gps():
    """A 40×20 JPEG whose EXIF says "rotate 90°" and carries a GPS position and a camera."""
    img = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW to view
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 5.0, 30.0), 3: "E", 4: (120.0, 22.0, 10.0)}  # GPS IFD
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), comment=b"home address here")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the original really has GPS
    return data


def _png_with_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Location", "36.0N 120.3E")
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_stored_photos_are_upright_and_carry_no_metadata(app, client, auth, fresh_demo):
    auth.login("grid_worker")
    r = record(client, "珠海一区", "漏水", "3号楼楼顶漏水，墙面发霉。",
               photos=[(io.BytesIO(_jpeg_with_gps()), "IMG_0001.JPG"), (io.BytesIO(_png_with_text()), "p.png")])
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    item = latest()
    photos = db.session.scalars(select(RequestPhoto).where(RequestPhoto.request_id == item.id).order_by(RequestPhoto.id)).all()
    assert [p.mime for p in photos] == ["image/jpeg", "image/png"]
    jpeg_path = os.path.join(app.config["UPLOAD_DIR"], "requests", photos[0].stored_name)
    raw = open(jpeg_path, "rb").read()
    stored = Image.open(io.BytesIO(raw))
    assert stored.size == (20, 40)  # turned upright by its orientation
    assert not stored.getexif() and "exif" not in stored.info and "comment" not in stored.info
    assert b"SecretCam" not in raw and b"home address" not in raw and b"Exif" not in raw
    png_raw = open(os.path.join(app.config["UPLOAD_DIR"], "requests", photos[1].stored_name), "rb").read()
    assert b"Location" not in png_raw and b"120.3E" not in png_raw
    # The photo is served to those who may read the request, and to nobody else.
    assert client.get(f"/requests/photos/{photos[0].id}").status_code == 200
    auth.logout()
    auth.login("jiyang_staff")
    assert client.get(f"/requests/photos/{photos[0].id}").status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(client, auth, fresh_demo):
    auth.login("grid_worker")
    before = db.session.scalar(select(func.count(ResidentRequest.id)))
    r = record(client, "珠海一区", "漏水", "楼道漏水需要维修。",
               photos=[(io.BytesIO(b"<html><script>alert(1)</script></html>"), "leak.jpg")])
    assert r.status_code == 422 and "不是 JPEG 或 PNG 文件（按文件内容判断）" in r.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count(ResidentRequest.id))) == before


def test_a_photo_over_the_size_limit_is_refused(app, client, auth, fresh_demo, monkeypatch):
    monkeypatch.setitem(app.config, "REQUEST_PHOTO_MAX_BYTES", 1024)
    auth.login("grid_worker")
    big = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(big, "JPEG", quality=95)
    r = record(client, "珠海一区", "漏水", "楼道漏水需要维修。", photos=[(io.BytesIO(big.getvalue()), "big.jpg")])
    assert r.status_code == 422 and "上限" in r.get_data(as_text=True)
