#!/usr/bin/env bats
# Many skiff processes at once, and kill -9 in the middle of a pull.
load helpers

setup() { skiff_setup; }
teardown() { skiff_teardown; }

# pull_many REF...: one background `skiff pull -q` per REF, all at once;
# fails listing every pull that failed
pull_many() {
    local i=0 ref pids=() bad=""
    for ref in "$@"; do
        sk pull -q "$ref" >"$T/work/out.$i" 2>"$T/work/err.$i" &
        pids+=($!)
        i=$((i + 1))
    done
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}"; then
            bad+="pull ${*:$((i + 1)):1} failed: $(cat "$T/work/err.$i")"$'\n'
        fi
    done
    [[ -z $bad ]] || fail_with "$bad"
}

@test "8 concurrent pulls of the same image" {
    local ref=$SKIFF_REG/multi:latest id i
    id=$(fixture_id multi latest)
    pull_many "$ref" "$ref" "$ref" "$ref" "$ref" "$ref" "$ref" "$ref"
    for i in 0 1 2 3 4 5 6 7; do
        assert_equal "$(cat "$T/work/out.$i")" "$id" "output of pull $i"
    done
    assert_store_clean
    assert_same_tree "$ref" multi
}

@test "8 concurrent pulls of different images (sharing layers)" {
    local refs=(busybox:latest multi:latest multi:v2s2 multi-zstd:latest busybox-zstd:latest
        multi-plain:latest multiarch:latest multiarch:docker)
    pull_many "${refs[@]/#/$SKIFF_REG/}"
    run --separate-stderr sk images -q --no-trunc
    assert_success
    local r
    for r in "${refs[@]}"; do
        assert_output_contains "$(fixture_id "${r%%:*}" "${r#*:}")"
    done
    assert_store_clean
    assert_same_tree "$SKIFF_REG/multi-zstd:latest" multi
    assert_same_tree "$SKIFF_REG/multiarch:latest" amd64
}

@test "readers work while writers pull" {
    sk pull -q "$SKIFF_REG/big:latest" >"$T/work/out" 2>"$T/work/err" &
    local pid=$! n=0
    while alive "$pid"; do
        run --separate-stderr sk images -q
        assert_success
        n=$((n + 1))
    done
    wait "$pid" || fail_with "pull failed: $(cat "$T/work/err")"
    echo "# $n reads during the pull" >&3
    assert_store_clean
}

# kill_pull_when BYTES REF: start a pull, wait until BYTES have landed under $T,
# then SIGKILL every process of that pull
kill_pull_when() {
    local want=$1 ref=$2 base pid i
    base=$(du -sb "$T" | cut -f1)
    start_bg pid setpriv --reuid="$TU" --regid="$TG" --init-groups \
        env -i HOME="$T/home" PATH=/usr/bin:/bin XDG_DATA_HOME="$T/data" XDG_RUNTIME_DIR="$T/run" \
        "$SKIFF_BIN" pull "$ref"
    for i in $(seq 1 600); do
        if (($(du -sb "$T" 2>/dev/null | cut -f1) - base >= want)); then break; fi
        alive "$pid" || break
        sleep 0.05
    done
    kill_session "$pid"
}

kill_session() { # SID: SIGKILL every process of the session, then wait for them
    local sid=$1 p
    for p in $(ps -e -o pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }'); do
        kill -9 "$p" 2>/dev/null || true
    done
    wait "$sid" 2>/dev/null || true
    for p in $(seq 1 50); do
        [[ -z $(ps -e -o sid=,stat= | awk -v s="$sid" '$1 == s && $2 !~ /^Z/') ]] && return 0
        sleep 0.1
    done
    echo "processes of session $sid survived SIGKILL" >&2
    return 1
}

@test "kill -9 halfway through a pull, then pull again: succeeds, store checks clean" {
    local ref=$SKIFF_LIAR/slow:latest
    kill_pull_when $((8 * 1024 * 1024)) "$ref"
    run --separate-stderr sk images -q --no-trunc
    assert_success
    local id
    id=$(reg_manifest slow latest "$SKIFF_LIAR" | jq -r .config.digest | sed 's/^sha256://')
    assert_output_not_contains "$id"
    assert_store_clean
    # the bytes that arrived are kept, so the next pull continues from them
    local layer partial
    layer=$(reg_manifest slow latest "$SKIFF_LIAR" | jq -r '.layers[0].digest' | sed 's/^sha256://')
    partial=$STORE/blobs/partial/$layer
    [[ -s $partial ]] || fail_with "no partial download kept at $partial"
    run --separate-stderr sk pull -q "$ref"
    assert_success
    assert_equal "$output" "$id"
    assert_store_clean
    [[ ! -e $partial ]] || fail_with "the partial download is still there after the pull"
    [[ -f $STORE/blobs/sha256/$layer ]] || fail_with "the layer blob was not stored"
}

@test "kill -9 at several moments of a pull from the real registry, then pull again" {
    local ref=$SKIFF_REG/big:latest id b
    id=$(fixture_id big latest)
    for b in 1 $((4 * 1024 * 1024)) $((20 * 1024 * 1024)) $((60 * 1024 * 1024)); do
        kill_pull_when "$b" "$ref"
        assert_store_clean
    done
    run --separate-stderr sk pull -q "$ref"
    assert_success
    assert_equal "$output" "$id"
    assert_store_clean
}
