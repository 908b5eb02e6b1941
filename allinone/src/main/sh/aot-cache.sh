# Sourced by ./ringfence. The all-in-one JVM's ahead-of-time class cache (JDK 25, JEP 483 and 515): the classes a
# run loaded and linked, with their method profiles, are kept in a file the next run maps at start. Without it the
# first containment after a start waits while Flink, gRPC, Kafka and Avro classes are loaded, verified and linked
# (allinone/README.md, "Ahead-of-time class cache", has the figures).
#
# A run with no cache records which classes it used (the JVM writes that list when it exits); the next start turns
# the list into the cache (~10 s, once) and uses it from then on. The cache is keyed by the JDK (its release file and
# modules image), the JVM options and every class path entry's size and time, so a rebuild or another JDK starts a
# new one; an older key's files go.

# aot_flags NAME CLASSPATH [jvm option...]: sets AOT_FLAGS, the options that give a JVM running CLASSPATH with
# these options its cache. Empty when RINGFENCE_CLASS_CACHE=off, when the JDK has no AOT cache or when the class path
# holds a directory (the JVM caches classes from jars only). Needs JAVA (a JDK's bin/java) and AOT_DIR.
aot_flags() {
  local name="$1" classpath="$2" entry key base jdk release
  shift 2
  AOT_FLAGS=()
  case "${RINGFENCE_CLASS_CACHE:-on}" in
    on) ;;
    off) return 0 ;;
    *) say "RINGFENCE_CLASS_CACHE must be on or off, got '${RINGFENCE_CLASS_CACHE}'"; return 1 ;;
  esac
  # the JDK's release file names its version without starting a JVM (two JVM starts would cost ~150 ms a launch)
  jdk=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
  release="$jdk/release"
  [ -f "$release" ] || return 0
  [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")" -ge 25 ] 2>/dev/null || return 0
  local entries=()
  IFS=: read -r -a entries <<<"$classpath"
  for entry in "${entries[@]}"; do
    [ -d "$entry" ] && return 0
  done
  key=$( { cat "$release"; printf '%s\n' "$@"; stat -c '%n %s %Y' "$jdk/lib/modules" "${entries[@]}" 2>/dev/null || true; } \
        | sha256sum | cut -c1-16)
  base="$AOT_DIR/$name-$key"
  mkdir -p "$AOT_DIR"
  find "$AOT_DIR" -maxdepth 1 -name "$name-*" ! -name "$name-$key.*" -delete
  if [ ! -f "$base.aot" ] && [ -f "$base.classes" ]; then
    say "writing the class cache from the last run's classes (once per build, ~10 s; log: $AOT_DIR/$name.log)"
    if "$JAVA" "$@" -XX:AOTMode=create -XX:AOTConfiguration="$base.classes" -XX:AOTCache="$base.tmp" \
        -cp "$classpath" >"$AOT_DIR/$name.log" 2>&1; then
      mv "$base.tmp" "$base.aot"
    else
      say "no class cache this time (log: $AOT_DIR/$name.log); the next run records the classes again"
      rm -f "$base.tmp"
    fi
    rm -f "$base.classes"
  fi
  if [ -f "$base.aot" ]; then
    AOT_FLAGS=(-XX:AOTCache="$base.aot")
  else
    AOT_FLAGS=(-XX:AOTMode=record -XX:AOTConfiguration="$base.classes")
  fi
  # a cache that no longer fits is not an error: the JVM runs without it; its per-class notes would flood the console
  AOT_FLAGS+=(-Xlog:aot*=error,cds*=error)
}

# aot_recording: whether the flags the last aot_flags call set record a cache (there was none to map)
aot_recording() {
  [[ " ${AOT_FLAGS[*]-} " == *" -XX:AOTMode=record "* ]]
}
