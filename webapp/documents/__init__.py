"""Printed documents that never change: rendered once when final, stored, served from
storage afterwards, and verifiable for ever at the public `/verify/<code>`.

- `models.py`: `StoredDocument` — one final version of one document, its file and SHA-256.
- `services.py`: issuing (render, stamp with the code and QR, store), serving (ETag/304).
- `kinds.py`: what each kind of document is (today: approved minutes).
- `views.py`: `/verify/<code>`, public, no sign-in.
"""
