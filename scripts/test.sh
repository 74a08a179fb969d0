#!/usr/bin/env bash
# The test command: installs the Debian packages that are missing, then builds and runs every
# test (unit tests in Surefire, real-cluster integration tests in Failsafe).
# Extra arguments go to Maven, e.g. scripts/test.sh -DskipITs for unit tests only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
cd "$root"
exec mvn -B -ntp verify "$@"
