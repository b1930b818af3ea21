#!/usr/bin/env bats
# The default private network (skiff's own stack: a TUN eth0 served by the
# process that started the container): its addresses, TCP and UDP to the
# host's network, refusals, what it does not reach, published ports (TCP in
# both directions, UDP), many connections at once, and the pasta and
# slirp4netns helpers chosen with --network.  As the subuid user and as the
# no-subuid user.
load helpers

setup() {
    skiff_setup
    pull_bbimg
    host_addr
}
teardown() {
    rm_all_containers
    skiff_teardown
    if [[ -n ${DUMMY_IF:-} ]]; then ip link del "$DUMMY_IF" 2>/dev/null || true; fi
}

# host_addr: sets HOST_IP to an address of the host that is not loopback,
# which containers reach through their network; a dummy interface with a
# TEST-NET-2 address when the host has none
host_addr() {
    HOST_IP=$(ip -4 -o addr show scope global | awk '{split($4, a, "/"); print a[1]; exit}')
    if [[ -z $HOST_IP ]]; then
        DUMMY_IF=skiffnet$$
        ip link add "$DUMMY_IF" type dummy
        ip addr add 198.51.100.1/32 dev "$DUMMY_IF"
        ip link set "$DUMMY_IF" up
        HOST_IP=198.51.100.1
    fi
}

# serve_dir DIR ADDR: an HTTP server for DIR on ADDR:a free port; sets PORT
serve_dir() {
    PORT=$(free_port)
    start_bg _pid "$PY" -m http.server "$PORT" --bind "$2" --directory "$1"
    wait_until 10 curl -sf -o /dev/null "http://$2:$PORT/" || fail_with "the test's HTTP server did not start"
}

@test "the default network: eth0 10.0.2.100/24, MTU 65520, default route through 10.0.2.2" {
    run --separate-stderr sk run --rm "$IMG" sh -c \
        'ip -4 -o addr show eth0 | awk "{print \$4}"; cat /sys/class/net/eth0/mtu; ip route | grep ^default'
    assert_success
    local want
    want=$(printf '%s\n' 10.0.2.100/24 65520 "default via 10.0.2.2 dev eth0")
    assert_equal "$(sed 's/ *$//' <<<"$output")" "$want" "address, MTU and default route"
}

@test "TCP to the host's network; a closed port is refused; the host's loopback is not reachable" {
    mkdir -p "$T/work/www"
    echo page-from-the-host >"$T/work/www/index.html"
    serve_dir "$T/work/www" "$HOST_IP"
    run --separate-stderr sk run --rm "$IMG" wget -q -O - "http://$HOST_IP:$PORT/index.html"
    assert_success
    assert_equal "$output" page-from-the-host "page fetched from the host"

    local closed
    closed=$(free_port)
    run --separate-stderr sk run --rm "$IMG" wget -q -O - "http://$HOST_IP:$closed/"
    assert_failure
    [[ $stderr == *"refused"* ]] || fail_with "a closed port was not refused: $stderr"

    # a server on the host's 127.0.0.1 is out of reach: through the gateway
    # address the connection is refused, and the container's 127.0.0.1 is its own
    local lo_port
    serve_dir "$T/work/www" 127.0.0.1
    lo_port=$PORT
    run --separate-stderr sk run --rm "$IMG" sh -c \
        "wget -q -T 3 -O - http://10.0.2.2:$lo_port/ || echo via-gateway-failed
         wget -q -T 3 -O - http://127.0.0.1:$lo_port/ || echo loopback-failed"
    assert_equal "$output" "$(printf '%s\n' via-gateway-failed loopback-failed)" "host loopback reached"
}

@test "UDP to the host's network: a DNS query to a responder on the host is answered" {
    local port
    port=$(free_port)
    start_bg _pid "$PY" "$HELPERS_DIR/dns_responder.py" "$HOST_IP" "$port" 198.51.100.7
    sleep 0.3
    run --separate-stderr sk run --rm "$IMG" nslookup skiff.test "$HOST_IP:$port"
    assert_success
    assert_output_contains "Address: 198.51.100.7"
}

@test "20 MiB both ways intact: downloaded from the host, uploaded through a published port" {
    mkdir -p "$T/work/www"
    head -c 20971520 /dev/urandom >"$T/work/www/blob"
    local sum
    sum=$(sha256sum <"$T/work/www/blob" | cut -d' ' -f1)
    serve_dir "$T/work/www" "$HOST_IP"
    run --separate-stderr sk run --rm "$IMG" sh -c "wget -q -O - http://$HOST_IP:$PORT/blob | sha256sum"
    assert_success
    assert_equal "${output%% *}" "$sum" "sha256 of the download"

    local hp
    hp=$(free_port)
    run_d up -p "127.0.0.1:$hp:7000" "$IMG" sh -c 'nc -l -p 7000 >/tmp/got && sha256sum /tmp/got >/tmp/sum.new && mv /tmp/sum.new /tmp/sum && sleep 60'
    wait_until 10 eval 'sk exec up netstat -ltn 2>/dev/null | grep -q ":7000 "' ||
        fail_with "nc does not listen in the container"
    "$PY" - "$hp" "$T/work/www/blob" <<'PYEOF2'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
with open(sys.argv[2], "rb") as f:
    s.sendall(f.read())
s.shutdown(socket.SHUT_WR)
s.recv(1)
PYEOF2
    wait_until 20 eval 'sk exec up cat /tmp/sum >/dev/null 2>&1' || fail_with "the upload did not finish"
    run --separate-stderr sk exec up cat /tmp/sum
    assert_equal "${output%% *}" "$sum" "sha256 of the upload"
}

@test "a published UDP port: datagrams from the host reach the container's server and its replies come back" {
    # busybox has no UDP server applet: the container runs the host's python3,
    # through its dynamic loader, from a read-only bind of the host's /
    local ldso py libdir hp
    ldso=$(readlink -f /lib64/ld-linux-x86-64.so.2)
    py=$(readlink -f "$PY")
    libdir=$(dirname "$ldso")
    cat >"$T/work/udpecho.py" <<'PYEOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9999))
print("ready", flush=True)
while True:
    data, addr = s.recvfrom(2048)
    s.sendto(b"echo:" + data, addr)
PYEOF
    chmod 755 "$T" "$T/work"
    chmod 644 "$T/work/udpecho.py"
    hp=$(free_port)
    run_d udp -p "127.0.0.1:$hp:9999/udp" -v /:/host:ro -e PYTHONHOME=/host/usr "$IMG" \
        "/host$ldso" --library-path "/host$libdir" "/host$py" "/host$T/work/udpecho.py"
    wait_until 20 eval 'sk logs udp 2>/dev/null | grep -q ready' || fail_with "the UDP server did not start: $(sk logs udp 2>&1)"
    run "$PY" - "$hp" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for i in range(3):
    msg = b"datagram-%d" % i
    s.sendto(msg, ("127.0.0.1", int(sys.argv[1])))
    data, _ = s.recvfrom(2048)
    if data != b"echo:" + msg:
        sys.exit(f"got {data!r} for {msg!r}")
print("3 echoed")
PYEOF
    assert_success
    assert_output_contains "3 echoed"
}

@test "24 connections at once from one container each get their own file" {
    mkdir -p "$T/work/www"
    local i
    for i in $(seq 24); do echo "file-$i" >"$T/work/www/f$i"; done
    serve_dir "$T/work/www" "$HOST_IP"
    run --separate-stderr sk run --rm "$IMG" sh -c "
        for i in \$(seq 24); do wget -q -O /tmp/g\$i http://$HOST_IP:$PORT/f\$i & done; wait
        for i in \$(seq 24); do [ \"\$(cat /tmp/g\$i)\" = file-\$i ] || echo wrong-\$i; done; echo checked"
    assert_success
    assert_equal "$output" checked "every connection got its own file"
}

@test "out of file descriptors, a published port waits instead of spinning, then serves again" {
    printf '#!/bin/sh\nulimit -Sn 48; ulimit -Hn 48\nexec %s "$@"\n' "$SKIFF_BIN" >"$T/lowfd"
    chmod 755 "$T" "$T/lowfd"
    local hp mon
    hp=$(free_port)
    SKIFF_BIN=$T/lowfd run_d web -p "127.0.0.1:$hp:80" "$IMG" busybox httpd -f -p 80
    wait_until 10 eval 'sk exec web netstat -ltn 2>/dev/null | grep -q ":80 "' || fail_with "httpd does not listen"
    mon=$(jq -r .monitor_pid "$T/data/skiff/containers/$CID/state.json")
    [[ $mon =~ ^[0-9]+$ ]] || fail_with "no monitor pid in state.json"
    run "$PY" - "$hp" "$mon" <<'PYEOF'
import os, socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
# more idle connections than the monitor has descriptors: accept hits EMFILE
conns = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(80)]
time.sleep(0.5)
c0 = cpu(); time.sleep(2); used = cpu() - c0
print("monitor cpu ticks in 2 s:", used)
for c in conns:
    c.close()
time.sleep(1)
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
reply = s.recv(12)
print("reply:", reply)
sys.exit(0 if used < os.sysconf("SC_CLK_TCK") // 2 and reply.startswith(b"HTTP/1.") else 1)
PYEOF
    assert_success
}

@test "a published port already in use: a clear error, exit 125, nothing left running" {
    local port
    port=$(free_port)
    start_bg _pid "$PY" -c "import socket, time
s = socket.socket(); s.bind(('127.0.0.1', $port)); s.listen(); time.sleep(60)"
    wait_until 10 eval "ss -ltn | grep -q ':$port '" || fail_with "the port blocker did not start"
    run --separate-stderr sk run --rm -p "127.0.0.1:$port:80" "$IMG" true
    assert_failure 125
    [[ $stderr == *"$port"* && $stderr == *"in use"* ]] || fail_with "no clear error: $stderr"
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "containers after the failed run"
}

@test "--network pasta and --network slirp4netns use those helpers" {
    # pasta gives the container the host's own address; slirp4netns a tap0
    run --separate-stderr sk run --rm --network pasta "$IMG" ip -4 -o addr show
    assert_success
    [[ $output == *" $HOST_IP/"* ]] || fail_with "--network pasta: no host address in the container: $output"
    [[ $output != *"10.0.2.100/"* ]] || fail_with "--network pasta used skiff's own network"

    mkdir -p "$T/work/www"
    echo through-slirp4netns >"$T/work/www/index.html"
    serve_dir "$T/work/www" "$HOST_IP"
    run --separate-stderr sk run --rm --network slirp4netns "$IMG" sh -c \
        "ls /sys/class/net | sort | tr '\n' ' '; wget -q -O - http://$HOST_IP:$PORT/index.html"
    assert_success
    assert_equal "$output" "lo tap0 through-slirp4netns" "--network slirp4netns"
}
