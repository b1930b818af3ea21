#!/usr/bin/python3
"""A registry that lies: crafted OCI distribution responses on 127.0.0.1.

usage: lying_registry.py --port PORT --escape-dir DIR [--slow-layout OCIDIR:TAG]

Each repository name is one scenario (GET/HEAD /v2/<name>/manifests/latest):
  good           an honest single-layer image (gzip layer): the control
  plain          an honest image with an uncompressed layer
  wrongdigest    the layer's bytes do not match the digest the manifest names
  badconfig      the config's bytes do not match its digest
  truncated      the layer is cut off halfway (Content-Length says the full size)
  shortblob      the layer is complete per Content-Length but shorter than the manifest's size
  missingblob    the manifest names a layer blob that answers 404
  dotdot         a layer whose tar has ../ entries (correct digests)
  absolute       a layer whose tar has an absolute path that climbs out (/../../)
  symlinkescape  evil -> ESCAPE_DIR, then evil/pwned (correct digests)
  hardlinkescape evil -> ESCAPE_DIR, then a hardlink to evil/secret, then data written to it
  lyingheader    Docker-Content-Digest of the manifest is not the digest of its body
  wrongmanifest  any manifest asked for by digest answers with a different body
  slow           the --slow-layout image, served at ~SLOW_BPS bytes/s (for kill -9 tests)
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZ = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
SLOW_BPS = 16 * 1024 * 1024
MTIME = 1700000000


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def tar_of(entries):
    """entries: (name, kind, payload) kind in file/dir/symlink/hardlink."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, payload in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = MTIME
            ti.mode = 0o644
            data = None
            if kind == "file":
                data = payload.encode()
                ti.size = len(data)
            elif kind == "dir":
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
            elif kind == "symlink":
                ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, payload, 0o777
            elif kind == "hardlink":
                ti.type, ti.linkname = tarfile.LNKTYPE, payload
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


class Image:
    """manifest bytes + blobs (digest -> bytes) + per-blob lies."""

    def __init__(self, layer_tar, compress=True):
        self.blobs = {}
        self.served = {}  # digest -> bytes actually served, when lying
        self.truncate = set()
        self.missing = set()
        diffid = digest(layer_tar)
        layer = gzip.compress(layer_tar, mtime=0) if compress else layer_tar
        config = json.dumps({
            "created": "2024-01-02T03:04:05Z", "architecture": "amd64", "os": "linux",
            "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [diffid]},
            "history": [{"created": "2024-01-02T03:04:05Z", "created_by": "lying_registry"}],
        }, sort_keys=True).encode()
        self.config_digest = self.add(config)
        self.layer_digest = self.add(layer)
        self.manifest = json.dumps({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": self.config_digest, "size": len(config)},
            "layers": [{"mediaType": OCI_LAYER_GZ if compress else OCI_LAYER,
                        "digest": self.layer_digest, "size": len(layer)}],
        }, sort_keys=True).encode()
        self.manifest_type = OCI_MANIFEST
        self.header_digest = None

    def add(self, b):
        d = digest(b)
        self.blobs[d] = b
        return d


def honest_rootfs(scenario=None):
    """The honest tree; a scenario name makes its blobs differ from every other's,
    so a lie cannot be skipped as 'already exists' after the control pull."""
    tree = [("etc", "dir", None), ("etc/hostname", "file", "liar\n"),
            ("bin", "dir", None), ("bin/hello", "file", "#!/bin/sh\necho hi\n")]
    if scenario:
        tree.append(("etc/scenario", "file", scenario + "\n"))
    return tree


def scenarios(escape_dir):
    s = {}
    s["good"] = Image(tar_of(honest_rootfs()))
    s["plain"] = Image(tar_of(honest_rootfs()), compress=False)

    img = Image(tar_of(honest_rootfs("wrongdigest")))
    real = img.blobs[img.layer_digest]
    img.served[img.layer_digest] = gzip.compress(
        tar_of(honest_rootfs("wrongdigest") + [("etc/evil", "file", "tampered\n")]), mtime=0)[: len(real)].ljust(len(real), b"\0")
    s["wrongdigest"] = img

    img = Image(tar_of(honest_rootfs("badconfig")))
    cfg = img.blobs[img.config_digest]
    img.served[img.config_digest] = cfg.replace(b"/bin/sh", b"/bin/xx")
    s["badconfig"] = img

    big = honest_rootfs() + [("data", "file", os.urandom(200000).hex())]
    img = Image(tar_of(big))
    img.truncate.add(img.layer_digest)
    s["truncated"] = img

    img = Image(tar_of(big))
    img.served[img.layer_digest] = img.blobs[img.layer_digest][: len(img.blobs[img.layer_digest]) // 2]
    s["shortblob"] = img

    img = Image(tar_of(honest_rootfs("missingblob")))
    img.missing.add(img.layer_digest)
    s["missingblob"] = img

    s["dotdot"] = Image(tar_of(honest_rootfs() + [
        ("../escape", "file", "pwned\n"),
        ("etc/../../escape2", "file", "pwned\n"),
        ("../../../../../../../.." + escape_dir + "/dotdot", "file", "pwned\n")]))
    s["absolute"] = Image(tar_of(honest_rootfs() + [
        ("/../../../../../../.." + escape_dir + "/absolute", "file", "pwned\n")]))
    s["symlinkescape"] = Image(tar_of(honest_rootfs() + [
        ("evil", "symlink", escape_dir),
        ("evil/pwned", "file", "pwned\n")]))
    s["hardlinkescape"] = Image(tar_of(honest_rootfs() + [
        ("evil", "symlink", escape_dir),
        ("stolen", "hardlink", "evil/secret"),
        ("stolen", "file", "overwritten through a hardlink\n")]))

    img = Image(tar_of(honest_rootfs()))
    img.header_digest = digest(b"not the manifest")
    s["lyingheader"] = img

    img = Image(tar_of(honest_rootfs()))
    img.wrong_by_digest = Image(tar_of(honest_rootfs() + [("etc/other", "file", "x\n")])).manifest
    s["wrongmanifest"] = img
    return s


def load_layout(spec):
    """An image from an OCI layout (DIR:TAG), served as is."""
    path, tag = spec.rsplit(":", 1)
    with open(os.path.join(path, "index.json")) as f:
        idx = json.load(f)
    for m in idx["manifests"]:
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
            break
    else:
        sys.exit("no tag %s in %s" % (tag, path))

    def blob_path(d):
        return os.path.join(path, "blobs", *d.split(":", 1))

    img = Image.__new__(Image)
    img.served, img.truncate, img.missing, img.header_digest = {}, set(), set(), None
    with open(blob_path(m["digest"]), "rb") as f:
        img.manifest = f.read()
    img.manifest_type = m["mediaType"]
    man = json.loads(img.manifest)
    img.blobs = {}
    img.paths = {d["digest"]: blob_path(d["digest"]) for d in [man["config"]] + man["layers"]}
    img.config_digest = man["config"]["digest"]
    return img


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    images = {}

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def send(self, code, body=b"", ctype="application/json", headers=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def not_found(self, what):
        self.send(404, json.dumps({"errors": [{"code": what, "message": what.lower()}]}).encode())

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts == ["v2"]:
            return self.send(200, b"{}")
        if len(parts) < 4 or parts[0] != "v2":
            return self.not_found("NAME_UNKNOWN")
        name, kind, ref = "/".join(parts[1:-2]), parts[-2], parts[-1]
        img = self.images.get(name)
        if img is None:
            return self.not_found("NAME_UNKNOWN")
        if kind == "manifests":
            body = img.manifest
            if ref.startswith("sha256:") and hasattr(img, "wrong_by_digest"):
                body = img.wrong_by_digest
            elif ref.startswith("sha256:") and ref != digest(img.manifest):
                return self.not_found("MANIFEST_UNKNOWN")
            hdr = img.header_digest or digest(body)
            return self.send(200, body, img.manifest_type, {"Docker-Content-Digest": hdr})
        if kind == "blobs":
            if ref in img.missing:
                return self.not_found("BLOB_UNKNOWN")
            if getattr(img, "paths", None) and ref in img.paths:
                return self.send_file(img.paths[ref], ref)
            if ref not in img.blobs:
                return self.not_found("BLOB_UNKNOWN")
            body = img.served.get(ref, img.blobs[ref])
            if ref in img.truncate:
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Docker-Content-Digest", ref)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                self.close_connection = True
                return None
            return self.send(200, body, "application/octet-stream", {"Docker-Content-Digest": ref})
        return self.not_found("UNSUPPORTED")

    def send_file(self, path, ref):
        """Serve a blob slowly, honouring a Range request (resume)."""
        size = os.path.getsize(path)
        start = 0
        rng = self.headers.get("Range", "")
        if rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0] or 0)
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size - start))
        self.send_header("Docker-Content-Digest", ref)
        self.send_header("Accept-Ranges", "bytes")
        if start:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        self.end_headers()
        if self.command == "HEAD":
            return
        chunk = 256 * 1024
        with open(path, "rb") as f:
            f.seek(start)
            try:
                while True:
                    b = f.read(chunk)
                    if not b:
                        break
                    self.wfile.write(b)
                    time.sleep(chunk / SLOW_BPS)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--escape-dir", required=True)
    ap.add_argument("--slow-layout")
    a = ap.parse_args()
    Handler.images = scenarios(os.path.abspath(a.escape_dir))
    if a.slow_layout:
        Handler.images["slow"] = load_layout(a.slow_layout)
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
