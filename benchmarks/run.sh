#!/usr/bin/env bash
# Runs the JMH benchmarks on one JDK and prints the median of every iteration of every fork.
#   benchmarks/run.sh [JAVA_HOME] [JMH args...]     e.g. benchmarks/run.sh /usr/lib/jvm/temurin-25-jdk-amd64
# The jar is built by the normal build (mvn -B verify, or mvn -B -DskipTests -pl benchmarks -am package).
set -euo pipefail
cd "$(dirname "$0")/.."
java_home="${1:-${JAVA_HOME:-}}"
shift || true
java="${java_home:+$java_home/bin/}java"
jar=benchmarks/target/benchmarks.jar
[[ -f $jar ]] || mvn -q -B -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package
version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/{print $2}')
out="benchmarks/target/results-jdk$version.json"
"$java" -jar "$jar" -rf json -rff "$out" "$@"
python3 benchmarks/medians.py "$out"
