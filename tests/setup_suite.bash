# shellcheck shell=bash
# bats runs this once per `bats` invocation.  If scripts/test.sh already started
# the harness (SKIFF_REG set), use it; otherwise start it here and stop it after.
setup_suite() {
    if [[ -z ${SKIFF_REG:-} ]]; then
        [[ $(id -u) -eq 0 ]] || { echo "run the integration tests as root" >&2; return 1; }
        export SKIFF_SUITE_ENV="$BATS_SUITE_TMPDIR/harness.env"
        "$BATS_TEST_DIRNAME/harness.sh" start "$SKIFF_SUITE_ENV" 2>&3
        # shellcheck disable=SC1090
        . "$SKIFF_SUITE_ENV"
    fi
}

teardown_suite() {
    if [[ -n ${SKIFF_SUITE_ENV:-} ]]; then
        "$BATS_TEST_DIRNAME/harness.sh" stop "$SKIFF_SUITE_ENV"
    fi
}
