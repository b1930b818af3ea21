#!/usr/bin/env bash
# Benchmarks, side by side with the peers, in one run; reported as ratios.
#
#   sudo scripts/bench.sh pull [RUNS]    skiff pull vs podman pull vs curl|gzip|tar
#   sudo scripts/bench.sh run [RUNS]     skiff run --rm IMAGE true (also as a user without
#                                        subuids) vs podman run vs
#                                        bare unshare (single id, and the subuid range
#                                        with --map-auto); and 32 parallel skiff runs
#   sudo scripts/bench.sh push [RUNS]    skiff push vs podman push of the same image
#                                        to a fresh repository on a second registry
#   sudo scripts/bench.sh save [RUNS]    skiff save vs podman save (docker-archive and
#                                        oci-archive) of the same image, and skiff load
#                                        vs podman load of the docker-archive
#   sudo scripts/bench.sh build [RUNS]   skiff build vs podman build of a 10-instruction
#                                        Dockerfile, cold (--no-cache) and fully cached
#   sudo scripts/bench.sh ab OLD [ROUNDS] an older skiff binary against this one, run --rm
#                                        timed in alternation (for judging a change)
#
# Runs as root only to set things up: every timed command runs as the
# unprivileged user skiff-sub (subuids 200000-265535), so the comparison is
# rootless against rootless.  Uses the binary at $SKIFF_BIN, else
# target/x86_64-unknown-linux-gnu/release/skiff (build it first:
# RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --target x86_64-unknown-linux-gnu).
# SKIFF_BENCH_KEEP=1 keeps the work dir (/tmp/skiff-bench.*: hyperfine's JSON).
# More benchmarks are added as bench_NAME functions.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD
# shellcheck source=tests/harness.sh
. tests/harness.sh
BENCH_USER=skiff-sub
BENCH_MB=${SKIFF_BENCH_MB:-100}
W=""
PIDS=()

die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    # rootless podman leaves its pause process behind; its pid file is not
    # always in our runtime dir (podman keeps the tmp dir of the user's first
    # run in its database), so look for it among the bench user's processes
    # started with our runtime dir. -9: it ignores SIGTERM.
    if [[ -n $W ]]; then
        for p in $(ps -u "$BENCH_USER" -o pid=,comm= 2>/dev/null | awk '$2 == "podman" && $3 == "pause" { print $1 }'); do
            if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$W/run"; then
                kill -9 "$p" 2>/dev/null || true
            fi
        done
    fi
    if [[ -n $W && $W == /tmp/skiff-bench.* && -z ${SKIFF_BENCH_KEEP:-} ]]; then rm -rf "$W"; fi
}
trap cleanup EXIT

# user_cmd CMD...: a shell string running CMD as the bench user with a clean env
user_cmd() {
    local uid gid home
    uid=$(id -u "$BENCH_USER")
    gid=$(id -g "$BENCH_USER")
    home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
    printf 'setpriv --reuid=%s --regid=%s --init-groups env -i HOME=%q USER=%q PATH=%q XDG_RUNTIME_DIR=%q' \
        "$uid" "$gid" "$home" "$BENCH_USER" "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" "$W/run${RUN_SUFFIX:-}"
    printf ' %q' "$@"
}

as_user() { eval "$(user_cmd "$@")" </dev/null; }

# as_nosub CMD...: as_user for the user without subordinate ids (a single-id
# namespace, mapped without the setuid newuidmap/newgidmap); nosub_setup first
as_nosub() { (BENCH_USER=$NOSUB_USER RUN_SUFFIX=-n as_user "$@"); }

nosub_setup() {
    mkdir -p "$W/n" "$W/run-n"
    chmod 700 "$W/run-n"
    chown "$NOSUB_USER:" "$W/n" "$W/run-n"
}

bench_setup() {
    [[ $(id -u) -eq 0 ]] || die "run as root (sudo scripts/bench.sh ...): it creates $BENCH_USER and runs the commands as that user"
    command -v hyperfine >/dev/null || die "hyperfine is not installed (apt-get install hyperfine)"
    SKIFF=${SKIFF_BIN:-$REPO/target/x86_64-unknown-linux-gnu/release/skiff}
    [[ -x $SKIFF ]] || die "no skiff binary at $SKIFF"
    setup_users
    W=$(mktemp -d /tmp/skiff-bench.XXXXXX)
    chmod 755 "$W"
    install -m 755 "$SKIFF" "$W/skiff"
    SKIFF=$W/skiff
    mkdir -p "$W/run" "$W/u"
    chmod 700 "$W/run"
    chown "$BENCH_USER:" "$W/run" "$W/u"
    local port pid
    read -r port pid < <(start_registry bench "$W/registry")
    PIDS+=("$pid")
    REG=127.0.0.1:$port
}

podman_setup() { # rootless podman for the bench user: runc, cgroupfs
    local home
    home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
    mkdir -p "$home/.config/containers"
    cat >"$home/.config/containers/containers.conf" <<'EOT'
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOT
    chown -R "$BENCH_USER:" "$home/.config"
    # slirp4netns (podman's rootless network here) opens /dev/net/tun as the user
    if [[ -e /dev/net/tun ]]; then chmod 0666 /dev/net/tun; fi
    as_user podman system migrate >/dev/null 2>&1 || true
    as_user podman rmi -af >/dev/null 2>&1 || true
}

median() { jq -r --arg c "$2" '.results[] | select(.command == $c) | .median' "$1"; }

# bench_image: a ${BENCH_MB} MiB single-layer image pushed as $REG/bench:latest
bench_image() {
    echo "# building a ${BENCH_MB} MiB single-layer image" >&2
    "$PY" tests/mklayers.py bench "$W/layer.tar" "$BENCH_MB"
    umoci init --layout "$W/oci"
    mkimage "$W/oci" bench amd64 "$W/layer.tar" >/dev/null
    rm -f "$W/layer.tar"
    push "$W/oci:bench" "$REG/bench:latest"
}

# bench_busybox: the test fixture's busybox layer pushed as $REG/bb:latest
bench_busybox() {
    echo "# building a busybox image (the test fixture's base layer)" >&2
    "$PY" tests/mklayers.py fixtures "$W/layers" 1
    umoci init --layout "$W/oci"
    mkimage "$W/oci" bb amd64 "$W/layers/l1.tar" >/dev/null
    rm -rf "$W/layers"
    push "$W/oci:bb" "$REG/bb:latest"
}

bench_pull() {
    local runs=${1:-5}
    bench_setup
    bench_image
    local blob
    blob=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REG/v2/bench/manifests/latest" | jq -r '.layers[0].digest')
    echo "# layer blob $blob: $(curl -sfI "http://$REG/v2/bench/blobs/$blob" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Ll]ength: //p') bytes compressed" >&2
    podman_setup

    local store=$W/u/store dest=$W/u/rootfs
    local c_skiff c_podman c_pipe
    c_skiff=$(user_cmd "$SKIFF" --root "$store" pull -q "$REG/bench:latest")
    c_podman=$(user_cmd podman pull -q --tls-verify=false "$REG/bench:latest")
    c_pipe=$(user_cmd sh -c "curl -sf http://$REG/v2/bench/blobs/$blob | gzip -dc | tar -x -C $dest")
    hyperfine --runs "$runs" --warmup 1 --export-json "$W/pull.json" --style basic \
        -n skiff --prepare "rm -rf $store" "$c_skiff" \
        -n podman --prepare "$(user_cmd podman rmi -af) >/dev/null 2>&1 || true" "$c_podman" \
        -n pipeline --prepare "rm -rf $dest && $(user_cmd mkdir -p "$dest")" "$c_pipe"
    as_user podman rmi -af >/dev/null 2>&1 || true

    local s p c
    s=$(median "$W/pull.json" skiff)
    p=$(median "$W/pull.json" podman)
    c=$(median "$W/pull.json" pipeline)
    echo
    echo "pull of a ${BENCH_MB} MiB single-layer image from 127.0.0.1 (median of $runs, as $BENCH_USER):"
    awk -v s="$s" -v p="$p" -v c="$c" 'BEGIN {
        printf "  skiff pull               %8.3f s\n", s
        printf "  podman pull              %8.3f s\n", p
        printf "  curl | gzip -dc | tar -x %8.3f s\n", c
        printf "  skiff / pipeline  = %.2fx   (target <= 1.3x)\n", s / c
        printf "  podman / skiff    = %.2fx   (target >= 3x)\n", p / s
    }'
}

bench_run() {
    local runs=${1:-30}
    bench_setup
    bench_busybox
    podman_setup

    local img=$REG/bb:latest store=$W/u/store nstore=$W/n/store
    as_user "$SKIFF" --root "$store" pull -q "$img" >/dev/null
    # the same run by a user without subordinate ids
    nosub_setup
    as_nosub "$SKIFF" --root "$nstore" pull -q "$img" >/dev/null
    as_nosub "$SKIFF" --root "$nstore" run --rm "$img" true || die "skiff run --rm $img true failed for $NOSUB_USER"
    as_user podman pull -q --tls-verify=false "$img" >/dev/null
    # both must actually run the image before they are timed
    as_user "$SKIFF" --root "$store" run --rm "$img" true || die "skiff run --rm $img true failed"
    as_user podman run --rm "$img" true || die "podman run --rm $img true failed"

    # hyperfine itself runs as the bench user, so that each timed command is
    # exactly the command: no setpriv or env exec in front of it (that would
    # add the same few ms to every figure and flatter the ratios). The runs are
    # split into rounds that take turns, so that a slow spell of the machine
    # falls on all four commands alike; medians are over all rounds' runs.
    local out=$W/u rounds=5 r
    for r in $(seq "$rounds"); do
        as_user hyperfine -N --runs "$(( (runs + rounds - 1) / rounds ))" --warmup 2 \
            --export-json "$out/run-$r.json" --style none \
            -n skiff "$SKIFF --root $store run --rm $img true" \
            -n skiff-none "$SKIFF --root $store run --rm --network none $img true" \
            -n podman "podman run --rm $img true" \
            -n unshare "unshare --user --map-root-user --mount --pid --fork true" \
            -n unshare-subids "unshare --user --map-auto --map-root-user --mount --pid --fork true"
        as_nosub hyperfine -N --runs "$(( (runs + rounds - 1) / rounds ))" --warmup 2 \
            --export-json "$W/n/run-$r.json" --style none \
            -n skiff-single-id "$SKIFF --root $nstore run --rm $img true" \
            -n unshare-single-id "unshare --user --map-root-user --mount --pid --fork true"
    done
    jq -s '{results: ([.[].results[]] | group_by(.command)
        | map({command: .[0].command, times: ([.[].times[]] | sort)})
        | map(. + {median: .times[(.times | length) / 2 | floor]}))}' \
        "$out"/run-*.json "$W"/n/run-*.json >"$out/run.json"

    # throughput: 32 runs at once, wall time for all of them
    as_user hyperfine --runs 5 --warmup 1 --export-json "$out/par.json" --style basic \
        -n skiff-32 "seq 32 | xargs -P 32 -I{} $SKIFF --root $store run --rm $img true"
    [[ -z $(as_user "$SKIFF" --root "$store" ps -a -q) ]] || die "containers left after the parallel runs"
    as_user podman rmi -af >/dev/null 2>&1 || true

    local s n p u us un par single
    single=$(median "$out/run.json" skiff-single-id)
    un=$(median "$out/run.json" unshare-single-id)
    us=$(median "$out/run.json" unshare-subids)
    s=$(median "$out/run.json" skiff)
    n=$(median "$out/run.json" skiff-none)
    p=$(median "$out/run.json" podman)
    u=$(median "$out/run.json" unshare)
    par=$(median "$out/par.json" skiff-32)
    echo
    echo "run --rm IMAGE true, busybox image from 127.0.0.1 (median of $runs, as $BENCH_USER):"
    awk -v s="$s" -v n="$n" -v p="$p" -v u="$u" -v us="$us" -v un="$un" -v par="$par" -v single="$single" 'BEGIN {
        printf "  skiff run --rm                   %8.1f ms   (target <= 15 ms)\n", s * 1000
        printf "  skiff run --rm --network none    %8.1f ms\n", n * 1000
        printf "  skiff run --rm, no subuids       %8.1f ms   (single-id map: no newuidmap/newgidmap)\n", single * 1000
        printf "  podman run --rm                  %8.1f ms\n", p * 1000
        printf "  unshare -U -r -m -p -f true      %8.1f ms   (maps a single id)\n", u * 1000
        printf "  unshare ... --map-auto           %8.1f ms   (the subuid range, through newuidmap/newgidmap like skiff)\n", us * 1000
        printf "  unshare -U -r ..., no subuids    %8.1f ms\n", un * 1000
        printf "  skiff / unshare   = %.2fx   (target <= 3x)\n", s / u
        printf "  like for like: skiff / unshare --map-auto = %.2fx;  no subuids: skiff / unshare -r = %.2fx\n", s / us, single / un
        printf "  podman / skiff    = %.2fx   (target >= 10x)\n", p / s
        printf "  32 parallel skiff run --rm: %.3f s for all 32 (%.1f runs/s)\n", par, 32 / par
    }'
}

bench_push() {
    local runs=${1:-5}
    bench_setup
    bench_image
    podman_setup
    # pushes go to a second registry, a new repository each run: every blob is sent
    local port pid
    read -r port pid < <(start_registry bench2 "$W/registry2")
    PIDS+=("$pid")
    local dst=127.0.0.1:$port img=$REG/bench:latest store0=$W/u/store0 store=$W/u/store
    as_user "$SKIFF" --root "$store0" pull -q "$img" >/dev/null
    as_user podman pull -q --tls-verify=false "$img" >/dev/null
    local home ctr=$W/u/counter
    home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
    echo 0 >"$ctr"
    chown "$BENCH_USER:" "$ctr"
    # skiff starts from the store as pulled (no RepoDigest on the second registry,
    # so nothing to mount from); podman without its blob-info cache (no mounts, no
    # reuse of an earlier compression): both send the whole image every run
    local next="echo \$((\$(cat $ctr) + 1)) >$ctr"
    local c_skiff c_podman
    c_skiff=$(user_cmd sh -c "$SKIFF --root $store push -q $img $dst/skiff\$(cat $ctr):latest")
    c_podman=$(user_cmd sh -c "podman push -q --tls-verify=false $img $dst/podman\$(cat $ctr):latest")
    hyperfine --runs "$runs" --warmup 1 --export-json "$W/push.json" --style basic \
        -n skiff --prepare "rm -rf $store && cp -a $store0 $store && sh -c '$next'" "$c_skiff" \
        -n podman --prepare "rm -f $home/.local/share/containers/cache/blob-info-cache-v1.* && sh -c '$next'" "$c_podman"
    as_user podman rmi -af >/dev/null 2>&1 || true

    local s p
    s=$(median "$W/push.json" skiff)
    p=$(median "$W/push.json" podman)
    echo
    echo "push of a ${BENCH_MB} MiB single-layer image to 127.0.0.1, new repository each run (median of $runs, as $BENCH_USER):"
    awk -v s="$s" -v p="$p" 'BEGIN {
        printf "  skiff push               %8.3f s\n", s
        printf "  podman push              %8.3f s\n", p
        printf "  podman / skiff    = %.2fx   (target >= 2x)\n", p / s
    }'
}

bench_save() {
    local runs=${1:-5}
    bench_setup
    bench_image
    podman_setup
    local img=$REG/bench:latest store=$W/u/store out=$W/u/out
    as_user "$SKIFF" --root "$store" pull -q "$img" >/dev/null
    as_user podman pull -q --tls-verify=false "$img" >/dev/null
    as_user mkdir -p "$out"
    # both must produce archives the other loads before they are timed
    as_user "$SKIFF" --root "$store" save -o "$out/skiff.tar" "$img" || die "skiff save failed"
    as_user podman save -q -o "$out/podman.tar" "$img" || die "podman save failed"
    as_user "$SKIFF" --root "$W/u/check" load -q -i "$out/podman.tar" || die "skiff load of podman's archive failed"
    rm -rf "$W/u/check"

    local c_sd c_pd c_so c_po
    c_sd=$(user_cmd "$SKIFF" --root "$store" save -o "$out/s.tar" "$img")
    c_pd=$(user_cmd podman save -q -o "$out/p.tar" "$img")
    c_so=$(user_cmd "$SKIFF" --root "$store" save --format oci-archive -o "$out/so.tar" "$img")
    c_po=$(user_cmd podman save -q --format oci-archive -o "$out/po.tar" "$img")
    hyperfine --runs "$runs" --warmup 1 --export-json "$W/save.json" --style basic \
        -n skiff-docker --prepare "rm -f $out/s.tar" "$c_sd" \
        -n podman-docker --prepare "rm -f $out/p.tar" "$c_pd" \
        -n skiff-oci --prepare "rm -f $out/so.tar" "$c_so" \
        -n podman-oci --prepare "rm -f $out/po.tar" "$c_po"

    # load the same docker-archive (podman's) into an empty store each run
    local c_sl c_pl lstore=$W/u/lstore
    c_sl=$(user_cmd "$SKIFF" --root "$lstore" load -q -i "$out/podman.tar")
    c_pl=$(user_cmd podman load -q -i "$out/podman.tar")
    hyperfine --runs "$runs" --warmup 1 --export-json "$W/load.json" --style basic \
        -n skiff-load --prepare "rm -rf $lstore" "$c_sl" \
        -n podman-load --prepare "$(user_cmd podman rmi -af) >/dev/null 2>&1 || true" "$c_pl"
    as_user podman rmi -af >/dev/null 2>&1 || true

    local sd pd so po sl pl
    sd=$(median "$W/save.json" skiff-docker)
    pd=$(median "$W/save.json" podman-docker)
    so=$(median "$W/save.json" skiff-oci)
    po=$(median "$W/save.json" podman-oci)
    sl=$(median "$W/load.json" skiff-load)
    pl=$(median "$W/load.json" podman-load)
    echo
    echo "save/load of a ${BENCH_MB} MiB single-layer image (median of $runs, as $BENCH_USER):"
    awk -v sd="$sd" -v pd="$pd" -v so="$so" -v po="$po" -v sl="$sl" -v pl="$pl" 'BEGIN {
        printf "  skiff save (docker-archive)    %8.3f s\n", sd
        printf "  podman save (docker-archive)   %8.3f s\n", pd
        printf "  skiff save --format oci-archive  %6.3f s\n", so
        printf "  podman save --format oci-archive %6.3f s\n", po
        printf "  skiff load (docker-archive)    %8.3f s\n", sl
        printf "  podman load (docker-archive)   %8.3f s\n", pl
        printf "  podman / skiff, save docker-archive = %.2fx   (target >= 2x)\n", pd / sd
        printf "  podman / skiff, save oci-archive    = %.2fx   (target >= 2x)\n", po / so
        printf "  podman / skiff, load docker-archive = %.2fx\n", pl / sl
    }'
}

bench_build() {
    local runs=${1:-10}
    bench_setup
    bench_busybox
    podman_setup

    # ten instructions: two COPYs of small files, two RUNs, the rest config
    local ctx=$W/u/ctx store=$W/u/store
    mkdir -p "$ctx"
    echo "alpha" >"$ctx/a.txt"
    echo "beta" >"$ctx/b.txt"
    cat >"$ctx/Dockerfile" <<EOT
FROM $REG/bb:latest
ARG V=1
ENV APP=/app
WORKDIR /app
COPY a.txt /app/
RUN echo "built \$V" >/app/built.txt
COPY b.txt /app/
RUN cat /app/a.txt /app/b.txt >/app/all.txt
LABEL bench=yes
CMD ["cat", "/app/all.txt"]
EOT
    chown -R "$BENCH_USER:" "$ctx"
    as_user "$SKIFF" --root "$store" pull -q "$REG/bb:latest" >/dev/null
    as_user podman pull -q --tls-verify=false "$REG/bb:latest" >/dev/null
    # both must build it (and give the same result) before they are timed
    as_user "$SKIFF" --root "$store" build -q -t bench-built "$ctx" >/dev/null || die "skiff build failed"
    as_user podman build -q -t bench-built "$ctx" >/dev/null || die "podman build failed"
    [[ $(as_user "$SKIFF" --root "$store" run --rm bench-built) == $'alpha\nbeta' ]] || die "skiff's image gives the wrong output"

    local c_skiff_cold c_podman_cold c_skiff_hot c_podman_hot
    c_skiff_cold=$(user_cmd "$SKIFF" --root "$store" build -q --no-cache -t bench-built "$ctx")
    c_podman_cold=$(user_cmd podman build -q --no-cache -t bench-built "$ctx")
    c_skiff_hot=$(user_cmd "$SKIFF" --root "$store" build -q -t bench-built "$ctx")
    c_podman_hot=$(user_cmd podman build -q -t bench-built "$ctx")
    hyperfine --runs "$runs" --warmup 1 --export-json "$W/build.json" --style basic \
        -n skiff-cold "$c_skiff_cold" \
        -n podman-cold "$c_podman_cold" \
        -n skiff-cached "$c_skiff_hot" \
        -n podman-cached "$c_podman_hot"
    as_user podman rmi -af >/dev/null 2>&1 || true

    local sc pc sh ph
    sc=$(median "$W/build.json" skiff-cold)
    pc=$(median "$W/build.json" podman-cold)
    sh=$(median "$W/build.json" skiff-cached)
    ph=$(median "$W/build.json" podman-cached)
    echo
    echo "build of a 10-instruction Dockerfile (2 COPY, 2 RUN), busybox base (median of $runs, as $BENCH_USER):"
    awk -v sc="$sc" -v pc="$pc" -v sh="$sh" -v ph="$ph" 'BEGIN {
        printf "  skiff build --no-cache     %8.1f ms\n", sc * 1000
        printf "  podman build --no-cache    %8.1f ms\n", pc * 1000
        printf "  skiff build, all cached    %8.1f ms   (target < 50 ms)\n", sh * 1000
        printf "  podman build, all cached   %8.1f ms\n", ph * 1000
        printf "  cold:   podman / skiff = %.2fx   (target >= 2x)\n", pc / sc
        printf "  cached: podman / skiff = %.2fx   (target >= 10x)\n", ph / sh
    }'
}

# bench_ab OLD [ROUNDS]: two skiff binaries (OLD, and $SKIFF_BIN or the release
# build) timed run for run in alternation, so that this machine's slow spells fall
# on both alike: what a code change gained, not what the machine did meanwhile.
# 30 ms between runs let the last run's background removal finish first.
bench_ab() {
    local old=${1:-} rounds=${2:-100}
    [[ -x $old ]] || die "usage: bench.sh ab OLD_SKIFF_BINARY [ROUNDS]"
    bench_setup
    bench_busybox
    install -m 755 "$old" "$W/skiff-old"
    local img=$REG/bb:latest store=$W/u/store nstore=$W/n/store
    nosub_setup
    cat >"$W/ab.py" <<'EOT'
import subprocess, sys, time
rounds, cmds = int(sys.argv[1]), [c.split() for c in sys.argv[2:]]
times = [[] for _ in cmds]
for c in cmds:
    subprocess.run(c, check=True, stdout=subprocess.DEVNULL)
for i in range(rounds):
    for j in (range(len(cmds)) if i % 2 == 0 else reversed(range(len(cmds)))):
        time.sleep(0.03)
        t = time.perf_counter()
        subprocess.run(cmds[j], check=True)
        times[j].append(time.perf_counter() - t)
for c, t in zip(cmds, times):
    t.sort()
    print(f"  {t[len(t) // 2] * 1000:7.2f} ms  {' '.join(c[:1] + c[3:])}")
EOT
    echo
    echo "run --rm IMAGE true, old and new in alternation (median of $rounds each):"
    echo " as $BENCH_USER (subuids):"
    as_user "$SKIFF" --root "$store" pull -q "$img" >/dev/null
    as_user "$PY" "$W/ab.py" "$rounds" \
        "$W/skiff-old --root $store run --rm $img true" "$SKIFF --root $store run --rm $img true"
    echo " as $NOSUB_USER (single id):"
    as_nosub "$SKIFF" --root "$nstore" pull -q "$img" >/dev/null
    as_nosub "$PY" "$W/ab.py" "$rounds" \
        "$W/skiff-old --root $nstore run --rm $img true" "$SKIFF --root $nstore run --rm $img true"
}

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
}

main() {
    local what=${1:-}
    [[ -n $what ]] || usage
    shift
    declare -F "bench_$what" >/dev/null || usage
    "bench_$what" "$@"
}

main "$@"
