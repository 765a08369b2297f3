"""Password hashes: Argon2id (argon2-cffi), older werkzeug hashes (scrypt, pbkdf2)
still accepted and replaced on the next successful sign-in. An unknown account is
verified against a dummy hash, so it costs the same time as a known one."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash


def _hasher():
    ext = current_app.extensions
    if "argon2" not in ext:
        ext["argon2"] = PasswordHasher(**current_app.config["ARGON2_PARAMETERS"])
    return ext["argon2"]


def hash_password(password):
    return _hasher().hash(password)


def verify(stored, password):
    """(right, needs_rehash) for the password against the stored hash."""
    hasher = _hasher()
    if stored.startswith("$argon2"):
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False, False
        return True, hasher.check_needs_rehash(stored)
    try:
        return check_password_hash(stored, password), True
    except ValueError:  # not a hash this app ever wrote
        return False, False


def burn(password):
    """Spend the time a real check takes, for an account that does not exist."""
    ext = current_app.extensions
    if "argon2_dummy" not in ext:
        ext["argon2_dummy"] = hash_password("dummy-password-for-timing")
    verify(ext["argon2_dummy"], password)
