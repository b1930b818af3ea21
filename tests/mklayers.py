#!/usr/bin/python3
"""Write the uncompressed layer tars the test fixtures are made of.

usage: mklayers.py fixtures OUTDIR [BIG_MB]
       mklayers.py bench OUTFILE TOTAL_MB

Every tar is built entry by entry (python tarfile) so that the tests control
exactly what a layer holds: whiteouts, an opaque dir, hardlinks, symlinks,
set-uid bits, non-root owners, long (GNU and PAX) names.  mtimes are fixed so
the fixtures are reproducible.
"""
import io
import os
import random
import sys
import tarfile

MTIME = 1700000000
BUSYBOX = "/bin/busybox"
APPLETS = ["sh", "ls", "cat", "echo", "true", "false", "id", "env", "sleep"]


class Layer:
    def __init__(self, path, fmt):
        self.tar = tarfile.open(path, "w", format=fmt)

    def _info(self, name, kind, mode, uid=0, gid=0, mtime=MTIME):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mode = mode
        ti.uid, ti.gid = uid, gid
        ti.uname = ti.gname = ""
        ti.mtime = mtime
        return ti

    def dir(self, name, mode=0o755, uid=0, gid=0):
        self.tar.addfile(self._info(name, tarfile.DIRTYPE, mode, uid, gid))

    def file(self, name, data, mode=0o644, uid=0, gid=0, mtime=MTIME):
        if isinstance(data, str):
            data = data.encode()
        ti = self._info(name, tarfile.REGTYPE, mode, uid, gid, mtime)
        ti.size = len(data)
        self.tar.addfile(ti, io.BytesIO(data))

    def stream(self, name, size, fileobj, mode=0o644):
        ti = self._info(name, tarfile.REGTYPE, mode)
        ti.size = size
        self.tar.addfile(ti, fileobj)

    def symlink(self, name, target, uid=0, gid=0):
        ti = self._info(name, tarfile.SYMTYPE, 0o777, uid, gid)
        ti.linkname = target
        self.tar.addfile(ti)

    def hardlink(self, name, target):
        ti = self._info(name, tarfile.LNKTYPE, 0o644)
        ti.linkname = target
        self.tar.addfile(ti)

    def whiteout(self, name):
        d, b = os.path.split(name)
        self.file(os.path.join(d, ".wh." + b), b"", mode=0o600)

    def opaque(self, dirname):
        self.file(os.path.join(dirname, ".wh..wh..opq"), b"", mode=0o600)

    def close(self):
        self.tar.close()


def base(lay):
    """A busybox root: the single-layer fixture and layer 1 of the others."""
    for d in ["bin", "etc", "tmp", "opt", "opt/data", "opt/data/sub", "opt/gone",
              "usr", "usr/bin", "usr/share"]:
        lay.dir(d, 0o1777 if d == "tmp" else 0o755)
    with open(BUSYBOX, "rb") as f:
        lay.file("bin/busybox", f.read(), mode=0o755)
    for a in APPLETS:
        lay.symlink("bin/" + a, "busybox")
    lay.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n")
    lay.file("etc/group", "root:x:0:\nuser:x:1000:\n")
    lay.file("etc/motd", "layer one motd\n")
    lay.file("etc/hostname", "one\n")
    lay.file("opt/data/a", "a\n")
    lay.file("opt/data/b", "b\n")
    lay.file("opt/data/sub/c", "c\n")
    lay.file("opt/gone/x", "x\n")
    # a long name in layer 1 (GNU longname format: this tar is GNU_FORMAT)
    long_dir = "usr/share/" + "g" * 70
    lay.dir(long_dir)
    lay.file(long_dir + "/" + "n" * 60 + ".txt", "gnu long name\n")


def layer2(lay):
    """Deletes, replaces, links, odd modes and owners (PAX format)."""
    lay.dir("etc")
    lay.whiteout("etc/motd")                 # a file deleted
    lay.dir("opt")
    lay.whiteout("opt/gone")                 # a whole dir deleted
    lay.dir("opt/data")                      # a dir whose contents are replaced
    lay.opaque("opt/data")
    lay.file("opt/data/new", "replaced\n")
    lay.dir("usr")
    lay.dir("usr/share")
    lay.dir("usr/share/hl")
    lay.file("usr/share/hl/orig", "hardlinked content\n", mode=0o640)
    lay.hardlink("usr/share/hl/link", "usr/share/hl/orig")
    lay.symlink("usr/share/abs-link", "/bin/busybox")
    lay.symlink("usr/share/rel-link", "../../bin/busybox")
    lay.symlink("usr/share/dangling", "/nonexistent/target")
    lay.dir("usr/bin")
    lay.file("usr/bin/suid", "#!/bin/sh\necho suid\n", mode=0o4755)
    lay.file("usr/bin/sgid", "#!/bin/sh\necho sgid\n", mode=0o2755)
    lay.file("usr/bin/private", "secret\n", mode=0o600)
    lay.dir("home")
    lay.dir("home/user", 0o700, uid=1000, gid=1000)
    lay.file("home/user/file", "owned by 1000\n", uid=1000, gid=1000)
    lay.file("home/user/mixed", "owned by 1000:2000\n", mode=0o664, uid=1000, gid=2000)
    lay.symlink("home/user/link", "file", uid=1000, gid=1000)
    lay.file("home/user/empty", b"", uid=1000, gid=1000, mtime=1600000000)
    long_dir = "usr/share/long-" + "p" * 60 + "/" + "q" * 60
    lay.dir("usr/share/long-" + "p" * 60)
    lay.dir(long_dir)
    lay.file(long_dir + "/" + "r" * 80 + ".txt", "pax long name\n")
    lay.dir("var", 0o755)
    lay.dir("var/private", 0o700)


def layer3(lay):
    """Later layers win: overwrite, recreate a whited-out file, delete a layer-2 file."""
    lay.dir("etc")
    lay.file("etc/hostname", "three\n")
    lay.file("etc/motd", "layer three motd\n")
    lay.dir("usr")
    lay.dir("usr/bin")
    lay.whiteout("usr/bin/private")
    lay.dir("opt")
    lay.dir("opt/data")
    lay.file("opt/data/new2", "added after opaque\n")


def applets(lay):
    """Every applet of the host's busybox as a /bin symlink (the container tests'
    image: hostname, ip, touch, stat, kill, ... besides the base layer's few)."""
    import subprocess
    names = subprocess.run([BUSYBOX, "--list"], check=True, capture_output=True,
                           text=True).stdout.split()
    lay.dir("bin")
    for a in sorted(set(names) - set(APPLETS) - {"busybox"}):
        if "/" not in a:
            lay.symlink("bin/" + a, "busybox")


def arch(lay, name):
    lay.dir("etc")
    lay.file("etc/arch", name + "\n")


def big(lay, mb):
    """mb MiB of random (incompressible) data in 4 files."""
    rnd = random.Random(42)
    lay.dir("data")
    each = mb * 1024 * 1024 // 4
    for i in range(4):
        lay.file("data/blob%d" % i, rnd.randbytes(each))


def bench(lay, total_mb):
    """A tree of ~total_mb MiB: half random, half compressible text, many sizes."""
    rnd = random.Random(7)
    words = [b"lorem", b"ipsum", b"dolor", b"sit", b"amet", b"skiff", b"layer", b"\n"]
    remaining = total_mb * 1024 * 1024
    n = 0
    base(lay)
    lay.dir("data")
    while remaining > 0:
        if n % 50 == 0:
            lay.dir("data/d%03d" % (n // 50))
        size = min(remaining, rnd.choice([4096, 65536, 512 * 1024, 2 * 1024 * 1024]))
        if n % 2:
            data = rnd.randbytes(size)
        else:
            data = b" ".join(rnd.choice(words) for _ in range(size // 5))[:size]
        lay.file("data/d%03d/f%05d" % (n // 50, n), data)
        remaining -= len(data)
        n += 1


def main():
    if sys.argv[1] == "fixtures":
        out = sys.argv[2]
        big_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 50
        os.makedirs(out, exist_ok=True)
        for name, fn, fmt in [("l1", base, tarfile.GNU_FORMAT),
                              ("l2", layer2, tarfile.PAX_FORMAT),
                              ("l3", layer3, tarfile.PAX_FORMAT),
                              ("applets", applets, tarfile.PAX_FORMAT),
                              ("amd64", lambda l: arch(l, "amd64"), tarfile.PAX_FORMAT),
                              ("arm64", lambda l: arch(l, "arm64"), tarfile.PAX_FORMAT),
                              ("big", lambda l: big(l, big_mb), tarfile.PAX_FORMAT)]:
            lay = Layer(os.path.join(out, name + ".tar"), fmt)
            fn(lay)
            lay.close()
    elif sys.argv[1] == "bench":
        lay = Layer(sys.argv[2], tarfile.PAX_FORMAT)
        bench(lay, int(sys.argv[3]))
        lay.close()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
