# tests/cli/lib.sh — what the CLI test scripts share: a scratch directory removed at exit, and
# assertions that count failures (the script exits with their number at the end).
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_match() {  # name, text, extended regex
  grep -Eq -- "$3" <<<"$2" || fail "$1: output does not match /$3/:"$'\n'"$2"
}
expect_no_match() {
  if grep -Eq -- "$3" <<<"$2"; then fail "$1: output matches /$3/:"$'\n'"$2"; fi
}
