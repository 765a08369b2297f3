"""A job as the clerk sees it: who started it, what, how far, and its result or error.

Huey carries only the job's id; this row is the truth the pages read. Rows are kept (the
job list is the clerk's history); the result file is deleted when it expires."""
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import utcnow

QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
STATES = {QUEUED: "排队中", RUNNING: "进行中", DONE: "已完成", FAILED: "失败", EXPIRED: "结果已过期"}
KEEP_RESULT = timedelta(days=7)


class Job(db.Model):
    __tablename__ = "job"
    # Progress is written many times a minute; the start is audited with record() instead.
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    unit: Mapped[str] = mapped_column(String(8), default="份")
    result_path: Mapped[Optional[str]] = mapped_column(String(300))
    result_name: Mapped[Optional[str]] = mapped_column(String(200))
    result_type: Mapped[Optional[str]] = mapped_column(String(100))
    result_size: Mapped[Optional[int]] = mapped_column(Integer)
    error: Mapped[Optional[str]] = mapped_column(Text)
    retry_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("job.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column()
    finished_at: Mapped[Optional[datetime]] = mapped_column()
    expires_at: Mapped[Optional[datetime]] = mapped_column(index=True)

    user = relationship("User")

    @property
    def state_label(self):
        return STATES.get(self.state, self.state)

    @property
    def is_active(self):
        return self.state in (QUEUED, RUNNING)

    def result_available(self, now=None):
        return (self.state == DONE and self.result_path is not None
                and (self.expires_at is None or self.expires_at > (now or utcnow())))

    def __repr__(self):
        return f"<Job {self.id} {self.kind} {self.state} {self.done}/{self.total}>"
