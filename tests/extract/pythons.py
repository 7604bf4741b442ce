#!/usr/bin/env python3
"""Runs a differential test script once with each Python it finds among
3.11, 3.12 and 3.13, and says which ran and which were skipped.

Usage: pythons.py SCRIPT ARGS...
Each Python is looked for as `pythonX.Y`, as `python3`, and as a pyenv
version ($PYENV_ROOT/versions/X.Y.Z/bin/python3, the newest X.Y.Z
installed). Exit 0
when every Python found passed, 1 when one failed, 77 (skipped) when none
of them is on this machine.
"""
import os
import shutil
import subprocess
import sys

VERSIONS = ["3.11", "3.12", "3.13"]


def version_of(cmd, env):
    try:
        r = subprocess.run(cmd + ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, env=env, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def pyenv_versions():
    """The X.Y.Z versions pyenv has installed, newest first."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    try:
        names = os.listdir(os.path.join(root, "versions"))
    except OSError:
        return []
    found = []
    for v in names:
        parts = v.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            found.append((tuple(int(p) for p in parts),
                          os.path.join(root, "versions", v, "bin", "python3")))
    return sorted(found, reverse=True)


def find(version, installed):
    """(description, command, environment) of a Python `version`, or None."""
    base = dict(os.environ)
    base.pop("PYENV_VERSION", None)
    tries = [(f"python{version}", [f"python{version}"], base),
             ("python3", ["python3"], base)]
    for v, exe in installed:
        if "%d.%d" % v[:2] == version:
            tries.append((f"pyenv {'%d.%d.%d' % v} ({exe})", [exe], base))
    for desc, cmd, env in tries:
        if (shutil.which(cmd[0], path=env.get("PATH")) or os.access(cmd[0], os.X_OK)) \
                and version_of(cmd, env) == version:
            return desc, cmd, env
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    installed = pyenv_versions()
    ran, skipped, failed = [], [], []
    for v in VERSIONS:
        py = find(v, installed)
        if not py:
            skipped.append(v)
            print(f"--- Python {v}: not found, skipped")
            continue
        desc, cmd, env = py
        print(f"--- Python {v}: {desc}", flush=True)
        r = subprocess.run(cmd + sys.argv[1:], env=env)
        ran.append(v)
        if r.returncode != 0:
            failed.append(v)
    print(f"ran: {', '.join(ran) or 'none'}; skipped: {', '.join(skipped) or 'none'}; "
          f"failed: {', '.join(failed) or 'none'}")
    if not ran:
        return 77
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
