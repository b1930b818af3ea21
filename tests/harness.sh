#!/usr/bin/env bash
# The test harness's shared state: registries, fixture images, test users.
#
#   tests/harness.sh start ENVFILE   start registries, build + push fixtures,
#                                    write `export VAR=...` lines to ENVFILE
#   tests/harness.sh stop ENVFILE    kill what `start` started, remove its dirs
#   tests/harness.sh users           create the test users (idempotent)
#
# Must run as root (fixtures are unpacked with `umoci unpack` as root, users
# are created).  Everything listens on 127.0.0.1 only.  Sourcing this file
# defines the functions without running anything.
set -euo pipefail

HARNESS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
SUB_USER=skiff-sub
NOSUB_USER=skiff-nosub
SUBID_START=200000
SUBID_COUNT=65536
AUTH_USER=skiffuser
AUTH_PASS='s3cret-Pass'
TOKEN_USER=tok
TOKEN_PASS=tokpass
TOKEN_SERVICE=skiff-token-registry
TOKEN_ISSUER=skiff-test-token-server

hlog() { printf '# harness: %s\n' "$*" >&2; }
hdie() { printf 'harness: error: %s\n' "$*" >&2; exit 1; }

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_http() { # URL: wait until something answers (any HTTP status)
    local i
    for i in $(seq 1 100); do
        if curl -s -o /dev/null -m 2 "$1"; then return 0; fi
        sleep 0.1
    done
    hdie "nothing answers at $1"
}

setup_users() {
    local u
    for u in "$SUB_USER" "$NOSUB_USER"; do
        if ! id "$u" >/dev/null 2>&1; then
            useradd --create-home --home-dir "/home/$u" --shell /bin/bash "$u"
        fi
    done
    # skiff-sub: exactly one range 200000-265535; skiff-nosub: none at all
    if ! grep -q "^$SUB_USER:$SUBID_START:$SUBID_COUNT\$" /etc/subuid; then
        sed -i "/^$SUB_USER:/d" /etc/subuid
        usermod --add-subuids "$SUBID_START-$((SUBID_START + SUBID_COUNT - 1))" "$SUB_USER"
    fi
    if ! grep -q "^$SUB_USER:$SUBID_START:$SUBID_COUNT\$" /etc/subgid; then
        sed -i "/^$SUB_USER:/d" /etc/subgid
        usermod --add-subgids "$SUBID_START-$((SUBID_START + SUBID_COUNT - 1))" "$SUB_USER"
    fi
    sed -i "/^$NOSUB_USER:/d" /etc/subuid /etc/subgid
}

# start_registry NAME DIR [htpasswd-file] [auth-yaml] -> prints "PORT PID"
#   auth-yaml: a flow mapping written as the config's `auth:` (e.g. a token: block)
start_registry() {
    local name=$1 dir=$2 htpasswd=${3:-} authyaml=${4:-} port
    port=$(free_port)
    mkdir -p "$dir/storage"
    {
        echo "version: 0.1"
        echo "log: {level: error, accesslog: {disabled: true}}"
        echo "storage:"
        echo "  filesystem: {rootdirectory: $dir/storage}"
        echo "  delete: {enabled: true}"
        echo "http: {addr: 127.0.0.1:$port, secret: skiff-test-$name}"
        if [[ -n $htpasswd ]]; then
            echo "auth: {htpasswd: {realm: skiff-test, path: $htpasswd}}"
        elif [[ -n $authyaml ]]; then
            echo "auth: $authyaml"
        fi
    } >"$dir/config.yml"
    /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
    local pid=$!
    wait_http "http://127.0.0.1:$port/v2/"
    echo "$port $pid"
}

push() { # push OCI-LAYOUT:TAG REGISTRY/NAME:TAG [skopeo flags...]
    local src=$1 dst=$2
    shift 2
    skopeo copy -q --dest-tls-verify=false "$@" "oci:$src" "docker://$dst" >/dev/null
}

# mkimage LAYOUT TAG ARCH LAYER.tar... : an image from the given layer tars
mkimage() {
    local layout=$1 tag=$2 arch=$3 l
    shift 3
    umoci new --image "$layout:$tag"
    for l in "$@"; do
        umoci raw add-layer --image "$layout:$tag" --history.created_by "add $(basename "$l")" "$l"
    done
    umoci config --image "$layout:$tag" --os linux --architecture "$arch" \
        --config.cmd /bin/sh --config.env FOO=bar --config.env PATH=/bin:/usr/bin \
        --config.workingdir / --config.label org.skiff.test="$tag" \
        --created 2024-01-02T03:04:05Z
}

manifest_info() { # REGISTRY NAME TAG -> "digest size mediatype" of the stored manifest
    local tmp
    tmp=$(mktemp)
    curl -sf -o "$tmp" -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$1/v2/$2/manifests/$3"
    printf 'sha256:%s %s %s\n' "$(sha256sum <"$tmp" | cut -d' ' -f1)" "$(stat -c %s "$tmp")" \
        "$(jq -r .mediaType "$tmp")"
    rm -f "$tmp"
}

# put_index REGISTRY NAME TAG MEDIATYPE AMD64_TAG ARM64_TAG
upload_blob() { # REGISTRY NAME FILE -> uploads FILE as a blob (monolithic PUT)
    local reg=$1 name=$2 f=$3 d loc
    d="sha256:$(sha256sum <"$f" | cut -d' ' -f1)"
    if curl -sf -o /dev/null -I "http://$reg/v2/$name/blobs/$d"; then return 0; fi
    loc=$(curl -sf -D - -o /dev/null -X POST "http://$reg/v2/$name/blobs/uploads/" |
        tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    [[ $loc == http* ]] || loc="http://$reg$loc"
    [[ $loc == *\?* ]] && loc="$loc&digest=$d" || loc="$loc?digest=$d"
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
        --data-binary "@$f" "$loc"
}

# push_recompressed LAYOUT TAG REGISTRY NAME:TAG zstd|none
#   pushes an image whose layers are re-encoded by the harness itself (skopeo 1.9
#   reuses the gzip blobs it already pushed instead of recompressing)
push_recompressed() {
    local layout=$1 tag=$2 reg=$3 dst=$4 how=$5 tmp man d f mt layers=()
    tmp=$(mktemp -d)
    d=$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]==$t) | .digest' "$layout/index.json")
    man="$layout/blobs/sha256/${d#sha256:}"
    local name=${dst%%:*} rtag=${dst#*:}
    d=$(jq -r .config.digest "$man")
    upload_blob "$reg" "$name" "$layout/blobs/sha256/${d#sha256:}"
    local i=0
    for d in $(jq -r '.layers[].digest' "$man"); do
        f="$tmp/$i"
        if [[ $how == zstd ]]; then
            gzip -dc "$layout/blobs/sha256/${d#sha256:}" | zstd -q -3 -c >"$f"
            mt=application/vnd.oci.image.layer.v1.tar+zstd
        else
            gzip -dc "$layout/blobs/sha256/${d#sha256:}" >"$f"
            mt=application/vnd.oci.image.layer.v1.tar
        fi
        upload_blob "$reg" "$name" "$f"
        layers+=("$(jq -nc --arg m "$mt" --arg d "sha256:$(sha256sum <"$f" | cut -d' ' -f1)" \
            --argjson s "$(stat -c %s "$f")" '{mediaType:$m, digest:$d, size:$s}')")
        i=$((i + 1))
    done
    printf '%s\n' "${layers[@]}" | jq -sc --slurpfile m "$man" \
        '{schemaVersion:2, mediaType:"application/vnd.oci.image.manifest.v1+json", config:$m[0].config, layers:.}' \
        >"$tmp/manifest"
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
        --data-binary "@$tmp/manifest" "http://$reg/v2/$name/manifests/$rtag"
    rm -rf "$tmp"
}

put_index() {
    local reg=$1 name=$2 tag=$3 mt=$4 a d s m entries=()
    for a in "$5:amd64:" "$6:arm64:v8"; do
        IFS=: read -r t arch variant <<<"$a"
        read -r d s m < <(manifest_info "$reg" "$name" "$t")
        entries+=("$(jq -nc --arg d "$d" --argjson s "$s" --arg m "$m" --arg a "$arch" --arg v "$variant" \
            '{mediaType:$m, digest:$d, size:$s, platform:({architecture:$a, os:"linux"} + (if $v != "" then {variant:$v} else {} end))}')")
    done
    local body
    body=$(printf '%s\n' "${entries[@]}" | jq -sc --arg mt "$mt" '{schemaVersion:2, mediaType:$mt, manifests:.}')
    curl -sf -X PUT -H "Content-Type: $mt" --data-binary "$body" \
        "http://$reg/v2/$name/manifests/$tag" -o /dev/null
}

build_fixtures() { # WORKDIR: layer tars, one OCI layout, umoci reference unpacks
    local w=$1 big_mb=${SKIFF_TEST_BIG_MB:-50}
    mkdir -p "$w/layers" "$w/unpacked"
    "$PY" "$HARNESS_DIR/mklayers.py" fixtures "$w/layers" "$big_mb"
    local oci=$w/oci L=$w/layers
    umoci init --layout "$oci"
    mkimage "$oci" single amd64 "$L/l1.tar"
    mkimage "$oci" multi amd64 "$L/l1.tar" "$L/l2.tar" "$L/l3.tar"
    mkimage "$oci" amd64 amd64 "$L/l1.tar" "$L/amd64.tar"
    mkimage "$oci" arm64 arm64 "$L/l1.tar" "$L/arm64.tar"
    mkimage "$oci" big amd64 "$L/big.tar"
    mkimage "$oci" applets amd64 "$L/l1.tar" "$L/applets.tar"
    local t
    for t in single multi amd64 arm64; do
        umoci unpack --image "$oci:$t" "$w/unpacked/$t" >/dev/null
    done
    rm -f "$L/big.tar"
}

push_fixtures() { # WORKDIR REGISTRY AUTH_REGISTRY
    local oci=$1/oci reg=$2 areg=$3
    push "$oci:single" "$reg/busybox:latest"
    push "$oci:multi" "$reg/multi:latest"
    push "$oci:multi" "$reg/multi:v2s2" --format v2s2
    push_recompressed "$oci" multi "$reg" multi-zstd:latest zstd
    push_recompressed "$oci" single "$reg" busybox-zstd:latest zstd
    push_recompressed "$oci" multi "$reg" multi-plain:latest none
    push "$oci:big" "$reg/big:latest"
    push "$oci:applets" "$reg/bbfull:latest"
    push "$oci:amd64" "$reg/multiarch:amd64"
    push "$oci:arm64" "$reg/multiarch:arm64"
    push "$oci:amd64" "$reg/multiarch:amd64-v2s2" --format v2s2
    push "$oci:arm64" "$reg/multiarch:arm64-v2s2" --format v2s2
    put_index "$reg" multiarch latest application/vnd.oci.image.index.v1+json amd64 arm64
    put_index "$reg" multiarch docker application/vnd.docker.distribution.manifest.list.v2+json \
        amd64-v2s2 arm64-v2s2
    push "$oci:single" "$areg/private/busybox:latest" --dest-creds "$AUTH_USER:$AUTH_PASS"
}

# start_token_registry DIR PARENT_PID -> prints "TOKEN_PORT TOKEN_PID REG_PORT REG_PID":
#   tests/token_server.py (Docker Hub's bearer-token flow, key + cert in DIR/token)
#   and a docker-registry with `auth: token:` trusting that cert
start_token_registry() {
    local dir=$1 parent=$2 tport tpid rport rpid i
    mkdir -p "$dir/token"
    tport=$(free_port)
    "$PY" "$HARNESS_DIR/token_server.py" --port "$tport" --dir "$dir/token" \
        --parent-pid "$parent" --issuer "$TOKEN_ISSUER" \
        --user "$TOKEN_USER" --password "$TOKEN_PASS" >"$dir/token/log" 2>&1 3>&- &
    tpid=$!
    wait_http "http://127.0.0.1:$tport/token"
    for i in $(seq 1 50); do [[ -s $dir/token/cert.pem ]] && break; sleep 0.1; done
    [[ -s $dir/token/cert.pem ]] || hdie "token server wrote no certificate"
    read -r rport rpid < <(start_registry token "$dir" "" \
        "{token: {realm: \"http://127.0.0.1:$tport/token\", service: $TOKEN_SERVICE, issuer: $TOKEN_ISSUER, rootcertbundle: $dir/token/cert.pem}}")
    echo "$tport $tpid $rport $rpid"
}

harness_start() { # ENVFILE
    local envfile=$1
    [[ $(id -u) -eq 0 ]] || hdie "the harness must run as root"
    local w
    w=$(mktemp -d /tmp/skiff-harness.XXXXXX)
    chmod 755 "$w"
    setup_users
    local reg_port reg_pid areg_port areg_pid liar_port liar_pid tok_port tok_pid treg_port treg_pid
    read -r reg_port reg_pid < <(start_registry plain "$w/registry")
    mkdir -p "$w/auth-registry"
    htpasswd -Bbn "$AUTH_USER" "$AUTH_PASS" >"$w/auth-registry/htpasswd"
    read -r areg_port areg_pid < <(start_registry auth "$w/auth-registry" "$w/auth-registry/htpasswd")
    read -r tok_port tok_pid treg_port treg_pid < <(start_token_registry "$w/token-registry" "$PPID")
    hlog "registries on 127.0.0.1:$reg_port, 127.0.0.1:$areg_port (htpasswd), 127.0.0.1:$treg_port (token server 127.0.0.1:$tok_port); building fixtures"
    build_fixtures "$w/fixtures"
    push_fixtures "$w/fixtures" "127.0.0.1:$reg_port" "127.0.0.1:$areg_port"
    push "$w/fixtures/oci:single" "127.0.0.1:$treg_port/private/busybox:latest" --dest-creds "$TOKEN_USER:$TOKEN_PASS"
    push "$w/fixtures/oci:single" "127.0.0.1:$treg_port/public/busybox:latest" --dest-creds "$TOKEN_USER:$TOKEN_PASS"
    mkdir -p "$w/liar/escape"
    chmod 1777 "$w/liar/escape"
    echo "original secret" >"$w/liar/escape/secret"
    liar_port=$(free_port)
    "$PY" "$HARNESS_DIR/lying_registry.py" --port "$liar_port" --escape-dir "$w/liar/escape" \
        --slow-layout "$w/fixtures/oci:big" >"$w/liar/log" 2>&1 &
    liar_pid=$!
    wait_http "http://127.0.0.1:$liar_port/v2/"
    cat >"$envfile" <<EOT
export SKIFF_HARNESS_DIR=$w
export SKIFF_REG=127.0.0.1:$reg_port
export SKIFF_AUTH_REG=127.0.0.1:$areg_port
export SKIFF_AUTH_USER=$AUTH_USER
export SKIFF_AUTH_PASS='$AUTH_PASS'
export SKIFF_TOKEN_REG=127.0.0.1:$treg_port
export SKIFF_TOKEN_SERVER=127.0.0.1:$tok_port
export SKIFF_TOKEN_USER=$TOKEN_USER
export SKIFF_TOKEN_PASS='$TOKEN_PASS'
export SKIFF_TOKEN_LOG=$w/token-registry/token/requests.log
export SKIFF_LIAR=127.0.0.1:$liar_port
export SKIFF_ESCAPE_DIR=$w/liar/escape
export SKIFF_FIXTURES=$w/fixtures
export SKIFF_HARNESS_PIDS='$reg_pid $areg_pid $liar_pid $treg_pid $tok_pid'
EOT
    hlog "ready: $envfile"
}

harness_stop() { # ENVFILE
    local envfile=$1 p
    [[ -f $envfile ]] || return 0
    # shellcheck disable=SC1090
    . "$envfile"
    for p in $SKIFF_HARNESS_PIDS; do
        kill "$p" 2>/dev/null || true
    done
    for p in $SKIFF_HARNESS_PIDS; do
        while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
    done
    [[ $SKIFF_HARNESS_DIR == /tmp/skiff-harness.* ]] && rm -rf "$SKIFF_HARNESS_DIR"
    rm -f "$envfile"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    case ${1:-} in
        start) harness_start "$2" ;;
        stop) harness_stop "$2" ;;
        users) setup_users ;;
        *) hdie "usage: $0 start|stop ENVFILE | users" ;;
    esac
fi
