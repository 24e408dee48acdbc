"""Load saved files under an address-space limit and report how each load ended.

    python load_in_subprocess.py CASES.json LIMIT_MIB

CASES.json is a list of ``{"path", "kind"}`` (kind: a key of `hostile_archives.LOADERS`,
or ``"allocate"``: allocate 2 GiB, a control showing that the limit holds).
The limit (``RLIMIT_AS``) is set once dlpath is imported, so that any load trying to
allocate beyond it fails. Each load gets a 10 s alarm. Prints one JSON object:
``{"results": [{"outcome", "message", "seconds"}], "peak_rss_mib"}``, where the outcome
is ``"loaded"``, ``"SaveFileError"`` or the name of any other exception.
"""

import json
import os
import resource
import signal
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hostile_archives import LOADERS  # noqa: E402

from dlpath.saving import SaveFileError  # noqa: E402


class Hang(BaseException):
    """A load that ran past its alarm."""


def _alarm(signum, frame):
    raise Hang("the load ran past its 10 s alarm")


def load(case) -> dict:
    start = time.perf_counter()
    signal.alarm(10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case["kind"] == "allocate":
                bytearray(2 << 30)
            else:
                LOADERS[case["kind"]](case["path"])
        outcome, message = "loaded", ""
    except SaveFileError as error:
        outcome, message = "SaveFileError", str(error)
    except BaseException as error:  # reported to the test, which fails on it
        outcome, message = type(error).__name__, str(error)[:2000]
    finally:
        signal.alarm(0)
    return {"outcome": outcome, "message": message, "seconds": time.perf_counter() - start}


def main() -> None:
    with open(sys.argv[1]) as file:
        cases = json.load(file)
    limit = int(sys.argv[2]) << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    results = [load(case) for case in cases]
    print(json.dumps({"results": results, "peak_rss_mib": _peak_rss_mib()}))


def _peak_rss_mib() -> float:
    """This process's own high-water mark of resident memory. (ru_maxrss is no use here:
    Linux carries it across fork and exec, so it would count the parent test process.)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
