"""Plain-text hygiene shared by every renderer."""

from __future__ import annotations

import re

_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` with every kind of line break as a newline and without characters XML or a PDF cannot carry.

    Word's manual line break arrives as a vertical tab; JSON can deliver lone surrogates.
    """
    return _UNSAFE.sub("", _BREAKS.sub("\n", text))
