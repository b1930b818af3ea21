#!/usr/bin/env python3
"""A tiny DNS responder for the network tests: every A query is answered with
the address given on the command line.  Usage: dns_responder.py BIND PORT ANSWER
"""
import socket
import sys


def answer(query: bytes, addr: bytes) -> bytes:
    # header: same id, QR=1 RD RA, one question, one answer
    qid = query[:2]
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    question = query[12 : end + 5]
    header = qid + b"\x81\x80" + b"\x00\x01\x00\x01\x00\x00\x00\x00"
    record = b"\xc0\x0c" + b"\x00\x01\x00\x01" + b"\x00\x00\x00\x3c" + b"\x00\x04" + addr
    return header + question + record


def main() -> None:
    bind, port, ans = sys.argv[1], int(sys.argv[2]), socket.inet_aton(sys.argv[3])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind, port))
    while True:
        data, peer = sock.recvfrom(4096)
        try:
            sock.sendto(answer(data, ans), peer)
        except (IndexError, OSError):
            continue


if __name__ == "__main__":
    main()
