#!/usr/bin/env bash
# The main job on a real project: installs the demo app's npm packages (three.js with a lazily loaded route)
# and runs `ballast analyze` on it, writing the JSON and HTML reports next to the terminal summary.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scripts/e2e-setup.sh
cargo build --release -p ballast_cli
mkdir -p target/demo
target/release/ballast analyze fixtures/e2e/three-app --json target/demo/report.json --html target/demo/report.html "$@"
echo "reports: target/demo/report.json, target/demo/report.html"
