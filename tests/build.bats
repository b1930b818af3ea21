#!/usr/bin/env bats
# skiff build, commit, history: small Dockerfiles built and then run to check
# what they made; the step cache (what is reused, what is rebuilt); broken
# Dockerfiles (the differential tests against buildah are in build_buildah.bats).
# Every test runs as the subuid user and as the no-subuid user.
load helpers

setup() {
    skiff_setup
    pull_bbimg
    BASE=$IMG
}
teardown() { skiff_teardown; }

# ctx NAME: a fresh context dir $T/work/NAME (owned by the test user); sets C
ctx() {
    C=$T/work/$1
    rm -rf "$C"
    mkdir -p "$C"
    chown "$TU:$TG" "$C"
}

# dockerfile: the Dockerfile of $C from stdin
dockerfile() { cat >"$C/Dockerfile"; }

# build ARGS...: skiff build as the test user, separate stderr (the context,
# written by root here, is handed to the test user first)
build() {
    [[ -n ${C:-} && -d $C ]] && chown -R "$TU:$TG" "$C"
    run --separate-stderr sk build "$@"
}

# assert_build_error: exit 125, the last stderr line one `Error: ...`, no panic
# (step lines before it are on stdout, as Podman prints them)
assert_build_error() {
    [[ $status -eq 125 ]] || fail_with "expected exit 125"
    local last
    last=$(printf '%s\n' "$stderr" | sed '/^[[:space:]]*$/d' | tail -n1)
    [[ $last == "Error: "?* ]] || fail_with "last stderr line is not 'Error: ...'"
    [[ $stderr != *panicked* ]] || fail_with "skiff panicked"
}

# built_ok NAME [ARGS...]: build $C as NAME, must succeed
built_ok() {
    local name=$1
    shift
    build -t "$name" "$@" "$C"
    [[ $status -eq 0 ]] || fail_with "build of $name failed"
}

# in IMAGE CMD...: run CMD in IMAGE, output in $output
in_img() {
    local img=$1
    shift
    run --separate-stderr sk run --rm "$img" "$@"
}

cached_steps() { grep -c '^--> Using cache' <<<"$output" || true; }

# ------------------------------------------------------------ instructions --

@test "ENV and ARG scoping: meta ARG in FROM, defaults, --build-arg, ENV wins, ARG not kept" {
    ctx scope
    dockerfile <<EOF
ARG BASE=$BASE
ARG ONLY_META=meta
FROM \$BASE
ARG A=default
ARG ONLY_META
ENV E=env-\$A
ARG E=arg-loses
RUN echo "A=\$A E=\$E M=\$ONLY_META" > /scope
ARG LATE
RUN echo "late=\${LATE:-unset}" >> /scope
EOF
    built_ok scope --build-arg LATE=given
    [[ $stderr != *"not consumed"* ]] || fail_with "a consumed build-arg was reported unconsumed: $stderr"
    in_img scope cat /scope
    assert_success
    assert_equal "$output" $'A=default E=env-default M=meta\nlate=given'
    in_img scope sh -c 'echo "${A:-noA} $E"'
    assert_equal "$output" "noA env-default" "ARG values are not in the image's env"
    built_ok scope2 --build-arg A=override --build-arg NOBODY=x --build-arg HTTP_PROXY=http://proxy:3128
    in_img scope2 head -n1 /scope
    assert_equal "$output" "A=override E=env-override M=meta"
    built_ok scope3 --build-arg NOBODY=x --build-arg HTTP_PROXY=http://proxy:3128
    [[ $stderr == *"build-args [NOBODY] were not consumed"* ]] ||
        fail_with "no warning for a build-arg no ARG declares: $stderr"
}

@test "WORKDIR is created (relative ones join), USER owns what RUN makes, COPY --chown by name and id, --chmod" {
    if ! is_subuid_user; then
        # owners other than root need a subordinate id range: without one, the
        # same steps minus the owners
        ctx user
        echo data >"$C/f"
        dockerfile <<EOF
FROM $BASE
WORKDIR /srv
WORKDIR app/sub
COPY --chmod=0640 f byid
RUN touch /tmp/mine
CMD ["pwd"]
EOF
        built_ok user
        in_img user
        assert_equal "$output" "/srv/app/sub"
        in_img user stat -c '%n %u %g %a' byid /tmp/mine /srv/app
        assert_success
        assert_equal "$output" $'byid 0 0 640\n/tmp/mine 0 0 644\n/srv/app 0 0 755'
        return 0
    fi
    ctx user
    echo data >"$C/f"
    dockerfile <<EOF
FROM $BASE
RUN echo 'app:x:1234:2345::/home/app:/bin/sh' >> /etc/passwd && echo 'grp:x:2345:' >> /etc/group
WORKDIR /srv
WORKDIR app/sub
COPY --chown=app:grp f byname
COPY --chown=77:88 --chmod=0640 f byid
USER app
RUN touch /tmp/mine && id -u > /tmp/uid
CMD ["pwd"]
EOF
    built_ok user
    in_img user
    assert_equal "$output" "/srv/app/sub"
    in_img user stat -c '%n %u %g %a' byname byid /tmp/mine /srv/app
    assert_success
    assert_equal "$output" $'byname 1234 2345 644\nbyid 77 88 640\n/tmp/mine 1234 2345 644\n/srv/app 0 0 755'
    in_img user cat /tmp/uid
    assert_equal "$output" 1234
}

@test "COPY: wildcards, directory contents, trailing slash, rename, several sources need a dir" {
    ctx copy
    mkdir -p "$C/dir/sub"
    echo a >"$C/a.txt"; echo b >"$C/b.txt"; echo c >"$C/c.md"
    echo d >"$C/dir/d"; echo e >"$C/dir/sub/e"
    ln -s d "$C/dir/link"
    dockerfile <<EOF
FROM $BASE
COPY *.txt /glob/
COPY dir /contents
COPY dir/ /slash/
COPY c.md /renamed.md
COPY c.md /into/
COPY a.txt c.md /multi/
EOF
    built_ok copy
    in_img copy sh -c 'cd / && find glob contents slash renamed.md into multi | sort && readlink contents/link'
    assert_success
    assert_equal "$output" "$(printf '%s\n' contents contents/d contents/link contents/sub contents/sub/e \
        glob glob/a.txt glob/b.txt into into/c.md multi multi/a.txt multi/c.md renamed.md \
        slash slash/d slash/link slash/sub slash/sub/e d)"
    printf 'FROM %s\nCOPY a.txt c.md /nodir\n' "$BASE" >"$C/Dockerfile"
    build "$C"
    assert_build_error
    [[ $stderr == *"must be a directory"* ]] || fail_with "no hint about the destination"
}

@test "COPY and WORKDIR go through the image's symlinked dirs; COPY --exclude" {
    ctx links
    mkdir -p "$C/src"
    echo f >"$C/f"; echo keep >"$C/src/keep.txt"; echo drop >"$C/src/drop.log"
    dockerfile <<EOF
FROM $BASE
RUN mkdir -p /usr/real && ln -s usr/real /lnk && ln -s /usr/real /abs
COPY f /lnk/
COPY f /abs/g
WORKDIR /lnk/sub
COPY --exclude=*.log src /filtered/
EOF
    built_ok links
    in_img links sh -c 'readlink /lnk; readlink /abs; ls /usr/real; ls /filtered'
    assert_success
    assert_equal "$output" $'usr/real\n/usr/real\nf\ng\nsub\nkeep.txt'
    run sk inspect --format '{{.Config.WorkingDir}}' links
    assert_equal "$output" /lnk/sub
}

@test ".dockerignore and Dockerfile.dockerignore exclude files, ! re-includes" {
    ctx ignore
    mkdir -p "$C/logs" "$C/src"
    echo 1 >"$C/keep"; echo 2 >"$C/secret.key"; echo 3 >"$C/logs/a.log"
    echo 4 >"$C/logs/important.log"; echo 5 >"$C/src/x"
    printf '*.key\nlogs\n!logs/important.log\n' >"$C/.dockerignore"
    dockerfile <<EOF
FROM $BASE
COPY . /ctx/
EOF
    built_ok ignore
    in_img ignore sh -c 'cd /ctx && find . -type f | sort'
    # as in Docker, the Dockerfile and .dockerignore are files of the context too
    assert_equal "$output" "$(printf '%s\n' ./.dockerignore ./Dockerfile ./keep ./logs/important.log ./src/x)"
    # COPYing an ignored file by name fails as if it were not there
    printf 'FROM %s\nCOPY secret.key /\n' "$BASE" >"$C/Dockerfile"
    build "$C"
    assert_build_error
    # a Dockerfile's own NAME.dockerignore takes precedence
    printf 'FROM %s\nCOPY . /ctx/\n' "$BASE" >"$C/Other"
    printf 'src\n' >"$C/Other.dockerignore"
    build -t other -f "$C/Other" "$C"
    assert_success
    in_img other sh -c 'ls /ctx/secret.key && ! ls /ctx/src'
    assert_success
}

@test "multi-stage: COPY --from by name and index, RUN --mount from a stage, --target, unneeded stages are skipped" {
    ctx multi
    dockerfile <<EOF
FROM $BASE AS builder
RUN echo built > /artifact
FROM $BASE AS broken
RUN exit 3
FROM $BASE AS second
RUN echo second > /second
FROM $BASE
COPY --from=builder /artifact /from-name
COPY --from=0 /artifact /from-index
COPY --from=second /second /second
RUN --mount=type=bind,from=builder,target=/b cat /b/artifact > /from-bind
EOF
    built_ok multi
    assert_output_not_contains "exit 3"
    in_img multi cat /from-name /from-index /second /from-bind
    assert_equal "$output" $'built\nbuilt\nsecond\nbuilt'
    built_ok just-builder --target builder
    in_img just-builder sh -c 'cat /artifact; ls /second'
    assert_failure
    assert_output_contains built
    build -t t --target nosuch "$C"
    assert_build_error
}

@test "heredocs: RUN <<EOF scripts, COPY <<EOF files" {
    ctx heredoc
    dockerfile <<'EOF'
ARG BASE
FROM ${BASE}
RUN <<EOT
echo one > /h1
echo two >> /h1
EOT
COPY <<EOT /etc/greeting
hello from a heredoc
EOT
RUN cat <<EOT > /h2
inline $((1+2))
EOT
EOF
    built_ok heredoc --build-arg BASE="$BASE"
    in_img heredoc cat /h1 /etc/greeting /h2
    assert_equal "$output" $'one\ntwo\nhello from a heredoc\ninline 3'
}

@test "ONBUILD triggers run in the child build only" {
    ctx onbuild
    dockerfile <<EOF
FROM $BASE
ONBUILD RUN echo triggered > /onbuild
EOF
    built_ok parent
    in_img parent ls /onbuild
    assert_failure
    printf 'FROM localhost/parent\nRUN cat /onbuild\n' >"$C/Dockerfile"
    built_ok child
    in_img child cat /onbuild
    assert_equal "$output" triggered
    run sk inspect --format '{{.Config.OnBuild}}' child
    [[ $output != *triggered* ]] || fail_with "the child still has the trigger"
}

@test "a file deleted in a later layer is really absent; whiteouts in the layer" {
    ctx delete
    dockerfile <<EOF
FROM $BASE
RUN mkdir -p /d/sub && echo x > /d/file && echo y > /d/sub/f
RUN rm /d/file && rm -r /d/sub && rm /bin/vi
EOF
    built_ok delete
    in_img delete sh -c 'ls -A /d; ls /bin/vi'
    assert_failure
    assert_equal "$output" "" "/d must be empty"
}

@test "ADD unpacks local tar archives (plain, gzip, bzip2, xz, zstd) and copies other files" {
    ctx add
    mkdir -p "$T/work/src/inner"
    echo packed >"$T/work/src/inner/file"
    tar -C "$T/work/src" -czf "$C/a.tar.gz" inner
    tar -C "$T/work/src" --zstd -cf "$C/b.tar.zst" inner
    tar -C "$T/work/src" -cjf "$C/c.tar.bz2" inner
    tar -C "$T/work/src" -cJf "$C/d.tar.xz" inner
    tar -C "$T/work/src" -cf "$C/e.tar" inner
    echo plain >"$C/plain.txt"
    gzip -c "$C/plain.txt" >"$C/plain.gz"
    dockerfile <<EOF
FROM $BASE
ADD a.tar.gz /gz/
ADD b.tar.zst /zst
ADD c.tar.bz2 /bz2/
ADD d.tar.xz /xz/
ADD e.tar /tar/
ADD plain.txt /plain.txt
ADD plain.gz /notar/
EOF
    built_ok add
    in_img add cat /gz/inner/file /zst/inner/file /bz2/inner/file /xz/inner/file /tar/inner/file /plain.txt
    assert_equal "$output" $'packed\npacked\npacked\npacked\npacked\nplain'
    in_img add sh -c 'zcat /notar/plain.gz'
    assert_equal "$output" plain "a compressed file that is not a tar is copied as it is"
}

@test "RUN --mount: a secret is readable during RUN and lands nowhere; cache mounts persist" {
    ctx mounts
    echo s3cr3t-value >"$T/work/secret.txt"
    chown "$TU:$TG" "$T/work/secret.txt"
    dockerfile <<EOF
FROM $BASE
RUN --mount=type=secret,id=tok cat /run/secrets/tok > /dev/null && wc -c < /run/secrets/tok > /len
RUN --mount=type=cache,target=/cache echo x >> /cache/n && wc -l < /cache/n > /count
RUN --mount=type=tmpfs,target=/scratch touch /scratch/t
EOF
    built_ok mounts --secret id=tok,src="$T/work/secret.txt"
    in_img mounts sh -c 'cat /len; ls /run/secrets /scratch 2>&1; grep -r s3cr3t / --exclude-dir=proc --exclude-dir=sys 2>/dev/null'
    [[ $output == 13* ]] || fail_with "secret not seen during RUN"
    assert_output_not_contains "s3cr3t-value"
    run sk history --no-trunc mounts
    assert_output_not_contains "s3cr3t"
    for f in "$STORE"/blobs/sha256/*; do
        if zcat -f "$f" 2>/dev/null | grep -q s3cr3t-value; then fail_with "secret in blob $f"; fi
    done
    built_ok mounts2 --no-cache --secret id=tok,src="$T/work/secret.txt"
    in_img mounts2 cat /count
    assert_equal "$output" 2 "the cache mount kept the first build's file"
}

@test "build -f - reads the Dockerfile from stdin; - reads a context tar; -q, --iidfile, --label" {
    ctx stdin
    echo inctx >"$C/f"
    sk_argv
    run --separate-stderr "${SK[@]}" build -q -t fromstdin --iidfile "$T/work/iid" --label a=b -f - "$C" \
        <<<"FROM $BASE
COPY f /f"
    assert_success
    [[ $output =~ ^[0-9a-f]{64}$ ]] || fail_with "-q prints only the id"
    assert_equal "$(cat "$T/work/iid")" "sha256:$output"
    run sk inspect --format '{{index .Config.Labels "a"}}' fromstdin
    assert_equal "$output" b
    printf 'FROM %s\nCOPY f /g\n' "$BASE" >"$C/Dockerfile"
    tar -C "$C" -cf "$T/work/ctx.tar" .
    run --separate-stderr "${SK[@]}" build -t fromtar - <"$T/work/ctx.tar"
    assert_success
    in_img fromtar cat /g
    assert_equal "$output" inctx
}

@test "FROM scratch: an image of a static binary" {
    ctx scratch
    cp /bin/busybox "$C/busybox"
    dockerfile <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir /made && /bin/busybox echo ok > /made/x"]
ENTRYPOINT ["/bin/busybox"]
CMD ["cat", "/made/x"]
EOF
    built_ok scratchimg
    in_img scratchimg
    assert_equal "$output" ok
}

@test "ADD URL: fetched into the layer, --checksum verified; RUN --mount=type=bind from the context" {
    ctx url
    mkdir -p "$T/work/www"
    echo served >"$T/work/www/file.txt"
    local port sum
    port=$(free_port)
    setsid "$PY" -m http.server -b 127.0.0.1 -d "$T/work/www" "$port" >/dev/null 2>&1 3>&- &
    BG_PIDS+=("$!")
    wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$port/file.txt" || fail_with "http server did not start"
    sum=$(sha256sum "$T/work/www/file.txt" | cut -d' ' -f1)
    mkdir -p "$C/data"
    echo bound >"$C/data/in"
    dockerfile <<EOF
FROM $BASE
ADD --checksum=sha256:$sum http://127.0.0.1:$port/file.txt /dl/
RUN --mount=type=bind,source=data,target=/mnt/data cat /mnt/data/in > /from-bind
COPY --from=$BASE /bin/busybox /bb
EOF
    built_ok url
    in_img url sh -c 'cat /dl/file.txt /from-bind; ls /mnt/data 2>&1; test -x /bb && echo exe'
    assert_output_contains served
    assert_output_contains bound
    assert_output_contains exe
    assert_output_contains "No such file" # the mount point did not land in the layer
    printf 'FROM %s\nADD --checksum=sha256:%064d http://127.0.0.1:%s/file.txt /dl/\n' "$BASE" 0 "$port" >"$C/Dockerfile"
    build -t badsum "$C"
    assert_build_error
    [[ $stderr == *"checksum mismatch"* ]] || fail_with "no checksum error"
}

# ------------------------------------------------------------------ cache --

@test "cache: an unchanged rebuild runs no step and gives the same image" {
    ctx cache
    echo 1 >"$C/a"
    dockerfile <<EOF
FROM $BASE
COPY a /a
RUN echo ran > /ran
ENV X=1
EOF
    built_ok c1
    first=${output##*$'\n'}
    [[ $(cached_steps) -eq 0 ]] || fail_with "a first build used the cache"
    built_ok c1
    assert_equal "$(cached_steps)" 3
    assert_equal "${output##*$'\n'}" "$first" "a fully cached build gives the same image"
    built_ok c1 --no-cache
    assert_equal "$(cached_steps)" 0
}

@test "cache: changing one source file rebuilds exactly the steps from its COPY on" {
    ctx cache2
    echo 1 >"$C/a"; echo 1 >"$C/b"
    dockerfile <<EOF
FROM $BASE
COPY a /a
RUN cat /a > /a.copy
COPY b /b
RUN cat /b > /b.copy
ENV DONE=1
EOF
    built_ok c2
    echo 2 >"$C/b"
    built_ok c2
    # a, RUN a cached; COPY b, RUN b, ENV rebuilt
    assert_equal "$(cached_steps)" 2
    in_img c2 cat /a.copy /b.copy
    assert_equal "$output" $'1\n2'
    # mode and owner count, not only content
    chmod 600 "$C/b"
    built_ok c2
    assert_equal "$(cached_steps)" 2
    in_img c2 stat -c %a /b
    assert_equal "$output" 600
    # same content as an earlier build: that result is reused, not a stale one
    chmod 644 "$C/b"; echo 1 >"$C/b"
    built_ok c2
    in_img c2 cat /b.copy
    assert_equal "$output" 1
    # same size and mtime, other bytes: still a miss (content is hashed, not stat'ed)
    touch -r "$C/b" "$T/work/stamp"
    echo 9 >"$C/b"
    touch -r "$T/work/stamp" "$C/b"
    built_ok c2
    assert_equal "$(cached_steps)" 2
    in_img c2 cat /b.copy
    assert_equal "$output" 9
}

@test "cache: a change deep inside a copied directory, or a new file in it, is a miss" {
    ctx cache5
    mkdir -p "$C/tree/a/b"
    echo 1 >"$C/tree/a/b/leaf"
    dockerfile <<EOF
FROM $BASE
COPY tree /tree
RUN find /tree -type f | sort | xargs cat > /all
EOF
    built_ok c5
    echo 2 >"$C/tree/a/b/leaf"
    built_ok c5
    assert_equal "$(cached_steps)" 0
    echo new >"$C/tree/a/other"
    built_ok c5
    assert_equal "$(cached_steps)" 0
    in_img c5 cat /all
    assert_equal "$output" $'2\nnew'
    built_ok c5
    assert_equal "$(cached_steps)" 2
}

@test "cache: changing a build arg rebuilds only the steps that see it" {
    ctx cache3
    dockerfile <<EOF
FROM $BASE
RUN echo before > /before
ARG V=1
RUN echo \$V > /v
EOF
    built_ok c3
    built_ok c3 --build-arg V=2
    assert_equal "$(cached_steps)" 1 "only the RUN before the ARG is cached"
    in_img c3 cat /v
    assert_equal "$output" 2
    built_ok c3 --build-arg V=1
    assert_equal "$(cached_steps)" 2 "V=1 again: its earlier result is reused"
    in_img c3 cat /v
    assert_equal "$output" 1
}

@test "cache: a different base image, ENV or WORKDIR before a step is a miss" {
    ctx cache4
    dockerfile <<EOF
FROM $BASE
ENV WHO=a
RUN echo \$WHO > /who
EOF
    built_ok c4
    sed -i 's/WHO=a/WHO=b/' "$C/Dockerfile"
    built_ok c4
    in_img c4 cat /who
    assert_equal "$output" b
}

# ------------------------------------------------------- broken Dockerfiles --

@test "a broken Dockerfile: error with file and line, exit 125 (a failing RUN: its status), no image left" {
    ctx broken
    before=$(sk images -q --no-trunc | sort)
    printf 'FROM %s\nRUN true\nBOGUS thing\n' "$BASE" >"$C/Dockerfile"
    build -t broken "$C"
    assert_build_error
    [[ $stderr == *"Dockerfile:3: unknown instruction"* ]] || fail_with "no file and line in the error"
    # a failing RUN: its exit status, as Podman gives it
    printf 'FROM %s\nRUN true\nRUN exit 7\n' "$BASE" >"$C/Dockerfile"
    build -t broken "$C"
    assert_failure 7
    [[ $stderr == *"Dockerfile:3"*"exit status 7"* ]] || fail_with "no file, line and exit status"
    printf 'FROM %s\nCOPY missing /x\n' "$BASE" >"$C/Dockerfile"
    build -t broken "$C"
    assert_failure 125
    [[ $stderr == *"Dockerfile:2"*missing* ]] || fail_with "no file and line for the missing source"
    printf 'FROM %s\nCOPY --chown=nobody-here f /x\n' "$BASE" >"$C/Dockerfile"
    build -t broken "$C"
    assert_failure 125
    run sk images -q --no-trunc
    assert_equal "$(sort <<<"$output")" "$before" "a failed build left an image"
    run sk image inspect broken
    assert_failure
    assert_store_clean
}

# ----------------------------------------------------------- commit/history --

@test "commit: the container's changes, --change, -m; history lists every step" {
    run --separate-stderr sk run --name c1 "$BASE" sh -c 'echo changed > /etc/motd && rm /bin/vi'
    assert_success
    run --separate-stderr sk commit -c 'CMD ["cat", "/etc/motd"]' -c 'ENV X=1' -c 'EXPOSE 8080' -m "my message" c1 committed
    assert_success
    in_img committed
    assert_equal "$output" changed
    in_img committed sh -c 'echo $X; ls /bin/vi'
    assert_failure
    assert_output_contains 1
    run sk inspect --format '{{.Config.ExposedPorts}}' committed
    assert_output_contains 8080
    run --separate-stderr sk history committed
    assert_success
    assert_output_matches "^IMAGE +CREATED +CREATED BY +SIZE +COMMENT"
    assert_output_contains "my message"
    [[ $(sed -n 2p <<<"$output") =~ ^[0-9a-f]{12}\  ]] || fail_with "top row is not the image id"
    run sk history -q --no-trunc committed
    [[ ${lines[0]} =~ ^$HEX64$ ]] || fail_with "history -q --no-trunc"
    run sk history --format '{{.CreatedBy}}|{{.Comment}}' committed
    assert_equal "${lines[0]}" "sh -c echo changed > /etc/motd && rm /bin/vi|my message"
}

@test "history of a built image: one row per step, empty layers 0 B" {
    ctx hist
    dockerfile <<EOF
FROM $BASE
ENV A=1
RUN echo x > /x
EOF
    built_ok hist
    run --separate-stderr sk history --no-trunc --format '{{.CreatedBy}} {{.Size}}' hist
    assert_success
    [[ ${lines[0]} == "RUN echo x > /x "* && ${lines[0]} != *" 0 B" ]] || fail_with "RUN row"
    assert_equal "${lines[1]}" "ENV A=1 0 B"
}

# The differential tests against buildah are in tests/build_buildah.bats.
