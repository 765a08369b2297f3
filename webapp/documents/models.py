"""One final version of one printed document: what it is, its verification code, its file.

Rows are only ever added: a correction is a new row with a higher `version` in the same
`lineage`, and the older row stays (superseded, still verifiable)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import utcnow


class StoredDocument(db.Model):
    __tablename__ = "stored_document"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "version", name="uq_stored_document_kind_subject_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    lineage: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(300))
    final_at: Mapped[datetime] = mapped_column()
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    @property
    def code_label(self):
        return f"{self.code[:4]}-{self.code[4:]}"

    def superseded_by(self):
        """The newest later version of the same document, or None."""
        return db.session.scalars(select(StoredDocument).where(
            StoredDocument.lineage == self.lineage, StoredDocument.version > self.version)
            .order_by(StoredDocument.version.desc()).limit(1)).first()
