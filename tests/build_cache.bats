#!/usr/bin/env bats
# The build cache, adversarially: each test builds, changes ONE thing, rebuilds,
# and checks (a) from the build output which steps came from the cache and which
# ran, and (b) by running the result, that the image holds what a fresh build
# would. A wrong cache hit (a stale result handed back) is the bug these look for;
# a needless miss is the lesser one.
#
# `steps` turns the build output into one letter per step: F (FROM), A (ARG,
# which runs nothing), C (came from the cache: `--> Using cache ID`), R (ran).
load helpers

setup() {
    skiff_setup
    pull_bbimg
    C=$T/work/ctx
    mkdir -p "$C"
}
teardown() { skiff_teardown; }

# bld [ARGS...] : build the context $C as the test user (tag localhost/cache:t
# and --iidfile $T/work/iid unless ARGS name others); output in $output
bld() {
    chown -R "$TU:$TG" "$C"
    rm -f "$T/work/iid"
    run --separate-stderr sk build --iidfile "$T/work/iid" -t localhost/cache:t "$@" "$C"
}

# bld_ok [ARGS...]: bld that must succeed
bld_ok() {
    bld "$@"
    [[ $status -eq 0 ]] || fail_with "build failed"
}

iid() { cat "$T/work/iid"; }

# steps: the letters of the last build's steps (see the header)
steps() {
    printf '%s\n' "$output" | awk '
        function flush() { if (s != "") { printf "%s%s", sep, st; sep = " " } }
        /^STEP [0-9]+\/[0-9]+: / {
            flush()
            s = $0; sub(/^STEP [0-9]+\/[0-9]+: /, "", s)
            if (s ~ /^FROM /) st = "F"; else if (s ~ /^ARG /) st = "A"; else st = "R"
            next
        }
        /^--> Using cache / { if (st == "R") st = "C" }
        END { flush(); print "" }'
}

# assert_steps LETTERS: the last build's steps were exactly these
assert_steps() {
    local got
    got=$(steps)
    [[ $got == "$1" ]] || fail_with "steps: expected '$1', got '$got'"
}

# in_image FILE...: cat FILEs inside the built image
in_image() { sk run --rm localhost/cache:t cat "$@"; }

# assert_in_image FILE EXPECTED
assert_in_image() {
    local got
    got=$(in_image "$1") || fail_with "cat $1 in the image failed"
    assert_equal "$got" "$2" "content of $1 in the built image"
}

# keep_mtime FILE CMD...: run CMD (which rewrites FILE) and restore FILE's mtime
keep_mtime() {
    local f=$1
    shift
    touch -r "$f" "$T/work/mtime-ref"
    "$@"
    touch -r "$T/work/mtime-ref" "$f"
}

@test "unchanged rebuild: every step from the cache, same image id" {
    echo aaa >"$C/a.txt"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
ARG V=1
ENV E=e
COPY a.txt /a.txt
RUN cat /a.txt >/copy && echo "\$V\$E" >>/copy
WORKDIR /w/x
COPY <<EOT /h
here
EOT
CMD ["cat", "/copy"]
EOF
    bld_ok
    assert_steps "F A R R R R R R"
    local first
    first=$(iid)
    [[ $first =~ ^sha256:$HEX64$ || $first =~ ^$HEX64$ ]] || fail_with "bad iidfile: $first"
    bld_ok
    assert_steps "F A C C C C C C"
    assert_equal "$(iid)" "$first" "image id of the unchanged rebuild"
    # -q prints only the id: the same one
    run --separate-stderr sk build -q -t localhost/cache:t "$C"
    assert_success
    assert_equal "$output" "${first#sha256:}" "the id -q prints"
    assert_in_image /copy "aaa
1e"
}

@test "one source file's content changes (same size, same mtime): its COPY and later steps rerun" {
    echo aaa >"$C/a.txt"
    echo bb1 >"$C/b.txt"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY a.txt /a.txt
RUN cat /a.txt >/a.copy
COPY b.txt /b.txt
RUN cat /a.txt /b.txt >/ab
ENV DONE=1
EOF
    bld_ok
    assert_steps "F R R R R R"
    keep_mtime "$C/b.txt" sh -c "echo bb2 >'$C/b.txt'"
    bld_ok
    assert_steps "F C C R R R"
    assert_in_image /ab "aaa
bb2"
    # and back: the first result is still cached and right
    keep_mtime "$C/b.txt" sh -c "echo bb1 >'$C/b.txt'"
    bld_ok
    assert_steps "F C C C C C"
    assert_in_image /ab "aaa
bb1"
    # the first COPY's source: everything reruns
    keep_mtime "$C/a.txt" sh -c "echo AAA >'$C/a.txt'"
    bld_ok
    assert_steps "F R R R R R"
    assert_in_image /a.copy "AAA"
}

@test "mode of a source file changes: its COPY misses; host ownership does not reach the image and hits" {
    echo aaa >"$C/a.txt"
    chmod 644 "$C/a.txt"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
RUN echo first >/first
COPY a.txt /a.txt
RUN stat -c '%a %u:%g' /a.txt >/st
EOF
    bld_ok
    assert_steps "F R R R"
    assert_in_image /st "644 0:0"
    chmod 755 "$C/a.txt"
    bld_ok
    assert_steps "F C R R"
    assert_in_image /st "755 0:0"
    # COPY without --chown gives root ownership whatever the host owner is: a
    # different host owner gives the same image, so the step is reused
    bld() {
        rm -f "$T/work/iid"
        run --separate-stderr sk build --iidfile "$T/work/iid" -t localhost/cache:t "$@" "$C"
    }
    chown 12345:12345 "$C/a.txt"
    bld_ok
    assert_steps "F C C C"
    assert_in_image /st "755 0:0"
}

@test "--chown and --chmod of a COPY are part of its key" {
    echo aaa >"$C/a.txt"
    local own=0:0 own2=1:1
    write_df() {
        cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY --chown=$1 --chmod=$2 a.txt /a.txt
RUN stat -c '%a %u:%g' /a.txt >/st
EOF
    }
    write_df "$own" 644
    bld_ok
    assert_steps "F R R"
    write_df "$own" 600
    bld_ok
    assert_steps "F R R"
    assert_in_image /st "600 0:0"
    write_df "$own2" 600
    bld_ok
    assert_steps "F R R"
    if is_subuid_user; then
        assert_in_image /st "600 1:1"
    fi
    write_df "$own" 644
    bld_ok
    assert_steps "F C C"
    assert_in_image /st "644 0:0"
}

@test "wildcard COPY: a new matching file, a renamed file" {
    echo a >"$C/a.txt"
    echo b >"$C/b.txt"
    echo m >"$C/m.md"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY *.txt /d/
RUN ls /d >/list
EOF
    bld_ok
    assert_steps "F R R"
    # a file the pattern does not match: same result
    echo n >"$C/n.md"
    bld_ok
    assert_steps "F C C"
    echo c >"$C/c.txt"
    bld_ok
    assert_steps "F R R"
    assert_in_image /list "a.txt
b.txt
c.txt"
    mv "$C/a.txt" "$C/z.txt"
    bld_ok
    assert_steps "F R R"
    assert_in_image /list "b.txt
c.txt
z.txt"
}

@test "directory source: a nested file appears, an empty dir appears, a symlink target changes" {
    mkdir -p "$C/dir/sub"
    echo top >"$C/dir/top"
    echo one >"$C/one"
    echo two >"$C/two"
    ln -s one "$C/dir/link"
    ln -s one "$C/named"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY dir /dir/
COPY named /named
RUN find /dir | sort >/list && readlink /dir/link >/target && cat /named >/named.txt
EOF
    bld_ok
    assert_steps "F R R R"
    echo deep >"$C/dir/sub/deep"
    bld_ok
    assert_steps "F R R R"
    assert_in_image /list "/dir
/dir/link
/dir/sub
/dir/sub/deep
/dir/top"
    mkdir "$C/dir/sub/empty"
    bld_ok
    assert_steps "F R R R"
    in_image /list | grep -qx /dir/sub/empty || fail_with "new empty dir missing"
    ln -sfn two "$C/dir/link"
    bld_ok
    assert_steps "F R R R"
    assert_in_image /target two
    # a named source that is a symlink is followed: a new target with other content
    ln -sfn two "$C/named"
    bld_ok
    assert_steps "F C R R"
    assert_in_image /named.txt two
}

@test ".dockerignore: a file newly included misses, a change in an ignored file hits" {
    echo keep >"$C/keep.txt"
    echo s1 >"$C/secret.txt"
    # .dockerignore names itself, so its own text never reaches the image: only
    # the set of files it selects may decide
    printf '.dockerignore\nDockerfile\nsecret.txt\n' >"$C/.dockerignore"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY . /app
RUN ls -a /app | sort >/list
EOF
    bld_ok
    assert_steps "F R R"
    assert_in_image /list ".
..
keep.txt"
    echo s2 >"$C/secret.txt"
    bld_ok
    assert_steps "F C C"
    # comment lines change nothing either
    printf '.dockerignore\n# a comment\nDockerfile\nsecret.txt\n' >"$C/.dockerignore"
    bld_ok
    assert_steps "F C C"
    printf '.dockerignore\nDockerfile\n' >"$C/.dockerignore"
    bld_ok
    assert_steps "F R R"
    assert_in_image /app/secret.txt s2
}

@test "RUN --mount=type=bind of the context: a changed file misses; the result matches a fresh build" {
    echo v1 >"$C/in.txt"
    echo i1 >"$C/ign.txt"
    printf 'ign.txt\n' >"$C/.dockerignore"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
RUN --mount=type=bind,target=/ctx cat /ctx/in.txt >/out; cat /ctx/ign.txt >>/out 2>/dev/null; true
EOF
    bld_ok
    assert_steps "F R"
    echo v2 >"$C/in.txt"
    bld_ok
    assert_steps "F R"
    local cached
    echo i2 >"$C/ign.txt"
    bld_ok
    cached=$(in_image /out)
    bld_ok --no-cache
    assert_equal "$cached" "$(in_image /out)" "a cached RUN --mount=type=bind result vs a fresh build"
}

@test "build args: a used ARG reruns from its first RUN; unused, undeclared and meta args keep the cache" {
    echo f >"$C/f"
    cat >"$C/Dockerfile" <<EOF
ARG META=m
FROM $IMG
ARG A=1
COPY f /f
RUN echo "a=\$A" >/a
RUN echo done >/done
ARG LATE
LABEL l=x
EOF
    bld_ok
    assert_steps "F A R R R A R"
    local first
    first=$(iid)
    bld_ok --build-arg A=2
    assert_steps "F A C R R A R"
    assert_in_image /a "a=2"
    # the default again: the first results are still cached
    bld_ok
    assert_steps "F A C C C A C"
    assert_equal "$(iid)" "$first" "image id with the default arg again"
    assert_in_image /a "a=1"
    # an arg no step sees (declared after the last RUN, used by nothing)
    bld_ok --build-arg LATE=zzz
    assert_steps "F A C C C A C"
    assert_equal "$(iid)" "$first" "image id with an unused arg"
    # an arg the Dockerfile does not declare
    bld_ok --build-arg NOPE=1
    assert_steps "F A C C C A C"
    assert_equal "$(iid)" "$first" "image id with an undeclared arg"
    # a meta arg (before FROM) the stage does not redeclare
    bld_ok --build-arg META=other
    assert_steps "F A C C C A C"
    assert_equal "$(iid)" "$first" "image id with an unused meta arg"
    # an empty value is a value
    bld_ok --build-arg A=
    assert_steps "F A C R R A R"
    assert_in_image /a "a="
}

@test "build args: a RUN sees every ARG in scope as env, so any of them changing reruns it (as Docker)" {
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
ARG X=1
ARG Y
RUN env | grep -E '^(X|Y)=' | sort >/env
EOF
    bld_ok
    assert_steps "F A A R"
    assert_in_image /env "X=1"
    bld_ok --build-arg Y=2
    assert_steps "F A A R"
    assert_in_image /env "X=1
Y=2"
    # ENV of the same name wins over the ARG: the arg's value does not matter
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
ARG X=1
ENV X=fixed
RUN echo "\$X" >/x
EOF
    bld_ok
    assert_steps "F A R R"
    bld_ok --build-arg X=2
    assert_steps "F A C C"
    assert_in_image /x fixed
}

@test "ENV change before a RUN reruns the ENV and the RUN, not what comes before" {
    echo f >"$C/f"
    write_df() {
        cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY f /f
ENV E=$1
RUN echo "\$E" >/e
EOF
    }
    write_df one
    bld_ok
    assert_steps "F R R R"
    write_df two
    bld_ok
    assert_steps "F C R R"
    assert_in_image /e two
}

@test "ARG used in a COPY source or destination is part of the COPY's key" {
    echo a >"$C/a"
    echo b >"$C/b"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
ARG SRC=a
ARG DST=/x
COPY \$SRC \$DST
RUN cat /x /y 2>/dev/null >/seen; true
EOF
    bld_ok
    assert_steps "F A A R R"
    bld_ok --build-arg SRC=b
    assert_steps "F A A R R"
    assert_in_image /seen b
    bld_ok --build-arg DST=/y
    assert_steps "F A A R R"
    assert_in_image /seen a
}

@test "parent change: the base tag retagged locally to another image reuses nothing" {
    mkdir -p "$T/work/b1" "$T/work/b2"
    # two bases with the same layers, differing only in their config
    printf 'FROM %s\nENV BASE=one\n' "$IMG" >"$T/work/b1/Dockerfile"
    printf 'FROM %s\nENV BASE=two\n' "$IMG" >"$T/work/b2/Dockerfile"
    chown -R "$TU:$TG" "$T/work/b1" "$T/work/b2"
    run --separate-stderr sk build -q -t localhost/cb1 "$T/work/b1"
    assert_success
    run --separate-stderr sk build -q -t localhost/cb2 "$T/work/b2"
    assert_success
    run --separate-stderr sk tag localhost/cb1 localhost/cbase:latest
    assert_success
    echo f >"$C/f"
    cat >"$C/Dockerfile" <<EOF
FROM localhost/cbase:latest
COPY f /f
RUN echo "\$BASE" >/seen
EOF
    bld_ok
    assert_steps "F R R"
    assert_in_image /seen one
    run --separate-stderr sk tag localhost/cb2 localhost/cbase:latest
    assert_success
    bld_ok
    assert_steps "F R R"
    assert_in_image /seen two
}

@test "parent change through the registry: --pull takes the new base, nothing old is reused" {
    mkdir -p "$T/work/b1" "$T/work/b2"
    printf 'FROM %s\nRUN echo one >/base\n' "$IMG" >"$T/work/b1/Dockerfile"
    printf 'FROM %s\nRUN echo two >/base\n' "$IMG" >"$T/work/b2/Dockerfile"
    chown -R "$TU:$TG" "$T/work/b1" "$T/work/b2"
    run --separate-stderr sk build -q -t localhost/cb1 "$T/work/b1"
    assert_success
    run --separate-stderr sk build -q -t localhost/cb2 "$T/work/b2"
    assert_success
    local ref=$SKIFF_REG/cache-base-$SKIFF_TEST_USER-$$:latest
    run --separate-stderr sk push -q localhost/cb1 "$ref"
    assert_success
    echo f >"$C/f"
    cat >"$C/Dockerfile" <<EOF
FROM $ref
COPY f /f
RUN cat /base >/seen
EOF
    bld_ok
    assert_steps "F R R"
    assert_in_image /seen one
    run --separate-stderr sk push -q localhost/cb2 "$ref"
    assert_success
    # without --pull the local copy of the base is used: still the old one
    bld_ok
    assert_steps "F C C"
    assert_in_image /seen one
    bld_ok --pull
    assert_steps "F R R"
    assert_in_image /seen two
}

@test "parent change: a meta ARG in FROM, and COPY --from an image whose tag moved" {
    mkdir -p "$T/work/b1" "$T/work/b2"
    printf 'FROM %s\nRUN echo one >/base\n' "$IMG" >"$T/work/b1/Dockerfile"
    printf 'FROM %s\nRUN echo two >/base\n' "$IMG" >"$T/work/b2/Dockerfile"
    chown -R "$TU:$TG" "$T/work/b1" "$T/work/b2"
    run --separate-stderr sk build -q -t localhost/cb1 "$T/work/b1"
    assert_success
    run --separate-stderr sk build -q -t localhost/cb2 "$T/work/b2"
    assert_success
    cat >"$C/Dockerfile" <<EOF
ARG BASE=cb1
FROM localhost/\$BASE
RUN cat /base >/seen
EOF
    bld_ok
    assert_steps "F R"
    bld_ok --build-arg BASE=cb2
    assert_steps "F R"
    assert_in_image /seen two
    run --separate-stderr sk tag localhost/cb1 localhost/cfrom:latest
    assert_success
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY --from=localhost/cfrom:latest /base /got
RUN cat /got >/seen
EOF
    bld_ok
    assert_steps "F R R"
    assert_in_image /seen one
    run --separate-stderr sk tag localhost/cb2 localhost/cfrom:latest
    assert_success
    bld_ok
    assert_steps "F R R"
    assert_in_image /seen two
}

@test "USER, WORKDIR, SHELL and --network before a RUN are part of what it sees" {
    write_df() {
        cat >"$C/Dockerfile" <<EOF
FROM $IMG
USER $1
WORKDIR $2
RUN id -u >/tmp/u; pwd >/tmp/w
USER 0
RUN cat /tmp/u /tmp/w >/seen
EOF
    }
    write_df 0 /w1
    bld_ok
    assert_steps "F R R R R R"
    write_df 0 /w2
    bld_ok
    assert_steps "F C R R R R"
    assert_in_image /seen "0
/w2"
    if is_subuid_user; then
        write_df 1 /w2
        bld_ok
        assert_steps "F R R R R R"
        assert_in_image /seen "1
/w2"
    fi
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
SHELL ["/bin/sh", "-c"]
RUN echo "\$0" >/shell
EOF
    bld_ok
    assert_steps "F R R"
    sed -i 's|"-c"|"-ec"|' "$C/Dockerfile"
    bld_ok
    assert_steps "F R R"
    bld_ok --network=none
    assert_steps "F C R"
}

@test "context from a tar on stdin: an unchanged stream is cached, one changed file misses" {
    echo one >"$C/f"
    echo keep >"$C/g"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY g /g
COPY f /f
RUN cat /f >/seen
EOF
    tar -C "$C" -cf "$T/work/ctx.tar" .
    sk_argv
    run --separate-stderr "${SK[@]}" build -t localhost/cache:t - <"$T/work/ctx.tar"
    assert_success
    assert_steps "F R R R"
    run --separate-stderr "${SK[@]}" build -t localhost/cache:t - <"$T/work/ctx.tar"
    assert_success
    assert_steps "F C C C"
    echo two >"$C/f"
    tar -C "$C" -cf "$T/work/ctx.tar" .
    run --separate-stderr "${SK[@]}" build -t localhost/cache:t - <"$T/work/ctx.tar"
    assert_success
    assert_steps "F C R R"
    assert_in_image /seen two
}

@test "ADD of a local archive: a changed member misses" {
    mkdir -p "$T/work/arc"
    echo one >"$T/work/arc/m"
    tar -C "$T/work/arc" -czf "$C/a.tgz" m
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
ADD a.tgz /x/
RUN cat /x/m >/seen
EOF
    bld_ok
    assert_steps "F R R"
    bld_ok
    assert_steps "F C C"
    echo two >"$T/work/arc/m"
    tar -C "$T/work/arc" -czf "$C/a.tgz" m
    bld_ok
    assert_steps "F R R"
    assert_in_image /seen two
}

@test "multi-stage: a stage's output changes through an arg only it uses; COPY --from misses" {
    echo f >"$C/f"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG AS a
ARG V=1
RUN echo "\$V" >/out
FROM $IMG
COPY f /f
COPY --from=a /out /got
RUN cat /got >/seen
EOF
    bld_ok
    assert_steps "F A R F R R R"
    bld_ok --build-arg V=2
    assert_steps "F A R F C R R"
    assert_in_image /seen 2
    bld_ok
    assert_steps "F A C F C C C"
    assert_in_image /seen 1
}

@test "multi-stage: FROM an earlier stage follows that stage's changes" {
    echo one >"$C/f"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG AS a
COPY f /f
FROM a
RUN cat /f >/seen
EOF
    bld_ok
    assert_steps "F R F R"
    keep_mtime "$C/f" sh -c "echo two >'$C/f'"
    bld_ok
    assert_steps "F R F R"
    assert_in_image /seen two
}

@test "heredoc bodies: a changed RUN <<EOF or COPY <<EOF body misses" {
    write_df() {
        cat >"$C/Dockerfile" <<EOF
FROM $IMG
RUN echo before >/before
RUN <<EOT
echo $1 >/r
EOT
COPY <<EOT /c
$2
EOT
RUN cat /r /c >/both
EOF
    }
    write_df one first
    bld_ok
    assert_steps "F R R R R"
    write_df One first
    bld_ok
    assert_steps "F C R R R"
    assert_in_image /both "One
first"
    write_df One First
    bld_ok
    assert_steps "F C C R R"
    assert_in_image /both "One
First"
}

@test "--no-cache runs every step; the cache survives rmi; -f with a shared prefix reuses the prefix" {
    echo f >"$C/f"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
COPY f /f
RUN echo one >/one
RUN echo x >/x
EOF
    cat >"$C/Other.Dockerfile" <<EOF
FROM $IMG
COPY f /f
RUN echo one >/one
RUN echo y >/x
EOF
    bld_ok
    assert_steps "F R R R"
    bld_ok --no-cache
    assert_steps "F R R R"
    assert_in_image /x x
    # a removed image's steps are still cached, and the image they give works
    run --separate-stderr sk rmi localhost/cache:t
    assert_success
    bld_ok
    assert_steps "F C C C"
    assert_in_image /x x
    bld_ok -f "$C/Other.Dockerfile"
    assert_steps "F C C R"
    assert_in_image /x y
}

# snapshot of what a failed build must leave alone
images_listing() { sk images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' | sort; }

# broken TEXT LINE [CODE]: a build of Dockerfile TEXT fails with CODE (125), one
# Error line naming the Dockerfile and LINE, and leaves the images as they were
broken() {
    local text=$1 line=$2 code=${3:-125} before after
    printf '%s' "$text" >"$C/Dockerfile"
    before=$(images_listing)
    bld -t localhost/broken:t
    [[ $status -eq $code ]] || fail_with "expected exit $code"
    local last nerr
    last=$(printf '%s\n' "$stderr" | sed '/^[[:space:]]*$/d' | tail -n1)
    [[ $last == "Error: "?* ]] || fail_with "last stderr line is not 'Error: ...'"
    nerr=$(printf '%s\n' "$stderr" | grep -c '^Error' || true)
    [[ $nerr -eq 1 ]] || fail_with "expected exactly one Error line, got $nerr"
    [[ $stderr != *panicked* ]] || fail_with "skiff panicked"
    [[ $last == *"$C/Dockerfile:$line:"* || $last == *"$C/Dockerfile: line $line:"* ]] ||
        fail_with "the error does not name $C/Dockerfile and line $line"
    after=$(images_listing)
    assert_equal "$after" "$before" "images after a failed build"
    [[ ! -e $T/work/iid ]] || fail_with "a failed build wrote the --iidfile"
}

@test "broken Dockerfiles: one clear error with the line, exit code, no image left" {
    echo f >"$C/f"
    # an existing tag must keep its image when a later build fails
    printf 'FROM %s\nRUN echo good >/g\n' "$IMG" >"$C/Dockerfile"
    bld_ok
    broken "FROM $IMG
COPY f /f
FOO bar
" 3
    broken "FROM $IMG
COPY f /f
RUN <<EOF
echo never ends
" 3
    # a failing RUN: Podman exits with the command's status
    broken "FROM $IMG
COPY f /f
RUN echo partial >/p && exit 3
" 3 3
    broken "FROM $IMG
COPY f /f

COPY missing.txt /m
" 4
    broken "FROM $IMG
COPY f /f
COPY *.nomatch /m/
" 3
    # the tag of the good build still gives the good image
    assert_in_image /g good
    assert_store_clean
}

seen_marker() { [[ -n $(find "$STORE/build-cache-mounts" -name seen 2>/dev/null) ]]; }

@test "a build killed in the middle of a RUN leaves no image and no cache entry for that RUN" {
    # the cache mount (not part of any key) tells the second run it is the second
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
RUN echo before >/before
RUN --mount=type=cache,target=/cm echo partial >/p; if [ -e /cm/seen ]; then echo fast; else touch /cm/seen; sleep 60; fi
EOF
    chown -R "$TU:$TG" "$C"
    local before pid
    before=$(images_listing)
    sk_argv
    # --network=none: no pasta, which a SIGKILLed skiff would leave behind
    start_bg pid "${SK[@]}" build --network=none -t localhost/cache:t "$C" </dev/null >"$T/work/bg.out" 2>&1
    wait_until 60 seen_marker ||
        fail_with "the RUN did not start: $(cat "$T/work/bg.out")"
    kill -9 -- "-$pid"
    sleep 1
    assert_equal "$(images_listing)" "$before" "images after a killed build"
    bld_ok --network=none
    assert_steps "F C R"
    assert_in_image /p partial
    assert_store_clean
}
