"""Writing results safely: through a temporary file in the same folder, then an atomic rename.

This module sits at the bottom of ``experiments/``: every module that writes a result imports it, and it imports
nothing of the project but the input checks of :mod:`model.inputs`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from model.inputs import InputError


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through a temporary file in the same folder, then rename: never a truncated file.

    ``write`` receives the temporary path. A folder that cannot be made or written is an :class:`InputError`
    naming the path; the temporary file is removed whatever happens.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=path.suffix, dir=path.parent)
    except OSError as e:
        raise InputError(f"cannot write {str(path)!r}: {e.strerror or e}") from None
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; the result gets a normal file's mode
        os.replace(tmp, path)
    except IsADirectoryError:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write {str(path)!r}: it is a folder") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
