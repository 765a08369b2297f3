"""Page weight of the public board as a phone downloads it: each public page's HTML
uncompressed, gzip and brotli (as Flask-Compress serves them), in the standard board and
in 长辈版, and the stylesheet. Target: the community page's first response ≤ 30 KB
compressed (tests/public/test_residents_side.py checks that figure with gzip).

    .venv/bin/python bench/public_weight.py
"""
from assessment_common import make_app


def main():
    app = make_app()
    from sqlalchemy import select

    from webapp.compounds.models import Compound
    from webapp.extensions import db
    from webapp.notices.models import Notice

    compound = db.session.scalar(select(Compound).where(Compound.name == "珠海一区"))
    notice = db.session.scalar(select(Notice).where(Notice.title == "珠海一区物业服务收费标准"))
    pages = ["/public/", "/public/yinzhu/shuangzhu/", f"/public/yinzhu/shuangzhu/{compound.id}/", "/public/yinzhu/shuangzhu/archive",
             f"/public/yinzhu/shuangzhu/notices/{notice.id}", "/public/yinzhu/shuangzhu/opinion"]
    client = app.test_client()
    print(f"{'page':44} {'raw':>8} {'gzip':>8} {'br':>8}")
    for path in pages:
        for url in (path, path + "?mode=elder"):
            sizes = [len(client.get(url, headers={"Accept-Encoding": enc} if enc else {}).data)
                     for enc in ("", "gzip", "br")]
            print(f"{url:44} {sizes[0]:>8} {sizes[1]:>8} {sizes[2]:>8}")
    for url in ("/static/css/public.css",):
        sizes = [len(client.get(url, headers={"Accept-Encoding": enc} if enc else {}).data) for enc in ("", "br")]
        print(f"{url:44} {sizes[0]:>8} {'':>8} {sizes[1]:>8}")


if __name__ == "__main__":
    main()
