#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is needed, build, and run the
# `retort` command-line program against an embedded SQLite database (no server needed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" "$root/build" -DRETORT_BUILD_TESTS=OFF -DRETORT_BUILD_BENCH=OFF
retort="$root/build/bin/retort"

db="$root/build/demo.db"
rm -f "$db"
set -x
"$retort" plugins
"$retort" ping
# No URL: an in-memory SQLite database that lives for this one command.
"$retort" query \
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born DATE, score REAL)" \
  "INSERT INTO users (name, born, score) VALUES ('ada', '1815-12-10', 9.5), ('alan', '1912-06-23', 9.25)" \
  "SELECT id, name, born, score FROM users WHERE score > :min ORDER BY id" -p min=1
# A file database keeps its data between commands.
"$retort" query "sqlite:///$db" \
  "CREATE TABLE langs (name TEXT PRIMARY KEY, appeared INTEGER, typed BOOLEAN)" \
  "INSERT INTO langs VALUES ('C', 1972, 1), ('Python', 1991, 0), ('C++', 1985, 1)"
"$retort" query "sqlite:///$db" "SELECT name, appeared FROM langs WHERE typed = :t ORDER BY appeared" \
  -p t=true --format json
"$retort" query "sqlite:///$db" "SELECT count(*) AS n, min(appeared) AS first FROM langs" --format csv
