# Sourced by ./jwg and scripts/jwg-userspace: sets JAVA_HOME to a JDK 25 or newer, or says plainly
# that there is none. Debian 12's default java is 17.
# The major version from the JDK's release file (JAVA_VERSION="25.0.3"): starting a JVM to ask it
# would cost every launch of jwg ~0.1 s. Without the file, the JVM is asked.
java_major() {
  local release; release=$(dirname "$(dirname "$1")")/release
  if [[ -f $release ]]; then sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"; return; fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

find_jdk() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    [[ -n $cand && -x $cand/bin/java ]] || continue
    v=$(java_major "$cand/bin/java")
    if [[ $v =~ ^[0-9]+$ ]] && (( v >= 25 )); then echo "$cand"; return 0; fi
  done
  return 1
}

JAVA_HOME=$(find_jdk) || {
  echo "jwg: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*25*); install Temurin 25 or set JAVA_HOME to a JDK 25" >&2
  exit 1
}
export JAVA_HOME
