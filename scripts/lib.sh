# Shared by the scripts: paths, and the tools the project installs into the repository.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# wasm-opt (npm `binaryen`) and Playwright live in end2end/node_modules.
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_OUTPUT_NAME=tillit
SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# The wasm split tool (scripts/wasm-split), built by scripts/setup into its own directory.
WASM_SPLIT="$ROOT/target/tools/release/tillit-wasm-split"
