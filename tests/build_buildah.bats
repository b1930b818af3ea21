#!/usr/bin/env bats
# Differential build test: the same Dockerfiles built by skiff and by buildah
# (rootless, as the same test user) give the same image config (Env, Cmd,
# Entrypoint, WorkingDir, User, Labels, ExposedPorts, Volumes) and the same file
# tree (paths, types, modes, owners, sizes, contents). Both images are pushed to
# the local registry and unpacked by umoci as root, so neither builder's own
# storage is trusted for the comparison.
#
# Left out of the tree comparison: file mtimes (each builder stamps what RUN
# creates with its own clock), the mount points a runtime makes for RUN
# (/etc/hosts, /etc/hostname, /etc/resolv.conf, /run/.containerenv, /proc, /sys,
# /dev; buildah leaves an empty /run behind for .containerenv), and buildah's own
# label io.buildah.version.
load helpers

setup() {
    command -v buildah >/dev/null || require "buildah is not installed"
    command -v umoci >/dev/null || require "umoci is not installed"
    skiff_setup
    pull_bbimg
    mkdir -p "$T/home/.config/containers"
    printf '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
        >"$T/home/.config/containers/containers.conf"
    chown -R "$TU:$TG" "$T/home/.config"
}
teardown() {
    # buildah's rootless storage holds files of mapped owners: remove it from
    # inside the user's namespace before the test dir goes
    as_user buildah rm -a >/dev/null 2>&1 || true
    as_user buildah unshare rm -rf "$T/home/.local/share/containers" >/dev/null 2>&1 || true
    skiff_teardown
}

bh() { as_user buildah "$@"; }

# config_of REF: the compared part of an image config, normalised (missing,
# null and empty are the same; buildah's version label dropped)
config_of() {
    skopeo inspect --tls-verify=false --config "docker://$1" | jq -S '.config // {}
        | {Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Volumes,
           Labels: ((.Labels // {}) | del(."io.buildah.version"))}
        | with_entries(select(.value != null and .value != {} and .value != [] and .value != ""))'
}

# tree_of REF NAME: the normalised listing of REF's rootfs, unpacked by umoci
tree_of() {
    local ref=$1 name=$2
    skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$T/work/oci-$name:img" >&2 || return 1
    umoci unpack --image "$T/work/oci-$name:img" "$T/work/unpacked-$name" >&2 || return 1
    "$PY" "$HELPERS_DIR/tree_listing.py" "$T/work/unpacked-$name/rootfs" --owners raw --no-mtime |
        grep -v -E '^(etc/hosts|etc/hostname|etc/resolv\.conf|run/\.containerenv|proc|sys|dev)( |/)' |
        grep -v -x 'run d 0755 0:0'
}

# same_build NAME: build $T/work/NAME (a context with a Dockerfile) with both,
# compare configs and trees
same_build() {
    local name=$1 ctx=$T/work/$1
    chown -R "$TU:$TG" "$ctx"
    local s=$SKIFF_REG/diff-$name:skiff b=$SKIFF_REG/diff-$name:buildah
    run --separate-stderr bh bud -q --tls-verify=false --format oci -t "$b" "$ctx"
    [[ $status -eq 0 ]] || fail_with "buildah bud of $name failed: $stderr"
    run --separate-stderr bh push -q --tls-verify=false "$b"
    [[ $status -eq 0 ]] || fail_with "buildah push of $name failed: $stderr"
    run --separate-stderr sk build -q -t "$s" "$ctx"
    [[ $status -eq 0 ]] || fail_with "skiff build of $name failed: $stderr"
    run --separate-stderr sk push -q "$s"
    [[ $status -eq 0 ]] || fail_with "skiff push of $name failed: $stderr"

    config_of "$b" >"$T/work/config-$name.buildah"
    config_of "$s" >"$T/work/config-$name.skiff"
    diff -u "$T/work/config-$name.buildah" "$T/work/config-$name.skiff" >&2 ||
        fail_with "$name: image configs differ (- buildah, + skiff)"
    tree_of "$b" "$name-buildah" >"$T/work/tree-$name.buildah" || fail_with "unpacking buildah's $name"
    tree_of "$s" "$name-skiff" >"$T/work/tree-$name.skiff" || fail_with "unpacking skiff's $name"
    [[ -s $T/work/tree-$name.buildah ]] || fail_with "empty listing of buildah's $name"
    diff -u "$T/work/tree-$name.buildah" "$T/work/tree-$name.skiff" >&2 ||
        fail_with "$name: file trees differ (- buildah, + skiff)"
}

@test "config instructions: ENV, ARG, LABEL, WORKDIR, USER, EXPOSE, VOLUME, ENTRYPOINT, CMD" {
    mkdir -p "$T/work/config"
    cat >"$T/work/config/Dockerfile" <<EOF
FROM $IMG
ARG VER=3
ENV A=1 B="two words" C=\${VER}x
ENV LEGACY spaced value
LABEL org.example.name="skiff test" plain=yes
LABEL "quoted key"=v
WORKDIR /app/sub
WORKDIR rel
USER 1000:1000
EXPOSE 80 53/udp 8080/tcp
VOLUME /data ["/v2"]
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo \$A"]
EOF
    same_build config
}

@test "file-changing instructions: COPY forms, RUN, deletes, --chmod, --chown" {
    local c=$T/work/files
    mkdir -p "$c/dir/sub" "$c/other"
    echo one >"$c/one.txt"
    echo two >"$c/two.txt"
    echo deep >"$c/dir/sub/deep.txt"
    echo top >"$c/dir/top.txt"
    printf '#!/bin/sh\necho run\n' >"$c/script.sh"
    chmod 755 "$c/script.sh"
    ln -s one.txt "$c/link.txt"
    local chown_lines=""
    if is_subuid_user; then
        # ids other than root exist only with a subuid range
        chown_lines='COPY --chown=1000:1000 one.txt /owned/
RUN mkdir -p /x && echo hi >/x/f && chown 1000:100 /x/f && chmod 600 /x/f'
    fi
    cat >"$c/Dockerfile" <<EOF
FROM $IMG
COPY one.txt /single
COPY *.txt /many/
COPY dir /copied-dir
COPY dir/ /copied-dir2/
COPY script.sh link.txt /bin2/
COPY --chmod=640 two.txt /moded
$chown_lines
RUN echo built >/built.txt && mkdir -p /made/deeper && chmod 700 /made
RUN rm -rf /copied-dir2/sub && rm -f /bin/vi /etc/motd
RUN ln -s /built.txt /made/ln && touch /made/empty
WORKDIR /created/by/workdir
EOF
    same_build files
}

@test "multi-stage: COPY --from a stage by name and by index" {
    mkdir -p "$T/work/multi"
    cat >"$T/work/multi/Dockerfile" <<EOF
FROM $IMG AS first
RUN mkdir /out && echo from-first >/out/a && echo second-file >/out/b
FROM $IMG AS unused
RUN echo never >/never
FROM $IMG
COPY --from=first /out/a /a
COPY --from=0 /out /outdir
ENV FROM_STAGE=yes
EOF
    same_build multi
}

@test "an application image: ARG in ENV and LABEL, .dockerignore, COPY into WORKDIR, USER, deletes" {
    local c=$T/work/app
    mkdir -p "$c/dir/sub"
    echo a >"$c/a.txt"; echo b >"$c/b.txt"; echo d >"$c/dir/d"; echo e >"$c/dir/sub/e"
    chmod 750 "$c/dir/sub"; chmod 600 "$c/b.txt"
    printf 'b.txt\n' >"$c/.dockerignore"
    local owned=""
    if is_subuid_user; then
        owned='COPY --chown=app:app a.txt owned.txt'
    fi
    cat >"$c/Dockerfile" <<EOF
FROM $IMG AS base
ARG REL=1.0
ENV APP=/app VERSION=\$REL
LABEL org.example.name=demo version=\$REL
RUN echo 'app:x:1500:1500::/home/app:/bin/sh' >> /etc/passwd && echo 'app:x:1500:' >> /etc/group
WORKDIR \$APP
COPY *.txt ./
COPY dir /app/tree/
$owned
RUN mkdir -p data && echo made > data/file && chmod 700 data && rm -f /bin/vi
EXPOSE 8080 53/udp
VOLUME /app/data
USER app
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/data/file"]
EOF
    same_build app
}

@test "multi-stage with ADD of a gzip archive, COPY --from directories, --chmod, WORKDIR, deletes" {
    local c=$T/work/pkg
    mkdir -p "$c" "$T/work/pkgsrc/opt/tool"
    echo '#!/bin/sh' >"$T/work/pkgsrc/opt/tool/run"; chmod 755 "$T/work/pkgsrc/opt/tool/run"
    tar -C "$T/work/pkgsrc" -czf "$c/tool.tar.gz" opt
    echo conf >"$c/app.conf"
    cat >"$c/Dockerfile" <<EOF
FROM $IMG AS build
WORKDIR /src
RUN echo compiled > artifact && mkdir -p out/lib && echo so > out/lib/x.so
FROM $IMG
ADD tool.tar.gz /
COPY --from=build /src/artifact /usr/local/bin/
COPY --from=build /src/out /usr/local/
COPY --chmod=600 app.conf /etc/app/
WORKDIR /var/lib/app
RUN touch state && rm -rf /usr/share /etc/motd
ENV PATH=/opt/tool:/usr/local/bin:/bin
CMD ["run"]
EOF
    same_build pkg
}
