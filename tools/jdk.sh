# Sourced by ./lemurnn, ./test and .ci/run: finds a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME if it is 25+, then /usr/lib/jvm/*25* (and newer), then `java` on PATH.

lemurnn_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

lemurnn_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(lemurnn_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(lemurnn_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then echo "$candidate"; return 0; fi
  fi
  return 1
}

if ! LEMURNN_JDK=$(lemurnn_find_jdk); then
  echo "lemurnn needs a JDK 25 or newer and found none (looked at JAVA_HOME, /usr/lib/jvm/*, javac on PATH)." >&2
  echo "Install one (e.g. Temurin 25: apt-get install temurin-25-jdk) or set JAVA_HOME to it." >&2
  # sourced from a user's shell, return: exit would close it; run as a script, exit
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$LEMURNN_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
