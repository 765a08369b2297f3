"""Background jobs: long work (batch score sheets, large exports, stored documents, the
morning's scheduled work) runs on a Huey queue, not in the HTTP request.

- `queue.py`: the Huey instance (SQLite under instance/ by default, Redis when REDIS_URL
  is set), the one task that runs a job, the consumer (`flask jobs-worker`, or a thread of
  the dev server), and the morning's periodic tasks.
- `models.py`: `Job`, what the clerk sees — who started it, progress, result, error.
- `services.py`: starting, running, retrying and expiring jobs.
- `views.py`: `/jobs/` and `/jobs/<id>` with its progress bar.
"""
