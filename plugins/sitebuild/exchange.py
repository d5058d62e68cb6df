"""Swap two folders in one step: Linux's ``renameat2(RENAME_EXCHANGE)``.

With it, ``output/`` is at every instant either the whole old site or the whole new one (and the
search generation its ``search-generation.txt`` names moves with it).  Where the call is missing
(another kernel or C library) ``exchange`` returns False and the caller falls back to two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: os.PathLike, second: os.PathLike) -> bool:
    """Atomically swap the two existing paths; False when the system cannot (nothing changed)."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), os.fspath(first), None, os.fspath(second))
