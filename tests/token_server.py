#!/usr/bin/python3
"""A Docker-Hub-style token server for skiff's tests (tests/harness.sh starts it).

    token_server.py --port PORT --dir DIR --parent-pid PID [--issuer I]
                    [--user tok --password tokpass]

At start-up it writes DIR/key.pem (RSA 2048) and DIR/cert.pem (a self-signed
certificate for that key: the registry's `auth: token: rootcertbundle`), then
serves on 127.0.0.1:PORT

    GET /token?service=S&scope=repository:NAME:pull[,push][&scope=...]

like auth.docker.io: HTTP Basic credentials are checked when given (wrong
ones -> 401); with the right ones every requested action is granted;
anonymous requests get `pull` on repositories under `public/` only (and a
token with an empty grant for anything else, as Docker Hub does, so the
registry answers 401 insufficient_scope).  The answer is
{"token": JWT, "access_token": JWT, "expires_in": 300, "issued_at": ...};
the JWT is RS256, its header carries the certificate as `x5c` (with --kid also
libtrust's `kid`), its claims iss/sub/aud/exp/nbf/iat/jti/access are what
distribution 2.8's token authenticator checks.

DIR/requests.log gets one JSON line per token request (user, scopes, granted),
for tests that want to look.  Exits when PID (the test run) is gone.
"""

import argparse
import base64
import datetime
import hashlib
import http.server
import json
import os
import secrets
import socketserver
import sys
import threading
import time
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_kid(key) -> str:
    """libtrust's key id: base32(sha256(DER SubjectPublicKeyInfo)[:30]) in 4-char groups."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    s = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(s[i : i + 4] for i in range(0, len(s), 4))


def make_key_and_cert(directory: str):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "skiff-test-token-signer")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    os.makedirs(directory, exist_ok=True)
    key_path = os.path.join(directory, "key.pem")
    with open(key_path + ".tmp", "wb") as f:
        f.write(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    os.replace(key_path + ".tmp", key_path)
    cert_path = os.path.join(directory, "cert.pem")
    with open(cert_path + ".tmp", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(cert_path + ".tmp", cert_path)
    return key, cert


class TokenServer:
    def __init__(self, key, cert, issuer, user, password, log_path, with_kid=False):
        self.key = key
        self.issuer = issuer
        self.user = user
        self.password = password
        self.log_path = log_path
        self.log_lock = threading.Lock()
        self.header = {
            "typ": "JWT",
            "alg": "RS256",
            "x5c": [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()],
        }
        if with_kid:
            self.header["kid"] = libtrust_kid(key)

    def sign(self, claims: dict) -> str:
        signing_input = (
            b64url(json.dumps(self.header, separators=(",", ":")).encode())
            + "."
            + b64url(json.dumps(claims, separators=(",", ":")).encode())
        )
        sig = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)

    @staticmethod
    def grant(scope: str, authed: bool):
        """-> access entry for one scope, or None (nothing granted)."""
        # scope: TYPE:NAME:ACTIONS; NAME may hold ':' (a port), ACTIONS never does
        parts = scope.split(":")
        if len(parts) < 3 or parts[0] != "repository":
            return None
        typ, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1].split(",")
        actions = [a for a in actions if a]
        if authed:
            allowed = [a for a in actions if a in ("pull", "push", "delete", "*")]
        elif name.startswith("public/"):
            allowed = [a for a in actions if a == "pull"]
        else:
            allowed = []
        return {"type": typ, "name": name, "actions": allowed}

    def log(self, entry: dict):
        with self.log_lock, open(self.log_path, "a") as f:
            f.write(json.dumps(entry) + "\n")


def handler_for(ts: TokenServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: requests.log has what matters
            pass

        def reply(self, code, body: dict, extra=()):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def deny(self, why):
            ts.log({"path": self.path, "denied": why})
            self.reply(
                401,
                {"errors": [{"code": "UNAUTHORIZED", "message": why}], "details": why},
                [("WWW-Authenticate", 'Basic realm="skiff-test-token-server"')],
            )

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/token":
                self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": url.path}]})
                return
            q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            service = (q.get("service") or [""])[0]
            scopes = [s for v in q.get("scope", []) for s in v.split(" ") if s]
            sub = ""
            authz = self.headers.get("Authorization")
            if authz is not None:
                scheme, _, cred = authz.partition(" ")
                if scheme.lower() != "basic":
                    self.deny(f"unsupported authorization scheme {scheme!r}")
                    return
                try:
                    user, _, pw = base64.b64decode(cred.strip(), validate=True).decode().partition(":")
                except Exception:
                    self.deny("malformed basic credentials")
                    return
                if not (secrets.compare_digest(user, ts.user) and secrets.compare_digest(pw, ts.password)):
                    self.deny(f"incorrect username or password for {user!r}")
                    return
                sub = user
            access = [g for g in (ts.grant(s, bool(sub)) for s in scopes) if g is not None]
            now = int(time.time())
            claims = {
                "iss": ts.issuer,
                "sub": sub,
                "aud": service,
                "exp": now + 300,
                "nbf": now - 10,
                "iat": now,
                "jti": secrets.token_hex(16),
                "access": access,
            }
            token = ts.sign(claims)
            ts.log({"user": sub, "service": service, "scopes": scopes, "access": access})
            self.reply(200, {
                "token": token,
                "access_token": token,
                "expires_in": 300,
                "issued_at": datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ"),
            })

        def do_POST(self):  # the OAuth2 form of the flow is not implemented
            self.reply(405, {"errors": [{"code": "UNSUPPORTED", "message": "use GET /token"}]})

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def watch_parent(pid: int):
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass
        time.sleep(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--parent-pid", type=int, required=True)
    ap.add_argument("--issuer", default="skiff-test-token-server")
    ap.add_argument("--user", default="tok")
    ap.add_argument("--password", default="tokpass")
    ap.add_argument("--kid", action="store_true", help="also put libtrust's key id in the header")
    args = ap.parse_args()
    key, cert = make_key_and_cert(args.dir)
    ts = TokenServer(key, cert, args.issuer, args.user, args.password,
                     os.path.join(args.dir, "requests.log"), args.kid)
    threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()
    srv = Server(("127.0.0.1", args.port), handler_for(ts))
    print(f"token server on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
