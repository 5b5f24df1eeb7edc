#!/usr/bin/env bash
# Installs the pgvector extension for the local PostgreSQL (default: the newest cluster), so semantic
# search on PostgreSQL uses it (without it, an in-process usearch index is used). Idempotent.
# Debian bookworm ships no postgresql-15-pgvector binary: this takes Debian's pgvector source package
# (from trixie, via a deb-src entry) and builds it against postgresql-server-dev-$PG.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pg_version="${1:-$(ls /usr/lib/postgresql | sort -V | tail -n 1)}"
if [ -f "/usr/share/postgresql/$pg_version/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL $pg_version"
  exit 0
fi
apt-get update -qq
if apt-cache policy "postgresql-$pg_version-pgvector" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get install -y -qq "postgresql-$pg_version-pgvector" >/dev/null
  echo "pgvector: installed postgresql-$pg_version-pgvector from apt"
  exit 0
fi
sources=/etc/apt/sources.list.d/dailypapers-pgvector-src.sources
if [ ! -f "$sources" ]; then
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$sources"
  apt-get update -qq
fi
apt-get install -y -qq dpkg-dev build-essential "postgresql-server-dev-$pg_version" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1)
src="$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
[ -n "$src" ] || { echo "pgvector: could not fetch Debian's pgvector source package" >&2; exit 1; }
# OPTFLAGS="": no -march=native, so the build runs on any x86-64 machine.
make -s -C "$src" PG_CONFIG="/usr/lib/postgresql/$pg_version/bin/pg_config" OPTFLAGS="" >/dev/null
make -s -C "$src" install PG_CONFIG="/usr/lib/postgresql/$pg_version/bin/pg_config" >/dev/null
echo "pgvector: built $(basename "$src") from Debian's source package for PostgreSQL $pg_version"
