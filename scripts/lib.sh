# Shared shell functions of scripts/*: sourced, never run (docs/decisions.md, "issue 14: scripts/lib.sh").
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Sets $project (the checkout) and defines java_home, java_bin, running_pid, port_open, terminate.

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The JDK to run with: $JAVA_HOME if set, else the newest JDK in /usr/lib/jvm (by the major version
# in its release file), else the one of `java` on the PATH. The code is built for Java 17 (pom.xml)
# and runs on the newest JDK installed; on equal versions the last by name wins (temurin after openjdk).
java_home() {
  if [[ -n ${JAVA_HOME:-} ]]; then echo "$JAVA_HOME"; return; fi
  local d v best="" best_v=0
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [[ -x $d/bin/java && ! -L $d ]] || continue
    v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$d/release" 2>/dev/null)
    [[ -n $v ]] || v=$(basename "$d" | grep -oE '[0-9]+' | awk '$1>=8' | head -1)
    if (( ${v:-0} >= best_v )); then best=$d best_v=${v:-0}; fi
  done
  if [[ -n $best ]]; then echo "$best"; return; fi
  local j; j=$(command -v java) || { echo "no JDK: set JAVA_HOME or install one under /usr/lib/jvm" >&2; return 1; }
  dirname "$(dirname "$(readlink -f "$j")")"
}

java_bin() {
  local h; h=$(java_home) || return 1
  echo "$h/bin/java"
}

# The pid in a pid file, if that process is alive; fails otherwise.
running_pid() {
  [[ -f $1 ]] || return 1
  local pid; pid=$(<"$1")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Whether something accepts TCP connections: port_open PORT [HOST] (default 127.0.0.1).
port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# Stops a server: SIGTERM to PID, then waits up to 30 s for PID and any OTHER pids (a launcher that
# forwards the signal) to end, else SIGKILL to all of them. terminate NAME PID [OTHER...]
terminate() {
  local name=$1 pid=$2 p alive
  shift
  echo "$name: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || { echo "$name: stopped"; return 0; }
    sleep 1
  done
  echo "$name: still running after 30s; sending SIGKILL" >&2
  for p in "$@"; do kill -KILL "$p" 2>/dev/null || true; done
}
