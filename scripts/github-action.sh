#!/usr/bin/env bash
# The GitHub Action's step (action.yml): the inputs arrive as INPUT_* variables. Runs faultline
# from the workspace's own install when there is one (the version the project pinned), otherwise
# through `npm exec`; writes the outputs; exits with faultline's exit code.
set -uo pipefail

fail() { echo "::error title=faultline action::$1"; exit 2; }

[ -n "${INPUT_EXPERIMENT:-}" ] || fail "the input 'experiment' is required: the path of an experiment file"
cd "${GITHUB_WORKSPACE:-.}" || fail "cannot enter the workspace ${GITHUB_WORKSPACE:-}"
[ -f "$INPUT_EXPERIMENT" ] || fail "no experiment file at '$INPUT_EXPERIMENT' (relative to $(pwd))"

if [ -x node_modules/.bin/faultline ]; then
  faultline=(node_modules/.bin/faultline)
else
  faultline=(npm exec --yes --package="${INPUT_PACKAGE:-faultline}" -- faultline)
fi

out="${INPUT_OUT:-faultline-runs}"
args=(run "$INPUT_EXPERIMENT" --out "$out")
[ -n "${INPUT_JUNIT:-}" ] && args+=(--junit "$INPUT_JUNIT")
case "${INPUT_MARKDOWN:-true}" in
  true) [ -n "${GITHUB_STEP_SUMMARY:-}" ] && args+=(--markdown "$GITHUB_STEP_SUMMARY") ;;
  false | '') ;;
  *) args+=(--markdown "$INPUT_MARKDOWN") ;;
esac
# Word splitting of the free-form arguments is wanted here (as a shell would split them).
# shellcheck disable=SC2206
[ -n "${INPUT_ARGS:-}" ] && args+=(${INPUT_ARGS})

log="$(mktemp)"
echo "::group::faultline ${args[*]}"
"${faultline[@]}" "${args[@]}" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
echo "::endgroup::"

run_dir="$(sed -n 's/^journal: *\(.*\)\/journal\.json$/\1/p' "$log" | tail -1)"
rm -f "$log"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "exit-code=$code"; echo "run-dir=$run_dir"; } >>"$GITHUB_OUTPUT"
fi
case "$code" in
  0) ;;
  1) echo "::error title=faultline::an objective was missed or could not be judged (exit 1); the summary lists each verdict" ;;
  2) echo "::error title=faultline::the experiment file is invalid (exit 2); see the messages above" ;;
  3) echo "::error title=faultline::the run could not use its environment or was aborted (exit 3)" ;;
  4) echo "::error title=faultline::the run may have left something behind (exit 4): run 'faultline rollback'" ;;
  *) echo "::error title=faultline::faultline exited $code" ;;
esac
exit "$code"
