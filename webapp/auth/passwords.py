"""The password rules, with no database and no Flask: tested directly.

At least N characters, M of the four character classes, not the account name, not
among common passwords (zxcvbn's list of the 30,000 most common, plus the Chinese
favourites in common_passwords_zh.txt)."""
import string
from functools import lru_cache
from pathlib import Path

CLASSES = (
    ("小写字母", lambda ch: ch in string.ascii_lowercase),
    ("大写字母", lambda ch: ch in string.ascii_uppercase),
    ("数字", lambda ch: ch.isdigit()),
    ("符号", lambda ch: not ch.isalnum()),
)


@lru_cache(maxsize=1)
def common_passwords():
    """Lower-cased common passwords (loaded once)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = set(FREQUENCY_LISTS["passwords"])
    text = (Path(__file__).with_name("common_passwords_zh.txt")).read_text(encoding="utf-8")
    words.update(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return frozenset(words)


def class_count(password):
    return sum(1 for _, test in CLASSES if any(test(ch) for ch in password))


def problems(password, username="", min_length=8, min_classes=3):
    """What is wrong with `password`, as Chinese sentences (empty: acceptable)."""
    out = []
    if len(password) < min_length:
        out.append(f"密码至少 {min_length} 位。")
    if class_count(password) < min_classes:
        out.append(f"密码须包含大写字母、小写字母、数字、符号中的至少 {min_classes} 类。")
    lowered = password.lower()
    if username and username.lower() in lowered:
        out.append("密码不能包含账号名。")
    # A common password stays common with one or two characters added at the end.
    if any(candidate in common_passwords() for candidate in {lowered, lowered[:-1], lowered[:-2]} if len(candidate) >= 6):
        out.append("这是常见密码，容易被猜中，请换一个。")
    return out
