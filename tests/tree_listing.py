#!/usr/bin/python3
"""A normalised, sorted listing of a directory tree, for comparing unpacked images.

usage: tree_listing.py DIR [--owners raw|drop|sub:UID:GID:BASE|squash:UID:GID] [--no-mtime]

One line per path below DIR (DIR itself is left out):
  path type mode owner detail
type: d dir, f file, l symlink, c/b device (major:minor), p fifo, s socket.
detail: file -> size, nlink, mtime, sha256; symlink -> target; device -> numbers.
owners:
  raw                 uid:gid as on disk
  drop                '-' (compare everything but owners)
  sub:U:G:BASE        host U/G -> 0, host id >= BASE -> id-BASE+1 (a subuid mapping)
  squash:U:G          every owner must be U:G; printed as '-'; exit 1 listing offenders
--no-mtime leaves file mtimes out (two builders give files created by RUN their
own times).
"""
import hashlib
import os
import stat
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def main():
    argv = [a for a in sys.argv if a != "--no-mtime"]
    no_mtime = len(argv) != len(sys.argv)
    root = argv[1]
    owners = argv[3] if len(argv) > 3 and argv[2] == "--owners" else "raw"
    kind, *args = owners.split(":")
    args = [int(a) for a in args]
    bad = []

    def owner(path, st):
        if kind == "raw":
            return "%d:%d" % (st.st_uid, st.st_gid)
        if kind == "drop":
            return "-"
        if kind == "squash":
            if (st.st_uid, st.st_gid) != (args[0], args[1]):
                bad.append("%s owned by %d:%d, expected %d:%d" % (path, st.st_uid, st.st_gid, args[0], args[1]))
            return "-"
        u, g, base = args

        def m(i, own):
            if i == own:
                return "0"
            if i >= base:
                return str(i - base + 1)
            return "UNMAPPED(%d)" % i
        return "%s:%s" % (m(st.st_uid, u), m(st.st_gid, g))

    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            mode = "%04o" % stat.S_IMODE(st.st_mode)
            if stat.S_ISDIR(st.st_mode):
                t, detail = "d", ""
            elif stat.S_ISREG(st.st_mode):
                t = "f"
                mtime = "" if no_mtime else " mtime=%d" % int(st.st_mtime)
                detail = "size=%d nlink=%d%s sha256=%s" % (
                    st.st_size, st.st_nlink, mtime, sha256(full))
            elif stat.S_ISLNK(st.st_mode):
                t, mode, detail = "l", "-", "-> " + os.readlink(full)
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                t = "c" if stat.S_ISCHR(st.st_mode) else "b"
                detail = "%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
            elif stat.S_ISFIFO(st.st_mode):
                t, detail = "p", ""
            else:
                t, detail = "s", ""
            lines.append("%s %s %s %s %s" % (rel, t, mode, owner(rel, st), detail))
    sys.stdout.write("".join(sorted(l.rstrip() + "\n" for l in lines)))
    if bad:
        sys.stderr.write("\n".join(bad) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
